import { ADMIN, asPerson, JANE, navigation, REAUTH_WINDOW_MS, reloadAndSignIn, saveScreen, seedAccount, seedAdministrator, STAFF, type Person } from './flows.ts';
import { expect, test } from './harness.ts';

const MANAGER: Person = { username: 'mia.manager', displayName: 'Mia Moreau', password: 'orchard violin pebble lantern' };

test('IT backs up, a customer is deleted, IT restores the backup with the password: the customer is deleted again', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  const customerId = await asPerson(core, STAFF, async (invoke) => (await invoke('customers.create', JANE)).customer.id);
  await reloadAndSignIn(page, ADMIN);

  await navigation(page).getByRole('link', { name: 'Backups' }).click();
  await expect(page.getByRole('heading', { name: 'Backups', level: 1 })).toBeVisible();
  await expect(page.getByText('No backups in')).toBeVisible();
  await expect(page.getByTestId('last-backup')).toContainText('none yet');

  await page.getByRole('button', { name: 'Back up now' }).click();
  const list = page.getByRole('table', { name: 'Backups' });
  await expect(list.getByRole('row')).toHaveCount(2);
  await expect(list).toContainText('Database key');
  await expect(page.getByTestId('last-backup')).toContainText('written');
  // The backup ran as a task: the header indicator lists it with its outcome.
  await page.getByRole('banner').getByRole('button', { name: /Backup|Tasks/ }).click();
  const backupTask = page.getByRole('dialog', { name: 'Tasks' }).getByTestId('task-backup');
  await expect(backupTask).toContainText('Finished');
  await expect(backupTask).toContainText(/Backup written: .+ \(\d[\d.,]* (KB|MB)\)\./);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Tasks' })).toBeHidden();

  // A passphrase that is too short is refused in the form.
  await page.getByLabel("Protect this backup with a passphrase instead of this database's key").check();
  await page.getByLabel('Backup passphrase').fill('too short');
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByText('At least 20 characters', { exact: true })).toBeVisible();
  await page.getByLabel("Protect this backup with a passphrase instead of this database's key").uncheck();

  // The schedule: a relative folder is refused; saved otherwise.
  const schedule = page.getByRole('form', { name: 'Backup schedule' });
  await schedule.getByLabel('Backup folder').fill('relative/folder');
  await schedule.getByRole('button', { name: 'Save schedule' }).click();
  await expect(schedule.getByText('An absolute path, or empty for the default folder')).toBeVisible();
  // "Choose…" opens the folder dialog (the harness picks its test folder); then back to the default folder.
  await schedule.getByRole('button', { name: 'Choose…' }).click();
  await expect(schedule.getByLabel('Backup folder')).toHaveValue(/\//);
  await schedule.getByLabel('Backup folder').fill('');
  await schedule.getByLabel('Back up on a schedule').check();
  await schedule.getByLabel('Keep the newest').fill('5');
  await schedule.getByRole('button', { name: 'Save schedule' }).click();
  await expect(page.getByText('Schedule saved')).toBeVisible();
  await expect(schedule.getByText('Next backup:')).toBeVisible();
  await saveScreen(page, 'backups');

  // The customer is deleted after the backup (a staff request, a manager's approval).
  await asPerson(core, STAFF, async (invoke) => {
    const filed = await invoke('erasure.file', { customerId, reason: 'customer_request', channel: 'email' });
    await asPerson(core, MANAGER, async (asManager) => {
      await asManager('session.reauthenticate', { password: MANAGER.password });
      await asManager('erasure.decide', { id: filed.request.id, decision: 'approve' });
    });
  });

  app.advanceTime(REAUTH_WINDOW_MS + 60_000);
  const restoreButton = list.getByRole('button', { name: /^Restore the backup made/ });
  await restoreButton.click();
  const dialog = page.getByRole('dialog', { name: 'Restore this backup?' });
  await dialog.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(dialog.getByText('Confirm that the database will be replaced')).toBeVisible();
  await saveScreen(page, 'backups-restore-dialog');
  await dialog.getByLabel('I understand that the current database will be replaced by this backup').check();
  await dialog.getByRole('button', { name: 'Restore this backup' }).click();
  const reauth = page.getByRole('dialog', { name: "Confirm it's you" });
  await reauth.getByLabel('Your password').fill(ADMIN.password);
  await reauth.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog.getByRole('status')).toContainText('1 customer(s) deleted since then were deleted again.');
  await expect(dialog.getByRole('status')).toContainText('privacy-console.sqlite.before-restore-');
  await saveScreen(page, 'backups-restored');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  // The restored database does not hold the customer; the audit log shows the restore and still verifies.
  const search = await asPerson(core, STAFF, (invoke) => invoke('customers.search', { by: 'email', value: JANE.email }));
  expect(search.rows).toHaveLength(0);
  await navigation(page).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByText('backup.restored').first()).toBeVisible();
});

test('a staff member has no Backups page', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await reloadAndSignIn(page, STAFF);
  await expect(navigation(page).getByRole('link', { name: 'Customers' })).toBeVisible();
  await expect(navigation(page).getByRole('link', { name: 'Backups' })).toHaveCount(0);
});
