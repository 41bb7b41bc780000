import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import rendererConfig from '../../renderer/vite.config.ts';
import { RENDERER_DIR_ENV } from './rendererDir.ts';

/**
 * Tests run against a production build of the renderer. It goes to a directory of its own, so a test run
 * never swaps files under the app's dist/renderer or under another run that is serving them.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const outDir = await mkdtemp(join(tmpdir(), 'itpc-e2e-renderer-'));
  await build({ ...rendererConfig, configFile: false, logLevel: 'warn', build: { ...rendererConfig.build, outDir, emptyOutDir: true } });
  process.env[RENDERER_DIR_ENV] = outDir;
  return () => rm(outDir, { recursive: true, force: true });
}
