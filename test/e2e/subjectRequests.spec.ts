import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import type { Core } from '../../main/core.contract.std.ts';
import { asPerson, JANE, navigation, NEXT_YEAR, reloadAndSignIn, REAUTH_WINDOW_MS, seedAccount, seedAdministrator, signIn, signOut, STAFF, type Person } from './flows.ts';
import { expect, test } from './harness.ts';

const MANAGER: Person = { username: 'mia.manager', displayName: 'Mia Hoffmann', password: 'silver orchard evening bridge' };
/** Screenshots to look at by eye (not committed). */
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-subjectreq';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function seed(core: Core): Promise<{ janeId: string; overdueId: string; soonId: string }> {
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  return asPerson(core, STAFF, async (invoke) => {
    const { customer } = await invoke('customers.create', JANE);
    await invoke('orders.create', {
      customerId: customer.id,
      items: [
        { sku: 'ITP-PRO', name: 'iTechno Pro', kind: 'licence', quantity: 5 },
        { sku: 'ITP-USB', name: 'Installation USB key', kind: 'product', quantity: 1 },
      ],
      billing: { name: `${JANE.givenName} ${JANE.familyName}`, address: JANE.shippingAddress },
      card: { number: '4111111111111111', expiryMonth: 12, expiryYear: NEXT_YEAR },
    });
    const overdue = await invoke('subjectRequests.open', { customerId: customer.id, type: 'access', channel: 'letter', receivedOn: daysAgo(33) });
    const soon = await invoke('subjectRequests.open', { customerId: customer.id, type: 'correction', channel: 'phone', receivedOn: daysAgo(27) });
    return { janeId: customer.id, overdueId: overdue.request.id, soonId: soon.request.id };
  });
}

async function shotsBothSchemes(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.mouse.move(0, 0);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
    await page.screenshot({ path: `${SHOTS}/${name}-${scheme}.png`, fullPage: true, animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: null });
}

async function openTracker(page: Page): Promise<void> {
  await navigation(page).getByRole('link', { name: 'Customer requests' }).click();
  await expect(page.getByRole('heading', { name: 'Customer requests', level: 1 })).toBeVisible();
}

test('staff see what is due on the home screen and log a request; a manager exports the access PDF, completes and extends', async ({ app }) => {
  const { page, core } = app;
  await seed(core);

  // Staff: the home card shows the overdue access request and the correction due within the week.
  await reloadAndSignIn(page, STAFF);
  const card = page.getByRole('region', { name: 'Customer requests' });
  await expect(card.getByRole('region', { name: 'Overdue' })).toContainText('Access — Jane D.');
  await expect(card.getByRole('region', { name: 'Overdue' })).toContainText('Overdue by 3 days');
  await expect(card.getByRole('region', { name: 'Due this week' })).toContainText('Correction — Jane D.');
  await expect(card.getByRole('region', { name: 'Due this week' })).toContainText('Due in 3 days');
  await shotsBothSchemes(page, 'home-staff');

  // Staff log a deletion request received by email today, finding the customer by exact email.
  await openTracker(page);
  await page.getByRole('button', { name: 'Log a request' }).click();
  const log = page.getByRole('dialog', { name: 'Log a customer request' });
  await log.getByLabel('Exact value').fill(JANE.email);
  await log.getByRole('button', { name: 'Search' }).click();
  await expect(log.getByRole('radio', { name: /Jane D\./ })).toBeChecked();
  await log.getByRole('combobox', { name: 'Request', exact: true }).click();
  await page.getByRole('option', { name: 'Deletion', exact: true }).click();
  await shotsBothSchemes(page, 'log-request');
  await log.getByRole('button', { name: 'Log request' }).click();
  await expect(log).toBeHidden();
  const table = page.getByRole('table', { name: 'Open requests' });
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(table.getByRole('row').filter({ hasText: 'Deletion' })).toContainText('Logged by you');
  await shotsBothSchemes(page, 'tracker-staff');

  // Staff may not extend, refuse or export: those controls are not offered.
  await table.getByRole('button', { name: /Details of the access request/ }).click();
  const staffDetail = page.getByRole('dialog', { name: 'Access request' });
  await expect(staffDetail.getByRole('button', { name: 'Export as PDF' })).toHaveCount(0);
  await expect(staffDetail.getByRole('button', { name: 'Extend deadline' })).toHaveCount(0);
  await expect(staffDetail.getByRole('button', { name: 'Complete' })).toBeDisabled();
  await page.keyboard.press('Escape');

  // The manager answers the overdue access request with a PDF saved where they choose (the harness's folder).
  await signOut(page);
  app.advanceTime(REAUTH_WINDOW_MS + 60_000);
  await signIn(page, MANAGER);
  await openTracker(page);
  await page.getByRole('button', { name: /Details of the access request/ }).click();
  const detail = page.getByRole('dialog', { name: 'Access request' });
  await expect(detail).toContainText('Overdue by 3 days');
  await shotsBothSchemes(page, 'detail-access-manager');
  await detail.getByRole('button', { name: 'Export as PDF' }).click();
  await expect(detail.getByRole('status')).toContainText('Saved as personal-data-');
  expect(app.files.chosen).toHaveLength(1);
  const pdf = app.files.chosen[0]!;
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  expect(text).toContain(`${JANE.givenName} ${JANE.familyName}`);
  expect(text).toContain(JANE.email);
  expect(text).toContain('iTechno Pro');
  expect(text).toContain('Installation USB key');
  expect(text).toContain('Visa ending 1111');
  expect(text).toContain('The disclosure register shows nothing released about this customer.');
  expect(text).not.toContain('4111111111111111');
  await expect(detail).toContainText('Made ');

  await detail.getByRole('button', { name: 'Complete' }).click();
  const complete = page.getByRole('dialog', { name: 'Complete the request' });
  await complete.getByRole('button', { name: 'Complete' }).click();
  await expect(page.getByRole('dialog', { name: 'Access request' })).toContainText('Completed');
  await page.keyboard.press('Escape');

  // The correction request gets its one extension, with the new due date shown before it is saved.
  await page.getByRole('button', { name: /Details of the correction request/ }).click();
  const correction = page.getByRole('dialog', { name: 'Correction request' });
  await expect(correction.getByRole('heading', { name: 'Recipients to tell' })).toBeVisible();
  await expect(correction).toContainText('The disclosure register shows no recipient of this customer’s data.');
  await correction.getByRole('button', { name: 'Extend deadline' }).click();
  const extend = page.getByRole('dialog', { name: 'Extend the deadline' });
  await extend.getByLabel('Extra days').fill('14');
  await expect(extend.getByRole('status')).toContainText('New due date');
  await extend.getByLabel('Reason for the extension').fill('We are waiting for the customer to send proof of the new address');
  await shotsBothSchemes(page, 'extend-modal');
  await extend.getByRole('button', { name: 'Extend' }).click();
  const extended = page.getByRole('dialog', { name: 'Correction request' });
  await expect(extended).toContainText('Extended');
  await expect(extended).toContainText('waiting for the customer to send proof');
  await expect(extended.getByRole('button', { name: 'Extend deadline' })).toHaveCount(0);
  await shotsBothSchemes(page, 'detail-extended');
  await page.keyboard.press('Escape');

  await page.getByText('Closed', { exact: true }).click();
  await expect(page.getByRole('table', { name: 'Closed requests' })).toContainText('Completed');
});
