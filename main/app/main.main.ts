import path from 'node:path';
import { app, BrowserWindow, dialog, Menu, protocol, session, type WebContents } from 'electron';
import type { Core } from '../core.contract.std.ts';
import { openCore } from '../core.node.ts';
import { dialogFileSaver } from './fileSaver.main.ts';
import { resolveDatabaseConfig } from '../features/workstation/workstation.node.ts';
import { ENROLABLE, openRecoveryCore } from '../recovery.node.ts';
import { StartupError } from '../platform/startupError.std.ts';
import type { DatabaseConfig } from '../platform/store/database.node.ts';
import { KeytarVault } from '../platform/keychain/keytarVault.node.ts';
import { createFileLogger } from '../platform/log/logger.node.ts';
import { serveAppRequest } from './appProtocol.node.ts';
import { APP_ENTRY_URL, APP_SCHEME } from './appUrl.std.ts';
import { denyPermissionCheck, denyPermissionRequest, denyWindowOpen, guardNavigation } from './guards.std.ts';
import { connectCore } from './ipc.main.ts';
import { appMenuTemplate } from './menu.std.ts';
import { openElectronSettings } from './settingsStore.main.ts';
import { startupFailureBox } from './startupDialog.std.ts';

// Both must happen before `ready`.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;

/** Applied to every webContents, including any this file did not create. */
function harden(contents: WebContents): void {
  contents.on('will-navigate', guardNavigation);
  contents.on('will-redirect', guardNavigation);
  contents.setWindowOpenHandler(denyWindowOpen);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function createWindow(core: Core, hash = ''): BrowserWindow {
  const preloadPath = path.join(app.getAppPath(), 'dist', 'preload', 'preload.cjs');
  // The options are a literal at the call so static scanners (Electronegativity) can read them; the unit test
  // `windowSecurity.test.ts` parses this call and asserts every value.
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'iTechno Privacy Console',
    // Shown on ready-to-show so no blank frame flashes.
    show: false,
    webPreferences: {
      // Reviewed for Electronegativity's PRELOAD_JS_CHECK: the sandboxed preload exposes only invoke/on through
      // contextBridge, and main validates every call (preload.preload.ts, platform/ipc/router.node.ts).
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click (auxclick) could open links outside the window-open handler; Blink is told not to fire it.
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      spellcheck: false,
      // Packaged builds get no DevTools: they would bypass every renderer guard.
      devTools: !app.isPackaged,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  });
  const senderId = String(window.webContents.id);
  window.once('ready-to-show', () => window.show());
  window.webContents.once('destroyed', () => core.endSession(senderId));
  void window.loadURL(`${APP_ENTRY_URL}${hash}`);
  return window;
}

/**
 * The key is missing or wrong: instead of a dialog, the window opens on the recovery screen (`#recovery`), whose
 * only calls import an enrolment package (recovery.node.ts). After an import the app starts again with the key.
 */
async function showRecovery(problem: StartupError, database: DatabaseConfig | null, settings: ReturnType<typeof openElectronSettings>, vault: KeytarVault): Promise<void> {
  const logger = await createFileLogger(path.join(app.getPath('userData'), 'logs'));
  const core = openRecoveryCore({
    problem,
    vault,
    settings,
    dataDir: app.getPath('userData'),
    database,
    logger,
    // Long enough for the screen to say what happened.
    onEnrolled: () => void setTimeout(() => {
      app.relaunch();
      app.exit(0);
    }, 2_500),
  });
  connectCore(core, (contents) => mainWindow !== null && !mainWindow.isDestroyed() && contents === mainWindow.webContents);
  app.on('will-quit', () => void core.close());
  mainWindow = createWindow(core, '#recovery');
}

function focusMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

/** Startup refusals and crashes alike: log class and frames only, show steps or a generic box, exit. */
async function failFatally(error: unknown): Promise<void> {
  let logFile: string | null = null;
  try {
    const logger = await createFileLogger(path.join(app.getPath('userData'), 'logs'));
    logger.error('app.fatal', error);
    logFile = logger.file;
    await logger.close();
  } catch {
    // An unwritable data folder must not hide the dialog below.
  }
  const box = startupFailureBox(error, logFile);
  dialog.showErrorBox(box.title, box.content);
  app.exit(1);
}

async function start(): Promise<void> {
  await app.whenReady();
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ isMac: process.platform === 'darwin', isPackaged: app.isPackaged })));
  session.defaultSession.setPermissionRequestHandler(denyPermissionRequest);
  session.defaultSession.setPermissionCheckHandler(denyPermissionCheck);
  const rendererRoot = path.join(app.getAppPath(), 'dist', 'renderer');
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererRoot));

  const vault = new KeytarVault();
  const settings = openElectronSettings();
  const dataDir = app.getPath('userData');
  let database: DatabaseConfig | null = null;
  let core: Core;
  try {
    database = await resolveDatabaseConfig(settings, vault, dataDir);
    core = await openCore({ dataDir, vault, settings, database, fileSaver: dialogFileSaver });
  } catch (error) {
    if (error instanceof StartupError && ENROLABLE.includes(error.code)) return showRecovery(error, database, settings, vault);
    throw error;
  }
  connectCore(core, (contents) => mainWindow !== null && !mainWindow.isDestroyed() && contents === mainWindow.webContents);

  // Windows close first (ending their sessions), then the database is closed before the process exits.
  app.on('will-quit', (event) => {
    event.preventDefault();
    core.close().then(
      () => app.exit(0),
      () => app.exit(1),
    );
  });
  mainWindow = createWindow(core);
}

if (app.requestSingleInstanceLock()) {
  app.on('second-instance', focusMainWindow);
  app.on('web-contents-created', (_event, contents) => harden(contents));
  app.on('window-all-closed', () => app.quit());
  // Electron's default crash dialog would show the error message, which could carry PII.
  process.on('uncaughtException', (error) => void failFatally(error));
  process.on('unhandledRejection', (reason) => void failFatally(reason));
  start().catch((error: unknown) => failFatally(error));
} else {
  // Another instance owns the database; it gets focus through 'second-instance'.
  app.quit();
}
