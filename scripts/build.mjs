// Builds the three parts Electron loads: renderer (vite), main process and preload (esbuild).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { MAIN_BUILD } from './buildConfig.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const RENDERER_CONFIG = 'renderer/vite.config.ts';

async function buildRenderer() {
  if (!existsSync(RENDERER_CONFIG)) {
    process.stdout.write(`build: ${RENDERER_CONFIG} not found yet, renderer skipped\n`);
    return;
  }
  const { build } = await import('vite');
  await build({ configFile: RENDERER_CONFIG });
}

async function buildMain() {
  await esbuild.build({ ...MAIN_BUILD, outfile: 'dist/main/index.js', logLevel: 'warning' });
}

async function buildPreload() {
  // A sandboxed preload can require only 'electron', so everything else is inlined into one CommonJS file.
  // Minified because the contract pulls in zod (with its locales) just to list the channel names.
  await esbuild.build({
    entryPoints: ['main/app/preload.preload.ts'],
    outfile: 'dist/preload/preload.cjs',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    minify: true,
    logLevel: 'warning',
  });
}

try {
  await Promise.all([buildRenderer(), buildMain(), buildPreload()]);
  process.stdout.write('build: dist/ ready\n');
} catch (error) {
  // vite and esbuild have already printed the details.
  process.stderr.write(`build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
  process.exitCode = 1;
}
