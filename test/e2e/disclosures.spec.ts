import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { asPerson, JANE, navigation, reloadAndSignIn, saveScreen, seedAccount, seedAdministrator, signOut, STAFF, type Person } from './flows.ts';
import { expect, test } from './harness.ts';

const MANAGER: Person = { username: 'mia.manager', displayName: 'Mia Hoffmann', password: 'silver orchard evening bridge' };
const AUDITOR: Person = { username: 'aino.audit', displayName: 'Aino Virtanen', password: 'granite meadow quiet ferry' };
const COURT = 'Bristol Crown Court';
const REFERENCE = 'CO-2026-4471';
const SCAN = Buffer.concat([Buffer.from('%PDF-1.4\n% served court order\n'), Buffer.alloc(256, 0x20)]);

async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
}

async function screens(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await saveScreen(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: null });
}

test.describe.configure({ timeout: 180_000 });

test('a court-order disclosure: staff requests it, a manager approves and releases it, the register, the record and the auditor show it', async ({ app }) => {
  const { page, core } = app;
  const savedDir = app.files.dir;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  await seedAccount(core, AUDITOR, 'auditor');
  await asPerson(core, MANAGER, (invoke) => invoke('disclosures.recipients.save', { name: COURT, kind: 'legal_authority', allowedFields: ['name', 'shippingAddress', 'email', 'phone', 'dateOfBirth'] }));
  const customerId = await asPerson(core, STAFF, async (invoke) => (await invoke('customers.create', JANE)).customer.id);

  // Staff files the request.
  await reloadAndSignIn(page, STAFF);
  await navigation(page).getByRole('link', { name: 'Disclosures' }).click();
  await expect(page.getByRole('heading', { name: 'Disclosures', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Request a disclosure' }).click();
  const form = page.getByRole('dialog', { name: 'Request a disclosure' });
  await form.getByRole('textbox', { name: 'Exact value' }).fill(JANE.email);
  await form.getByRole('button', { name: 'Search' }).click();
  await form.getByRole('button', { name: 'Add Jane D.' }).click();
  await expect(form.getByRole('table', { name: 'Customers in this request' })).toContainText('Jane D.');
  await choose(page, 'Kind of disclosure', 'Required by law (court order, legal process)');
  await choose(page, 'Recipient', `${COURT} (Legal authority)`);
  await form.getByRole('checkbox', { name: 'Name' }).check();
  await form.getByRole('checkbox', { name: 'Email address' }).check();
  await form.getByRole('textbox', { name: 'Purpose' }).fill('Court order served on 18 November: identify the account holder');
  await form.getByRole('textbox', { name: 'Court or authority' }).fill(COURT);
  await form.getByRole('textbox', { name: 'Order or case number' }).fill(REFERENCE);
  await form.getByRole('textbox', { name: 'Document date' }).fill('2026-11-18');
  await form.getByRole('textbox', { name: 'Note' }).fill('Served by post; original in the legal folder.');
  const chooser = page.waitForEvent('filechooser');
  await form.getByRole('button', { name: 'Served document' }).click();
  await (await chooser).setFiles({ name: 'court-order.pdf', mimeType: 'application/pdf', buffer: SCAN });
  await screens(page, 'disclosures-new-request');
  await form.getByRole('button', { name: 'File request' }).click();
  await expect(form).toBeHidden();
  const mine = page.getByRole('table', { name: 'Your requests' });
  await expect(mine).toContainText('Pending');
  await expect(mine).toContainText(COURT);
  await screens(page, 'disclosures-staff');
  await signOut(page);

  // A manager approves, then releases (encrypted) to the harness's save folder.
  await reloadAndSignIn(page, MANAGER);
  await navigation(page).getByRole('link', { name: 'Disclosures' }).click();
  const queue = page.getByRole('table', { name: 'Requests waiting for a manager' });
  await expect(queue).toContainText(STAFF.displayName);
  await screens(page, 'disclosures-queue');
  await queue.getByRole('button', { name: /^Decide the request/ }).click();
  const detail = page.getByRole('dialog', { name: 'Disclosure request' });
  await expect(detail).toContainText(REFERENCE);
  await expect(detail).toContainText('Jane D.');
  await expect(detail).toContainText('Attached document: application/pdf');
  await detail.getByRole('button', { name: 'Open the served document' }).click();
  const download = page.waitForEvent('download');
  await detail.getByRole('link', { name: 'Save the served document' }).click();
  expect(readFileSync((await (await download).path())!)).toEqual(SCAN);
  await detail.getByRole('button', { name: 'Approve or deny…' }).click();
  const decide = page.getByRole('dialog', { name: 'Approve or deny this disclosure' });
  await screens(page, 'disclosures-decide');
  await decide.getByRole('button', { name: 'Approve' }).click();
  await expect(decide).toBeHidden();
  await expect(queue).toContainText('Approved');
  await queue.getByRole('button', { name: /^Release the request/ }).click();
  await page.getByRole('dialog', { name: 'Disclosure request' }).getByRole('button', { name: 'Release…' }).click();
  const release = page.getByRole('dialog', { name: 'Release this disclosure' });
  await expect(release.getByRole('checkbox', { name: /Encrypt with a one-time passphrase/ })).toBeChecked();
  await screens(page, 'disclosures-release');
  await release.getByRole('button', { name: 'Choose where to save and release' }).click();
  // The release is a task: leaving the page at once loses nothing; the header follows it and tells its end.
  await page.evaluate(() => void ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/'));
  await expect(page.getByRole('heading', { name: /^Welcome, / })).toBeVisible();
  await page.getByRole('banner').getByRole('button', { name: /Release of a disclosure|Tasks/ }).click();
  const tasks = page.getByRole('dialog', { name: 'Tasks' });
  const line = tasks.getByTestId('task-disclosures.release');
  await expect(line).toContainText('Release of a disclosure (1 customer)');
  // Encrypting runs scrypt (age's work factor 18): allow for a busy machine.
  await expect(line).toContainText(/1 row\(s\) saved as .*\.csv\.age\. Its one-time passphrase is shown once, under Disclosures\./, { timeout: 60_000 });
  await expect(line).toContainText('Finished');
  await screens(page, 'disclosures-release-task');
  await page.keyboard.press('Escape');
  // Back on Disclosures, the result waits with its passphrase.
  await navigation(page).getByRole('link', { name: 'Disclosures', exact: true }).click();
  const done = page.getByRole('dialog', { name: 'Disclosure released' });
  await expect(done.getByLabel('Passphrase', { exact: true })).toHaveText(/^[a-z2-9]{5}(-[a-z2-9]{5}){5}$/);
  await screens(page, 'disclosures-released');
  const shownHash = (await done.locator('pre').innerText()).trim();
  const files = readdirSync(savedDir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/\.csv\.age$/);
  const fileHash = createHash('sha256').update(readFileSync(join(savedDir, files[0]!))).digest('hex');
  expect(fileHash).toBe(shownHash);
  await done.getByRole('button', { name: 'Done' }).click();

  // The register records the hash; the customer's record shows the disclosure.
  await navigation(page).getByRole('link', { name: 'Disclosure register' }).click();
  const register = page.getByRole('table', { name: 'Disclosure register' });
  await expect(register).toContainText(REFERENCE);
  await expect(register.getByTitle(`SHA-256 ${fileHash}`)).toBeVisible();
  await screens(page, 'disclosures-register');
  await navigation(page).getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('button', { name: 'Open record of Jane D.' }).first().click();
  const purpose = page.getByRole('dialog', { name: 'Open the record of Jane D.' });
  await purpose.getByRole('radio', { name: 'Customer support' }).check();
  await purpose.getByRole('button', { name: 'Open record' }).click();
  const accounting = page.getByRole('table', { name: 'Disclosures about this customer' });
  await expect(accounting).toContainText(COURT);
  await expect(accounting).toContainText('identify the account holder');
  await signOut(page);

  // The auditor reads the register (and no customer records).
  await reloadAndSignIn(page, AUDITOR);
  await expect(navigation(page).getByRole('link', { name: 'Customers' })).toHaveCount(0);
  await navigation(page).getByRole('link', { name: 'Disclosure register' }).click();
  const audited = page.getByRole('table', { name: 'Disclosure register' });
  await expect(audited).toContainText(REFERENCE);
  await expect(audited).toContainText(STAFF.displayName);
  await expect(audited).toContainText(MANAGER.displayName);
  await expect(audited.getByTitle(`SHA-256 ${fileHash}`)).toBeVisible();
  await page.getByRole('button', { name: 'Export PDF' }).click();
  await expect.poll(() => readdirSync(savedDir).filter((f) => f.endsWith('.pdf')).length).toBe(1);
  await screens(page, 'disclosures-register-auditor');
  expect(customerId).toBeTruthy();
});
