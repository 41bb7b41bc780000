import { ADMIN, asPerson, navigation, reloadAndSignIn, saveScreen, seedAccount, seedAdministrator, STAFF } from './flows.ts';
import { expectAccessible } from './axe.ts';
import { expect, test } from './harness.ts';

const THIRD = { username: 'tess.third', displayName: 'Tess Third', password: 'green lantern river stone' };

test.describe.configure({ timeout: 120_000 });

test('an IT administrator rotates keys, watches the job, makes a split recovery kit; a custodian acknowledges', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, THIRD, 'auditor');
  await reloadAndSignIn(page, ADMIN);
  await navigation(page).getByRole('link', { name: 'Keys' }).click();
  await expect(page.getByRole('heading', { name: 'Keys', level: 1 })).toBeVisible();
  const versions = page.getByRole('table', { name: 'Domain key versions' });
  await expect(versions).toContainText('Data-key wrapping key');
  await expect(page.getByText('No key has been rotated yet.')).toBeVisible();

  // The audit chain key: one step.
  await page.getByRole('button', { name: 'Rotate the audit chain key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate the audit chain key' });
  await dialog.getByRole('button', { name: 'Rotate the audit chain key' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('table', { name: 'Rotation history' })).toContainText('Audit chain key');

  // The data-key wrapping key: a job with progress; the page stays usable and the job finishes on its own.
  await page.getByRole('button', { name: 'Rotate the data-key wrapping key' }).click();
  await page.getByRole('dialog', { name: 'Rotate the data-key wrapping key' }).getByRole('button', { name: 'Rotate the data-key wrapping key' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'rotation running' })).toBeVisible();
  await saveScreen(page, 'keys-rotation-running');
  // The header's task indicator follows the job main runs, on every page (its poll shows it within 5 s).
  const indicator = page.getByRole('banner').locator('.task-indicator');
  await expect(indicator).toContainText('Customer keys moving to a new wrapping key');
  await indicator.click();
  await expect(page.getByRole('dialog', { name: 'Tasks' }).getByTestId('task-key-rotation.dek-wrap')).toContainText('Running');
  await saveScreen(page, 'task-indicator-rotation');
  await expectAccessible(page);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Tasks' })).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'rotation running' })).toBeHidden({ timeout: 60_000 });
  // Version 1 wrapped nothing any more, so it was destroyed, not only retired.
  const history = page.getByRole('table', { name: 'Rotation history' });
  await expect(history).toContainText('Data-key wrapping key');
  await expect(history).not.toContainText('Running');
  // The old version is retired, not destroyed: a workstation with a stale key ring may still have wrapped under it.
  await expect(versions.getByRole('row', { name: /^Data-key wrapping key 1 / })).toContainText('Retired');
  await expect(versions.getByRole('row', { name: /^Data-key wrapping key 2 / })).toContainText('Current');

  // The search index key: every record and account re-indexed by a job, then the old key destroyed.
  await page.getByRole('button', { name: 'Rotate the search index key' }).click();
  await page.getByRole('dialog', { name: 'Rotate the search index key' }).getByRole('button', { name: 'Rotate the search index key' }).click();
  await expect(history).toContainText('Search index key', { timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: 'rotation running' })).toBeHidden({ timeout: 60_000 });
  await expect(history).not.toContainText('Running');
  await expect(versions.getByRole('row', { name: /^Search index key 2 / })).toContainText('Current');
  await expect(versions.getByRole('row', { name: /^Search index key 1 / })).toHaveCount(0);

  // A recovery kit split for three custodians: three different people, or it is refused before it is sent.
  const form = page.getByRole('form', { name: 'Make a recovery kit' });
  await form.getByRole('radio', { name: /Split for three custodians/ }).check();
  const choose = async (share: number, name: string) => {
    await form.getByRole('combobox', { name: `Custodian of share ${share}` }).click();
    await page.getByRole('option', { name }).click();
  };
  await choose(1, ADMIN.displayName);
  await choose(2, STAFF.displayName);
  await choose(3, ADMIN.displayName);
  await form.getByRole('button', { name: 'Make recovery kit' }).click();
  await expect(form.getByText('Choose three different people')).toBeVisible();
  await choose(3, THIRD.displayName);
  await form.getByRole('button', { name: 'Make recovery kit' }).click();
  await expect(page.getByTestId('kit-passphrase')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Share 3 of 3' })).toBeVisible();
  const kits = page.getByRole('table', { name: 'Recovery kits' });
  await expect(kits).toContainText('2 of 3');
  await expect(kits).toContainText(`${STAFF.displayName} — not acknowledged yet`);
  await saveScreen(page, 'keys');

  // The staff custodian acknowledges (through the core, as that person); IT sees it.
  await asPerson(core, STAFF, async (invoke) => {
    const { shares } = await invoke('keys.custodian.mine', {});
    await invoke('keys.custodian.acknowledge', { kitId: shares[0]!.kitId });
  });
  // IT acknowledges its own share from the user menu.
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'My recovery-kit shares' }).click();
  const mine = page.getByRole('dialog', { name: 'My recovery-kit shares' });
  await expect(mine).toContainText('Share 1 of 3');
  await mine.getByRole('button', { name: 'I hold this share and accept the role' }).click();
  await expect(mine).toContainText('Acknowledged');
  await page.keyboard.press('Escape');
  await expect(mine).toBeHidden();
  await navigation(page).getByRole('link', { name: 'Home' }).click();
  await navigation(page).getByRole('link', { name: 'Keys' }).click();
  await expect(page.getByRole('table', { name: 'Recovery kits' })).toContainText(`${STAFF.displayName} — acknowledged`);
});
