import { ADMIN, navigation, saveScreen, seedAccount, seedAdministrator, reloadAndSignIn } from './flows.ts';
import { expect, test } from './harness.ts';

const AUDITOR = { username: 'aino.audit', displayName: 'Aino Virtanen', password: 'granite meadow quiet ferry' };

test('an auditor reads the audit log and verifies that the chain is intact', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, AUDITOR, 'auditor');
  await reloadAndSignIn(page, AUDITOR);

  await expect(navigation(page).getByRole('link', { name: 'Audit log' })).toBeVisible();
  await expect(navigation(page).getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await navigation(page).getByRole('link', { name: 'Audit log' }).click();
  const events = page.getByRole('table', { name: 'Audit events' });
  await expect(events).toContainText('setup.completed');
  await expect(events).toContainText('account.created');
  await expect(events).toContainText('auth.login');

  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByRole('status')).toContainText('Chain intact');
  // Verifying is audited too, and the list refreshes to show it.
  await expect(events).toContainText('audit.verified');
  await saveScreen(page, '10-audit-log');

  // Auditors may read accounts but not change them.
  await navigation(page).getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('table', { name: 'Accounts' })).toContainText(ADMIN.displayName);
  await expect(page.getByRole('button', { name: 'New account' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Actions for/ })).toHaveCount(0);
});

test('an auditor exports a signed head and later verifies the chain against the file', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, AUDITOR, 'auditor');
  await reloadAndSignIn(page, AUDITOR);
  await navigation(page).getByRole('link', { name: 'Audit log' }).click();

  await page.getByRole('button', { name: 'Export signed head' }).click();
  const exported = page.getByRole('status', { name: 'Signed head export' });
  await expect(exported).toContainText('Signed head of event #');
  const download = page.waitForEvent('download');
  await exported.getByRole('link', { name: 'Save head file' }).click();
  const file = await (await download).path();
  await expect(page.getByRole('table', { name: 'Audit events' })).toContainText('audit.head_exported');

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Head file', exact: true }).click();
  await (await chooser).setFiles(file);
  await page.getByRole('button', { name: 'Verify against a head file' }).click();
  await expect(page.getByRole('status', { name: 'Head file verification' })).toContainText('Chain holds the signed head');
  await saveScreen(page, '11-audit-signed-head');
});
