// `npm start`: launches the built app in the installed Electron, without ever downloading one.
import { spawn } from 'node:child_process';
import { findElectronBinary, MISSING_ELECTRON_MESSAGE, projectDir } from './electronBinary.mjs';
import { ensureNativeModulesForElectron } from './nativeModules.mjs';

const electron = findElectronBinary();
if (!electron) {
  process.stderr.write(`${MISSING_ELECTRON_MESSAGE}\n`);
  process.exit(1);
}
if (!ensureNativeModulesForElectron()) {
  process.stderr.write('Could not rebuild native modules for Electron (see the output above); run "npx electron-builder install-app-deps" to retry.\n');
  process.exit(1);
}

const child = spawn(electron, [projectDir, ...process.argv.slice(2)], { stdio: 'inherit', windowsHide: false });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  process.stderr.write(`Could not start Electron at ${electron}: ${error.message}\n`);
  process.exit(1);
});
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
