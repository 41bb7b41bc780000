// keytar and sqlite3 are native addons: npm builds them for Node's ABI, Electron needs its own.
// `electron-builder install-app-deps` rebuilds them for Electron; a marker records the result so it runs
// only when needed. Rebuilding them back for Node (npm rebuild keytar sqlite3) changes the files, which
// invalidates the marker, so the next launch rebuilds for Electron again.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectDir } from './electronBinary.mjs';

export const NATIVE_ADDONS = ['keytar/build/Release/keytar.node', 'sqlite3/build/Release/node_sqlite3.node'];
const MARKER = path.join(projectDir, 'node_modules', '.cache', 'itpc', 'electron-native-deps.json');

function fingerprint() {
  const { version } = JSON.parse(readFileSync(path.join(projectDir, 'node_modules', 'electron', 'package.json'), 'utf8'));
  const addons = Object.fromEntries(
    NATIVE_ADDONS.map((addon) => {
      try {
        const stats = statSync(path.join(projectDir, 'node_modules', addon));
        return [addon, `${stats.size}:${stats.mtimeMs}`];
      } catch {
        return [addon, 'missing'];
      }
    }),
  );
  return JSON.stringify({ electron: version, platform: process.platform, arch: process.arch, addons });
}

function readMarker() {
  try {
    return readFileSync(MARKER, 'utf8');
  } catch {
    return null;
  }
}

/** Rebuilds native addons for Electron unless the marker says that was already done. Returns false on failure. */
export function ensureNativeModulesForElectron() {
  if (readMarker() === fingerprint()) return true;
  process.stdout.write('Rebuilding native modules (keytar, sqlite3) for Electron; this happens once...\n');
  const result = spawnSync('npx', ['electron-builder', 'install-app-deps'], {
    cwd: projectDir,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) return false;
  mkdirSync(path.dirname(MARKER), { recursive: true });
  writeFileSync(MARKER, fingerprint());
  process.stdout.write('Native modules now target Electron. Run "npm rebuild keytar sqlite3" before plain-Node unit tests.\n');
  return true;
}
