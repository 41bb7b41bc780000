import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary, projectDir } from '../../scripts/electronBinary.mjs';

const binary = findElectronBinary();

test.describe('the app in real Electron', () => {
  test.skip(binary === null, 'Electron binary not present (set ELECTRON_OVERRIDE_DIST_PATH): real-Electron E2E skipped');

  let app: ElectronApplication;
  let page: Page;
  let userData: string;

  test.beforeAll(async () => {
    // A fresh profile: first run, and no interference with a developer's real data or running instance.
    userData = mkdtempSync(path.join(tmpdir(), 'itpc-electron-'));
    app = await electron.launch({
      executablePath: binary ?? undefined,
      args: [projectDir, `--user-data-dir=${userData}`],
      cwd: projectDir,
    });
    page = await app.firstWindow();
  });

  test.afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test('loads the app origin in one window', async () => {
    await expect(page).toHaveURL(/^app:\/\/console\//);
    expect(app.windows()).toHaveLength(1);
  });

  test('exposes only the bridge to the page, never Node', async () => {
    const globals = await page.evaluate(() => {
      const scope = globalThis as Record<string, unknown>;
      return {
        bridge: typeof scope.privacyConsole,
        require: typeof scope.require,
        process: typeof scope.process,
        ipcRenderer: typeof scope.ipcRenderer,
      };
    });
    expect(globals).toEqual({ bridge: 'object', require: 'undefined', process: 'undefined', ipcRenderer: 'undefined' });
  });

  test('shows the first-run setup screen', async () => {
    await expect(page.getByRole('heading', { name: 'Set up the console' })).toBeVisible();
  });

  test('refuses unknown channels in the preload', async () => {
    const result = await page.evaluate(() => {
      const bridge = (globalThis as unknown as { privacyConsole: { invoke(c: string, i: unknown): Promise<unknown> } }).privacyConsole;
      return bridge.invoke('not.a.channel', {});
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });
});
