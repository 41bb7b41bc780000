import type { Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { asPerson, JANE, navigation, REAUTH_WINDOW_MS, reloadAndSignIn, seedAccount, seedAdministrator, signIn, signOut, STAFF, type Person } from './flows.ts';
import { expect, test } from './harness.ts';

const MANAGER: Person = { username: 'mia.manager', displayName: 'Mia Hoffmann', password: 'silver orchard evening bridge' };
const MANAGER2: Person = { username: 'max.manager', displayName: 'Max Berger', password: 'copper meadow silent river' };
const AUDITOR: Person = { username: 'aino.audit', displayName: 'Aino Virtanen', password: 'granite meadow quiet ferry' };
const SHOTS = process.env.ERASURE_SHOTS ?? 'test-results/screens';

/** Light and dark screenshots of the current screen (the console follows the system's colour scheme). */
async function shots(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.mouse.move(0, 0);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SHOTS}/erasure-${name}-${scheme}.png`, fullPage: true, animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: null });
}

async function choose(page: Page, scope: ReturnType<Page['getByRole']>, label: string, option: string): Promise<void> {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function searchByEmail(page: Page, email: string): Promise<void> {
  await navigation(page).getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('textbox', { name: 'Exact value' }).fill(email);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
}

test('staff file a deletion, a manager approves it with the password, the customer is gone from search, the auditor sees the tombstone', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  for (const [person, role] of [[STAFF, 'staff'], [MANAGER, 'manager'], [AUDITOR, 'auditor']] as const) await seedAccount(core, person, role);
  await asPerson(core, STAFF, (invoke) => invoke('customers.create', JANE));

  // Staff: open the record for a deletion request and file one.
  await reloadAndSignIn(page, STAFF);
  await searchByEmail(page, JANE.email);
  await page.getByRole('button', { name: 'Open record of Jane D.' }).first().click();
  const purpose = page.getByRole('dialog', { name: 'Open the record of Jane D.' });
  await purpose.getByRole('radio', { name: 'Deletion request' }).check();
  await purpose.getByRole('button', { name: 'Open record' }).click();
  await page.getByRole('button', { name: 'Request deletion' }).click();
  const form = page.getByRole('dialog', { name: 'Request deletion of this customer’s records' });
  await form.getByRole('button', { name: 'File request' }).click();
  await expect(form.getByText('Choose why the records should be deleted')).toBeVisible();
  await choose(page, form, 'Reason', 'Other');
  await form.getByRole('button', { name: 'File request' }).click();
  await expect(form.getByText('Say what the other reason is')).toBeVisible();
  await choose(page, form, 'Reason', 'The customer asked');
  await choose(page, form, 'How the request reached iTechno', 'Email');
  await form.getByLabel('Note').fill('Customer emailed asking us to delete the account.');
  await shots(page, 'file-request');
  await form.getByRole('button', { name: 'File request' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Deletion request: Jane D.' })).toBeVisible();
  await expect(page.getByText('Waiting for a decision')).toBeVisible();
  await shots(page, 'request-page-staff');
  await signOut(page);

  // Manager: the queue, the request's own page, approve with a fresh password entry.
  app.advanceTime(REAUTH_WINDOW_MS + 60_000);
  await signIn(page, MANAGER);
  await navigation(page).getByRole('link', { name: 'Deletions' }).click();
  const queue = page.getByRole('table', { name: 'Waiting for a decision' });
  await expect(queue.getByRole('row', { name: /Jane D\./ })).toContainText('Sam Okafor');
  await shots(page, 'queue');
  await queue.getByRole('button', { name: /^Open the request about Jane D\./ }).click();
  await page.getByRole('button', { name: 'Approve or deny' }).click();
  const decide = page.getByRole('dialog', { name: 'Decide a deletion request' });
  await expect(decide).toContainText('Customer emailed asking us to delete the account.');
  await shots(page, 'decide');
  app.advanceTime(REAUTH_WINDOW_MS + 60_000);
  await decide.getByRole('button', { name: 'Approve and delete' }).click();
  const reauth = page.getByRole('dialog', { name: "Confirm it's you" });
  await reauth.getByLabel('Your password').fill(MANAGER.password);
  await reauth.getByRole('button', { name: 'Confirm' }).click();
  await expect(decide).toBeHidden();
  await expect(page.getByText('Every record about the customer was deleted; a tombstone remains.')).toBeVisible();
  await shots(page, 'request-page-approved');

  await searchByEmail(page, JANE.email);
  await expect(page.getByText('No customer matches')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Customers' })).toHaveCount(0);
  await signOut(page);

  // The requester sees the outcome.
  await signIn(page, STAFF);
  await navigation(page).getByRole('link', { name: 'Deletions' }).click();
  await expect(page.getByRole('table', { name: 'Decided' }).getByRole('row', { name: /Deleted customer/ })).toContainText('Deleted');
  await signOut(page);

  // The auditor: the tombstone, and no way to the requests.
  await signIn(page, AUDITOR);
  await expect(navigation(page).getByRole('link', { name: 'Deletions' })).toHaveCount(0);
  await navigation(page).getByRole('link', { name: 'Deletion register' }).click();
  const register = page.getByRole('table', { name: 'Deleted customers' });
  await expect(register.getByRole('row')).toHaveCount(2);
  await expect(register).toContainText('The customer asked');
  await expect(register).toContainText('Sam Okafor');
  await expect(register).toContainText('Mia Hoffmann');
  await expect(register).not.toContainText('Jane');
  await shots(page, 'register');
});

test('a legal hold stops a deletion; the retention review proposes closed customers, skips the held one, and a second manager approves the batch', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  for (const [person, role] of [[STAFF, 'staff'], [MANAGER, 'manager'], [MANAGER2, 'manager']] as const) await seedAccount(core, person, role);
  await asPerson(core, STAFF, async (invoke) => {
    const made: string[] = [];
    for (const [given, family] of [['Ann', 'Archer'], ['Ben', 'Baker'], ['Cat', 'Cooper']]) {
      const { customer } = await invoke('customers.create', { ...JANE, givenName: given!, familyName: family!, email: `${given!.toLowerCase()}@example.com` });
      await invoke('customers.setStatus', { customerId: customer.id, status: 'closed' });
      made.push(customer.id);
    }
    return made;
  });
  app.advanceTime(91 * 24 * 60 * 60_000);

  // A hold on Ann, placed from her record.
  await reloadAndSignIn(page, MANAGER);
  await searchByEmail(page, 'ann@example.com');
  await page.getByRole('button', { name: 'Open record of Ann A.' }).first().click();
  const purpose = page.getByRole('dialog', { name: 'Open the record of Ann A.' });
  await purpose.getByRole('radio', { name: 'Legal request' }).check();
  await purpose.getByRole('button', { name: 'Open record' }).click();
  await page.getByRole('button', { name: 'Place legal hold' }).click();
  const holdForm = page.getByRole('dialog', { name: 'Place a legal hold' });
  await holdForm.getByLabel('Reason').fill('Court order to preserve records in the Archer matter');
  await holdForm.getByLabel('Reference').fill('HC-2026-0042');
  await shots(page, 'place-hold');
  await holdForm.getByRole('button', { name: 'Place hold' }).click();
  await expect(holdForm).toBeHidden();
  await expect(page.getByText('Legal hold HC-2026-0042')).toBeVisible();
  await shots(page, 'record-card');
  await navigation(page).getByRole('link', { name: 'Legal holds' }).click();
  await expect(page.getByRole('table', { name: 'Legal holds' })).toContainText('HC-2026-0042');
  await shots(page, 'holds');

  // Retention: Ann skipped (hold), Ben and Cat proposed.
  await navigation(page).getByRole('link', { name: 'Retention review' }).click();
  const due = page.getByRole('table', { name: 'Customers due for deletion' });
  await expect(due.getByRole('row', { name: /Ann A\./ })).toContainText('Skipped: legal hold');
  await expect(due.getByRole('row', { name: /Ben B\./ })).toContainText('Will be deleted');
  await page.getByRole('button', { name: 'Propose batch for approval' }).click();
  await expect(page.getByText('2 customers · proposed by Mia Hoffmann')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Decide' })).toHaveCount(0);
  await shots(page, 'retention-proposed');
  await signOut(page);

  await signIn(page, MANAGER2);
  await navigation(page).getByRole('link', { name: 'Retention review' }).click();
  await page.getByRole('button', { name: 'Decide' }).click();
  const decide = page.getByRole('dialog', { name: 'Decide a retention batch' });
  await decide.getByRole('button', { name: 'Approve and delete' }).click();
  await expect(decide).toBeHidden();
  await expect(page.getByText('Deleted: 2')).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Deletion progress: 2 of 2' })).toBeVisible();
  await shots(page, 'retention-done');
  await expect(page.getByRole('table', { name: 'Customers due for deletion' }).getByRole('row')).toHaveCount(2);

});
