// Finds the Electron executable the way node_modules/electron/index.js does, minus its automatic download:
// requiring the `electron` package from Node would start a network fetch when the binary is missing.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronPackageDir = path.join(projectDir, 'node_modules', 'electron');

// Same names as electron/install.js writes to path.txt.
const PLATFORM_EXECUTABLE = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
};

function isFile(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Absolute path of an installed Electron executable, or null. Honours ELECTRON_OVERRIDE_DIST_PATH. */
export function findElectronBinary() {
  const pathFile = path.join(electronPackageDir, 'path.txt');
  const executable = existsSync(pathFile)
    ? readFileSync(pathFile, 'utf8').trim()
    : (PLATFORM_EXECUTABLE[process.platform] ?? 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? path.join(override, executable) : path.join(electronPackageDir, 'dist', executable);
  return isFile(candidate) ? candidate : null;
}

export const MISSING_ELECTRON_MESSAGE = `The Electron binary is not installed, so the app cannot start.
The electron npm package is present but its executable was never downloaded. Either:
  - set ELECTRON_OVERRIDE_DIST_PATH to a folder that contains an electron executable, or
  - run "npx install-electron" (needs internet), or reinstall dependencies with internet access.`;
