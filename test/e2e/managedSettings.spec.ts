import { mkdir } from 'node:fs/promises';
import { ADMIN, navigation, reloadAndSignIn, seedAdministrator } from './flows.ts';
import { expect, test } from './harness.ts';

const MANAGED_BY = 'IT department, ticket desk ext. 4410';
const SHOTS = process.env.SHOTS_DIR;

test.use({
  managedSettings: {
    version: 1,
    managedBy: MANAGED_BY,
    locked: {
      idleLockMinutes: 5,
      retentionDays: 400,
      databaseConnection: { engine: 'postgresql', host: 'db.office.example', port: 5432, database: 'privacy', user: 'console_app', tls: { mode: 'require' } },
      updates: { automatic: false, channel: 'stable' },
    },
  },
});

test('settings IT locked show who locked them and cannot be edited; the unlocked ones still can', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await reloadAndSignIn(page, ADMIN);
  await navigation(page).getByRole('link', { name: 'Settings' }).click();

  const notice = page.getByRole('alert').filter({ hasText: `Managed by ${MANAGED_BY}` });
  await expect(notice).toContainText('Idle lock: 5 minutes');
  await expect(notice).toContainText('Keep closed records: 400 days');
  await expect(notice).toContainText('Database: console_app@db.office.example:5432/privacy (TLS require)');
  await expect(notice).toContainText('Updates: installed by IT only, stable channel');
  await expect(notice).toContainText('managed.json');

  // The locked values apply, with the badge and a disabled control.
  const minutes = page.getByLabel('Lock after (minutes)');
  await expect(minutes).toHaveValue('5');
  await expect(minutes).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await expect(navigation(page)).toContainText('Locks after 5 min idle');
  await expect(page.getByText(`Locked by ${MANAGED_BY}`).first()).toBeVisible();

  const keeping = page.getByRole('form', { name: 'Record keeping' });
  await expect(keeping.getByLabel('Keep closed records (days)')).toBeDisabled();
  await expect(keeping.getByLabel('Keep closed records (days)')).toHaveValue('400');
  // The unlocked one beside it is still the office's to change, and saving keeps the locked value.
  await keeping.getByLabel('Answer requests within (days)').fill('20');
  await keeping.getByRole('button', { name: 'Save record keeping' }).click();
  await expect(page.getByText('Saved for every workstation: records kept 400 days after closing, requests answered within 20 days.')).toBeVisible();

  const connection = page.getByRole('form', { name: 'Workstation connection' });
  await expect(connection.getByRole('radio', { name: 'Office database (PostgreSQL)' })).toBeChecked();
  await expect(connection.getByRole('radio', { name: 'This workstation only (built-in)' })).toBeDisabled();
  await expect(connection.getByLabel('Server host')).toHaveValue('db.office.example');
  await expect(connection.getByLabel('Server host')).toBeDisabled();
  // Only the password of the locked database is this workstation's to enter.
  await expect(connection.getByRole('textbox', { name: 'Password', exact: true })).toBeEnabled();
  await expect(connection.getByRole('button', { name: 'Save password' })).toBeEnabled();

  // Around the form, straight at the channel: main refuses too.
  const refused = await page.evaluate(() =>
    (globalThis as unknown as { privacyConsole: { invoke(c: string, i: unknown): Promise<unknown> } }).privacyConsole.invoke('settings.update', { idleLockMinutes: 60 }),
  );
  expect(refused).toEqual({ ok: false, error: { code: 'LOCKED_BY_POLICY', message: `The idle lock is locked by ${MANAGED_BY}. Nothing was changed.` } });

  if (SHOTS) {
    await mkdir(SHOTS, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.mouse.move(0, 0);
      await page.screenshot({ path: `${SHOTS}/managed-settings-${scheme}.png`, fullPage: true, animations: 'disabled' });
    }
  }
});
