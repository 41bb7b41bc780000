import { spawnSync } from 'node:child_process';
import { findElectronBinary, projectDir } from '../../scripts/electronBinary.mjs';
import { ensureNativeModulesForElectron } from '../../scripts/nativeModules.mjs';

/** Builds dist/ and targets the native addons at Electron; without an Electron binary the spec skips itself. */
export default function globalSetup(): void {
  if (findElectronBinary() === null) {
    process.stdout.write(
      'SKIPPED: real-Electron E2E — no Electron binary is installed here (it cannot be downloaded offline). ' +
        'Set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an electron executable to run it.\n',
    );
    return;
  }
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: projectDir, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed; the Electron E2E needs dist/');
  if (!ensureNativeModulesForElectron()) throw new Error('Native modules could not be rebuilt for Electron');
}
