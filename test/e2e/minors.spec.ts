import type { Page } from '@playwright/test';
import { asPerson, JANE, navigation, reloadAndSignIn, saveScreen, seedAccount, seedAdministrator, signOut, STAFF, type Person } from './flows.ts';
import { expect, test } from './harness.ts';

const MANAGER: Person = { username: 'mia.manager', displayName: 'Mia Hoffmann', password: 'silver orchard evening bridge' };
const MANAGER2: Person = { username: 'max.manager', displayName: 'Max Berger', password: 'copper meadow silent river' };
const AUDITOR: Person = { username: 'aino.audit', displayName: 'Aino Virtanen', password: 'granite meadow quiet ferry' };
const ANN = { ...JANE, givenName: 'Ann', familyName: 'Avery', email: 'ann.avery@example.com' };
const MINOR_BIRTHDAY = `${new Date().getUTCFullYear() - 15}-03-04`;

async function openRecordAs(page: Page, name: string, purpose: string): Promise<void> {
  await navigation(page).getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('button', { name: `Open record of ${name}` }).first().click();
  const dialog = page.getByRole('dialog', { name: `Open the record of ${name}` });
  await dialog.getByRole('radio', { name: purpose }).check();
  await dialog.getByRole('button', { name: 'Open record' }).click();
}

async function shots(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await saveScreen(page, `minors-${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: null });
}

test('a minor found by a correction or a report is quarantined at once; managers see the cases, an erasure closes one, a release another', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  for (const [person, role] of [[STAFF, 'staff'], [MANAGER, 'manager'], [MANAGER2, 'manager'], [AUDITOR, 'auditor']] as const) await seedAccount(core, person, role);
  await asPerson(core, STAFF, async (invoke) => {
    await invoke('customers.create', JANE);
    await invoke('customers.create', ANN);
  });

  // Staff correct Jane's date of birth to a minor's: said under the field, saved, and the record is set apart.
  await reloadAndSignIn(page, STAFF);
  await openRecordAs(page, 'Jane D.', 'Correction');
  const correction = page.getByRole('form', { name: 'Correct personal data' });
  await correction.getByLabel('Date of birth').fill(MINOR_BIRTHDAY);
  await expect(correction.getByText('Under 18: saving sets this record apart as a minor’s')).toBeVisible();
  await correction.getByRole('radio', { name: 'Customer request' }).check();
  await correction.getByLabel('Reason').fill('Parent phoned: the customer is fifteen');
  await correction.getByRole('button', { name: 'Save correction' }).click();
  await expect(page.getByText('This date of birth is a minor’s: the record was set apart and its deletion requested.')).toBeVisible();
  await expect(page.getByText('Set apart as a minor’s record')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Report as a minor' })).toHaveCount(0);
  await shots(page, 'quarantined-record');
  await page.getByRole('button', { name: 'Back to customers' }).click();
  await expect(page.getByRole('button', { name: 'Open record of Ann A.' }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Open record of Jane D.' })).toHaveCount(0);

  // Staff report Ann as a minor: the channel is required; then she leaves the list too.
  await openRecordAs(page, 'Ann A.', 'Customer support');
  await page.getByRole('button', { name: 'Report as a minor' }).click();
  const report = page.getByRole('dialog', { name: 'Report this customer as a minor' });
  await report.getByRole('button', { name: 'Set apart and request deletion' }).click();
  await expect(report.getByText('Say how the report reached you')).toBeVisible();
  await report.getByRole('combobox', { name: 'How did you learn this?' }).click();
  await page.getByRole('option', { name: 'A parent or guardian', exact: true }).click();
  await shots(page, 'report-dialog');
  await report.getByRole('button', { name: 'Set apart and request deletion' }).click();
  await expect(page.getByText('Record set apart as a minor’s. A deletion request was filed for a manager to confirm.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Open record of Ann A.' })).toHaveCount(0);
  await expect(navigation(page).getByRole('link', { name: 'Minors' })).toHaveCount(0);
  await signOut(page);

  // A manager approves Jane's deletion and denies Ann's (she turned out to be an adult), then reads the report.
  const cases = await asPerson(core, MANAGER, (invoke) => invoke('minors.cases', {}));
  const jane = cases.cases.find((c) => c.reason === 'date_of_birth_under_18')!;
  const ann = cases.cases.find((c) => c.reason === 'reported_minor')!;
  await asPerson(core, MANAGER, async (invoke) => {
    await invoke('erasure.decide', { id: jane.deletionRequestId!, decision: 'approve' });
    await invoke('erasure.decide', { id: ann.deletionRequestId!, decision: 'deny', reason: 'Passport seen: the customer is an adult' });
  });
  await reloadAndSignIn(page, MANAGER2);
  await navigation(page).getByRole('link', { name: 'Minors' }).click();
  const table = page.getByRole('table', { name: 'Minor cases' });
  await page.getByText('All', { exact: true }).click();
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByRole('row', { name: /Date of birth under 18/ })).toContainText('Erased');
  await expect(table.getByRole('row', { name: /Reported as a minor/ })).toContainText('Needs a decision');
  await shots(page, 'report');

  await table.getByRole('button', { name: 'Release…' }).click();
  const release = page.getByRole('dialog', { name: 'Release this record from quarantine' });
  await release.getByRole('radio', { name: 'Age verified: the customer is an adult' }).check();
  await release.getByRole('button', { name: 'Release record' }).click();
  await expect(page.getByText('Record released from quarantine: it is back in lists and searches.')).toBeVisible();
  await expect(table.getByRole('row', { name: /Reported as a minor/ })).toContainText('Released');
  await navigation(page).getByRole('link', { name: 'Customers' }).click();
  await expect(page.getByRole('button', { name: 'Open record of Ann A.' }).first()).toBeVisible();
  await signOut(page);

  // The auditor reads the report (nothing identifies the child) and cannot release.
  await reloadAndSignIn(page, AUDITOR);
  await navigation(page).getByRole('link', { name: 'Minors' }).click();
  await page.getByText('All', { exact: true }).click();
  await expect(page.getByRole('table', { name: 'Minor cases' }).getByRole('row')).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'Release…' })).toHaveCount(0);
  await expect(page.getByRole('main')).not.toContainText(/Jane|Ann|Avery|Doe/);
});
