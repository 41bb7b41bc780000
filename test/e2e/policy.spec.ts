import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { addDays, dayOf } from '../../main/features/policy/noticePeriod.std.ts';
import { asPerson, expectHome, JANE, navigation, reloadAndSignIn, seedAccount, seedAdministrator, STAFF, type Person } from './flows.ts';
import { expect, test } from './harness.ts';

const MANAGER: Person = { username: 'mia.manager', displayName: 'Mia Hoffmann', password: 'silver orchard evening bridge' };
const SHOTS = '/tmp/shots-policy';
const ADDED_LINE = 'We will also use shipping addresses to invite customers to product research.';

async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${SHOTS}/${name}-${scheme}.png`, fullPage: true, animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('a manager drafts version 2, compares it with version 1, publishes it as material; the notice counts 30 days; the mailing list exports', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  await asPerson(core, STAFF, (invoke) => invoke('customers.create', JANE));
  await reloadAndSignIn(page, MANAGER);
  await expectHome(page, MANAGER);
  await expect(page.getByText('No notice period is running')).toBeVisible();

  await navigation(page).getByRole('link', { name: 'Privacy policy' }).click();
  await expect(page.getByRole('heading', { name: 'Privacy policy', exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Policy versions' })).toContainText('Version 1');
  await shoot(page, 'policy-versions');

  await page.getByRole('button', { name: 'New draft' }).click();
  await expect(page.getByRole('heading', { name: /Version 2 · Privacy Policy/ })).toBeVisible();
  const editor = page.getByRole('textbox', { name: 'Text (Markdown)' });
  await editor.press('ControlOrMeta+End');
  await editor.pressSequentially(`\n\n## Research\n\n${ADDED_LINE} <script>alert(1)</script>`);
  const preview = page.getByRole('region', { name: 'Preview of the draft' });
  await expect(preview.getByRole('heading', { name: 'Research', exact: true })).toBeVisible();
  await expect(preview).toContainText('<script>alert(1)</script>');
  const diff = page.getByRole('table', { name: 'Differences between Version 1 and Version 2 (unsaved)' });
  await expect(diff).toContainText(ADDED_LINE);
  await expect(diff.getByText('Added:').first()).toBeAttached();
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('table', { name: 'Differences between Version 1 and Version 2' })).toContainText(ADDED_LINE);
  await shoot(page, 'policy-draft-diff');

  await page.getByRole('button', { name: 'Publish…', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Publish Version 2' });
  await dialog.getByLabel('Change summary').fill('Shipping addresses may also be used to invite customers to product research.');
  await dialog.getByRole('checkbox', { name: /Material change/ }).check();
  const today = dayOf(Date.now());
  // Shown in the office locale's order (en-GB: dd/mm/yyyy); typed ISO days are accepted too.
  await expect(dialog.getByLabel('Effective date')).toHaveValue(addDays(today, 30).split('-').reverse().join('/'));
  // Less than 30 days is refused in the form (and by main).
  await dialog.getByLabel('Effective date').fill(addDays(today, 20));
  await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(dialog.getByText(/at least 30 days after publication/)).toBeVisible();
  await dialog.getByLabel('Effective date').fill(addDays(today, 30));
  await shoot(page, 'policy-publish-dialog');
  await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('table', { name: 'Policy versions' })).toContainText('Material · Shipping addresses');

  await navigation(page).getByRole('link', { name: 'Home' }).click();
  await expect(page.getByText('Version 2: 30 days remaining')).toBeVisible();
  await shoot(page, 'home-notice');

  await navigation(page).getByRole('link', { name: 'Announcements' }).click();
  await page.getByRole('button', { name: 'New announcement' }).click();
  const create = page.getByRole('dialog', { name: 'New announcement' });
  await expect(create.getByRole('radio', { name: /Only affected customers — 1 customer\b/ })).toBeChecked();
  await shoot(page, 'announcement-new');
  await create.getByRole('button', { name: 'Create and list recipients' }).click();
  await expect(create).toBeHidden();
  const card = page.getByRole('article', { name: 'Our privacy policy is changing (version 2)' });
  await expect(card.getByText('1 recipient', { exact: true })).toBeVisible();
  await card.getByRole('button', { name: 'Export mailing list (CSV)' }).click();
  await expect(page.getByText(/Mailing list saved: 1 recipient in/)).toBeVisible();
  const csv = await readFile(join(app.dataDir, 'exports', (await import('node:fs')).readdirSync(join(app.dataDir, 'exports')).find((f) => f.endsWith('.csv'))!), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('recipient_id,email,given_name,family_name,organisation,policy_version');
  expect(csv).toContain(JANE.email);
  await card.getByRole('button', { name: 'Show recipients' }).click();
  await expect(card.getByRole('table', { name: 'Recipients' })).toContainText('Jane D.');
  await shoot(page, 'announcements');
});

test('staff ask for publication; another manager approves it from the version itself', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  await reloadAndSignIn(page, STAFF);
  await expectHome(page, STAFF);
  await navigation(page).getByRole('link', { name: 'Privacy policy' }).click();
  await page.getByRole('button', { name: 'New draft' }).click();
  const editor = page.getByRole('textbox', { name: 'Text (Markdown)' });
  await editor.press('ControlOrMeta+End');
  await editor.pressSequentially('\n\nClarified: cookies end when the browser closes.');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('button', { name: 'Publish…', exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Ask a manager to publish…' }).click();
  const ask = page.getByRole('dialog', { name: 'Ask a manager to publish Version 2' });
  await ask.getByLabel('Change summary').fill('Clarified wording about cookies.');
  await ask.getByLabel('Note for the approving manager').fill('Legal asked for this clarification.');
  await ask.getByRole('button', { name: 'Send for approval' }).click();
  await expect(ask).toBeHidden();
  await expect(page.getByText('Legal asked for this clarification.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Withdraw request' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Decide…' })).toHaveCount(0);

  const manager = await app.openWindow();
  await reloadAndSignIn(manager, MANAGER);
  await expectHome(manager, MANAGER);
  await navigation(manager).getByRole('link', { name: 'Privacy policy' }).click();
  await manager.getByRole('button', { name: 'Decide…' }).click();
  const decide = manager.getByRole('dialog', { name: 'Publish Version 2?' });
  await shoot(manager, 'policy-approve-dialog');
  await decide.getByRole('button', { name: 'Approve and publish' }).click();
  await expect(decide).toBeHidden();
  await expect(manager.getByRole('table', { name: 'Policy versions' })).toContainText('Clarified wording about cookies.');
  await expect(manager.getByRole('heading', { name: /Version 2 · Privacy Policy/ })).toBeVisible();
  await expect(manager.getByText('In force').first()).toBeVisible();
});
