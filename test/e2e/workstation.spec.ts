import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { DATABASE_FILE, openCore } from '../../main/core.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { openNodeSettings } from '../../main/platform/settings/settings.node.ts';
import { StartupError } from '../../main/platform/startupError.std.ts';
import { openRecoveryCore } from '../../main/recovery.node.ts';
import { freePort } from '../support/postgresServer.ts';
import { ADMIN, navigation, reloadAndSignIn, saveScreen, seedAdministrator } from './flows.ts';
import { expectAccessible } from './axe.ts';
import { expect, test } from './harness.ts';

/** The console's header is sticky: scrolled, it would sit in the middle of a full-page screenshot. */
async function screenshotFromTop(page: Page, name: string): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await saveScreen(page, name);
}

async function openSettings(page: Page): Promise<void> {
  await navigation(page).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Workstation connection' })).toBeVisible();
}

test('IT fills in the office database connection, tests it (result in words) and saves it; the password stays out of the settings file', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core, ADMIN);
  await reloadAndSignIn(page, ADMIN);
  await openSettings(page);

  // The built-in database answers "ok": this workstation holds its key.
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Connection works' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('radio', { name: 'Office database (PostgreSQL)' }).check();
  // Keyboard only: the fields follow in reading order.
  await page.getByLabel('Server host').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Port')).toBeFocused();
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText('Enter the database server name or address')).toBeVisible();
  await expect(page.getByText('Choose the CA certificate file')).toBeVisible();

  const port = await freePort();
  await page.getByLabel('Server host').fill('127.0.0.1');
  await page.getByLabel('Port').fill(String(port));
  await page.getByLabel('Database name').fill('privacy_console');
  await page.getByLabel('User').fill('console_app');
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('office db secret 2026');
  await page.getByLabel('CA certificate file').fill('/etc/ssl/certs/office-ca.pem');
  await page.getByRole('radio', { name: /^require/ }).check();
  await expect(page.getByLabel('CA certificate file')).toHaveCount(0);
  await page.getByRole('button', { name: 'Test connection' }).click();
  const result = page.getByRole('status').filter({ hasText: 'Server not reachable' });
  await expect(result).toBeVisible();
  await expect(result).toContainText('Check the host name and port.');
  await expectAccessible(page);
  await screenshotFromTop(page, '20-workstation-connection-test');

  await page.getByRole('button', { name: 'Save connection' }).click();
  await expect(page.getByText('Connection saved. It applies the next time the console starts on this workstation.')).toBeVisible();
  await expect(page.getByText('A password is stored in the keychain; leave empty to keep it.')).toBeVisible();
  const { readFile } = await import('node:fs/promises');
  const file = await readFile(core.paths.settings, 'utf8');
  expect(file).not.toContain('office db secret 2026');
  expect(JSON.parse(file).databaseConnection).toEqual({ engine: 'postgresql', host: '127.0.0.1', port, database: 'privacy_console', user: 'console_app', tls: { mode: 'require' } });
});

test('IT creates an enrolment package; the new workstation imports it on the recovery screen', async ({ app, context, server, bridgeScript }) => {
  const { page, core } = app;
  await seedAdministrator(core, ADMIN);
  await reloadAndSignIn(page, ADMIN);
  await openSettings(page);

  await page.getByRole('button', { name: 'Create enrolment package' }).click();
  const passphrase = (await page.getByTestId('generated-passphrase').textContent())!;
  expect(passphrase).toMatch(/^([A-Z2-9]{5}-){5}[A-Z2-9]{5}$/);
  const packageText = await page.getByRole('textbox', { name: 'Enrolment package' }).inputValue();
  expect(JSON.parse(packageText).format).toBe('itpc-enrolment');
  await expectAccessible(page);
  await screenshotFromTop(page, '21-enrolment-package');

  // The new workstation: same database file, an empty keychain. The console refuses, main shows #recovery.
  const vault = new MemoryVault();
  const database = { client: 'sqlite' as const, filename: join(app.dataDir, DATABASE_FILE) };
  const problem = await openCore({ dataDir: app.dataDir, vault, database }).then(
    () => null,
    (error: unknown) => error,
  );
  expect(problem instanceof StartupError && problem.code).toBe('KEY_MISSING');
  const recovery = openRecoveryCore({ problem: problem as StartupError, vault, settings: openNodeSettings(app.dataDir), dataDir: app.dataDir, database });
  const screen = await context.newPage();
  await screen.exposeBinding('__pcInvoke', (_source, channel: unknown, input: unknown) => recovery.handle({ senderId: 'recovery', trusted: true }, String(channel), input));
  await screen.addInitScript({ content: bridgeScript });
  await screen.goto(`${server.origin}/index.html#recovery`);
  await expect(screen.getByRole('heading', { name: 'The console cannot open' })).toBeVisible();
  await expect(screen.getByText("The encryption key for this database is not in this computer's keychain.", { exact: false })).toBeVisible();

  await screen.getByRole('textbox', { name: 'Enrolment package' }).fill(packageText);
  await screen.getByRole('textbox', { name: 'Passphrase', exact: true }).fill('WRONG-WRONG-WRONG');
  await screen.getByRole('button', { name: 'Enrol this workstation' }).click();
  await expect(screen.getByRole('alert')).toContainText('The passphrase does not open this enrolment package. Nothing was changed.');
  await expectAccessible(screen);
  await saveScreen(screen, '22-recovery-enrol-refused');

  await screen.getByRole('textbox', { name: 'Passphrase', exact: true }).fill(passphrase);
  await screen.getByRole('button', { name: 'Enrol this workstation' }).click();
  await expect(screen.getByRole('heading', { name: 'Workstation enrolled' })).toBeVisible();
  await expect(screen.getByRole('status').filter({ hasText: 'The office key is installed' })).toBeVisible();
  await expectAccessible(screen);
  await saveScreen(screen, '23-recovery-enrolled');
  await screen.close();

  // With the key in its keychain the second workstation now opens the database.
  const second = await openCore({ dataDir: app.dataDir, vault, database });
  await second.close();
});
