import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import type { ChannelInput } from '../../main/api.std.ts';
import type { Core } from '../../main/core.contract.std.ts';
import { MINOR_REFUSED } from '../../main/features/customers/customerFields.std.ts';
import { navigation, saveScreen, seedAccount, seedAdministrator, reloadAndSignIn, signIn, STAFF, asPerson, JANE, NEXT_YEAR, REAUTH_WINDOW_MS, type Person } from './flows.ts';
import { expect, test } from './harness.ts';

const MANAGER: Person = { username: 'mia.manager', displayName: 'Mia Hoffmann', password: 'silver orchard evening bridge' };
const AUDITOR: Person = { username: 'aino.audit', displayName: 'Aino Virtanen', password: 'granite meadow quiet ferry' };

const VISA = '4111111111111111';

async function seedCustomerWithOrder(core: Core, person: Person, details: ChannelInput<'customers.create'> = JANE): Promise<string> {
  return asPerson(core, person, async (invoke) => {
    const { customer } = await invoke('customers.create', details);
    await invoke('orders.create', {
      customerId: customer.id,
      items: [{ sku: 'ITP-PRO', name: 'iTechno Pro', kind: 'licence', quantity: 5 }],
      billing: { name: `${details.givenName} ${details.familyName}`, address: details.shippingAddress },
      card: { number: VISA, expiryMonth: 12, expiryYear: NEXT_YEAR },
    });
    return customer.id;
  });
}

async function openCustomersAs(page: Page, person: Person): Promise<void> {
  await reloadAndSignIn(page, person);
  await openCustomers(page);
}

async function openCustomers(page: Page): Promise<void> {
  await navigation(page).getByRole('link', { name: 'Customers' }).click();
  await expect(page.getByRole('heading', { name: 'Customers', exact: true })).toBeVisible();
}

/** Clicks the row's Open button and opens the record for `purpose` (the radio's label). */
async function openRecord(page: Page, displayName: string, purpose: string): Promise<void> {
  await page.getByRole('button', { name: `Open record of ${displayName}` }).first().click();
  const dialog = page.getByRole('dialog', { name: `Open the record of ${displayName}` });
  await dialog.getByRole('radio', { name: purpose }).check();
  await dialog.getByRole('button', { name: /^Open (record|with break-glass)$/ }).click();
  await expect(dialog).toBeHidden();
}

/** Picks an option of a Mantine Select by its label. */
async function choose(page: Page, scope: ReturnType<Page['getByRole']>, label: string, option: string): Promise<void> {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** A full-page screenshot from the top (the header is sticky, so a scrolled page would show it mid-page). */
async function screen(page: Page, name: string): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await saveScreen(page, name);
}

/** The same screen with the system set to light and to dark (the console follows the system's colour scheme). */
async function screenBothSchemes(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await screen(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screen(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: null });
}

/**
 * Notifications sit bottom-right, over whatever is below them, and pause while hovered. Moving the pointer away
 * lets them close (as a person would), so a button underneath can be clicked.
 */
async function waitForNotificationsToClose(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await expect(page.getByRole('alert').filter({ hasText: 'Done' })).toHaveCount(0);
}

/** Chooses a file through the CSV picker, as a person would (the file chooser dialog). */
async function pickFile(page: Page, name: string, text: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'CSV file' }).click();
  await (await chooser).setFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

test('staff create a customer and an order, find it, open it for a stated purpose (audited), and cannot reveal the card', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, AUDITOR, 'auditor');
  await reloadAndSignIn(page, STAFF);

  await expect(navigation(page).getByRole('link')).toHaveText(['Home', 'Customers', 'Customer requests', 'Deletions', 'Privacy policy', 'Announcements', 'Disclosures', 'Tasks', 'About my role']);
  await openCustomers(page);
  await expect(page.getByText('No customers yet.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Import CSV' })).toHaveCount(0);

  // New customer: the contract's own rules give messages before anything is sent.
  await page.getByRole('button', { name: 'New customer' }).click();
  const form = page.getByRole('dialog', { name: 'New customer' });
  await form.getByRole('button', { name: 'Create customer' }).click();
  await expect(form.getByText('Required').first()).toBeVisible();
  await form.getByLabel('Email').fill('jane.doe@');
  await form.getByLabel('Date of birth').fill(`${new Date().getFullYear() - 12}-01-01`);
  await form.getByLabel('Newsletters').check();
  await form.getByRole('button', { name: 'Create customer' }).click();
  await expect(form.getByText('Not a valid email address')).toBeVisible();
  await expect(form.getByText(MINOR_REFUSED)).toBeVisible();
  await form.getByLabel('Given name').scrollIntoViewIfNeeded();
  await screen(page, '20-customer-new-validation');

  await form.getByLabel('Given name').fill(JANE.givenName);
  await form.getByLabel('Family name').fill(JANE.familyName);
  await form.getByLabel('Email').fill(JANE.email);
  await form.getByLabel('Phone').fill(JANE.phone);
  await form.getByLabel('Street').fill(JANE.shippingAddress.street);
  await form.getByLabel('City').fill(JANE.shippingAddress.city);
  await form.getByLabel('Postal code').fill(JANE.shippingAddress.postalCode);
  await form.getByLabel('Country').fill(JANE.shippingAddress.country);
  await form.getByLabel('Date of birth').fill(JANE.dateOfBirth);
  await choose(page, form, 'How did the customer give this consent?', 'Order form');
  await form.getByRole('button', { name: 'Create customer' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByText('Customer record created.')).toBeVisible();

  // The list shows masked rows only.
  const list = page.getByRole('table', { name: 'Customers' });
  await expect(list.getByRole('row', { name: /Jane D\./ })).toContainText('Bristol');
  await expect(list).not.toContainText('Doe-Smith');

  // Exact search, case-insensitive on email.
  await page.getByRole('textbox', { name: 'Exact value' }).fill('JANE.DOE@example.com');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const results = page.getByRole('table', { name: 'Search results' });
  await expect(results.getByRole('row', { name: /Jane D\./ })).toBeVisible();
  await expect(page.getByText('1 match')).toBeVisible();
  await screen(page, '21-customers-search');

  // Opening needs a purpose; staff are not offered the legal purpose.
  await results.getByRole('button', { name: 'Open record of Jane D.' }).click();
  const purpose = page.getByRole('dialog', { name: 'Open the record of Jane D.' });
  await purpose.getByRole('button', { name: 'Open record' }).click();
  await expect(purpose.getByText('Choose why you are opening this record')).toBeVisible();
  await expect(purpose.getByRole('radio')).toHaveCount(5);
  await expect(purpose.getByRole('radio', { name: 'Legal request' })).toHaveCount(0);
  await screen(page, '22-purpose-modal');
  await purpose.getByRole('radio', { name: 'Order processing' }).check();
  await purpose.getByRole('button', { name: 'Open record' }).click();

  await expect(page.getByRole('heading', { name: 'Jane Doe-Smith' })).toBeVisible();
  await expect(page.getByText('Purpose: Order processing')).toBeVisible();
  // Order processing does not need the date of birth (main did not send it), but may contact the customer
  // about a problem with the order, as the policy says.
  await expect(page.getByText(/Not shown for order processing: date of birth/)).toBeVisible();
  await expect(page.getByText(JANE.email)).toBeVisible();

  // The order form: no security-code field anywhere, and a note saying so.
  await page.getByRole('button', { name: 'New order' }).click();
  const order = page.getByRole('dialog', { name: 'New order' });
  await expect(order.getByText('CVV is never collected or stored.')).toBeVisible();
  await expect(order.getByLabel(/cvv|cvc|security code/i)).toHaveCount(0);
  await expect(order.getByLabel('Billing name')).toHaveValue('Jane Doe-Smith');
  await order.getByLabel('SKU').fill('ITP-PRO');
  await order.getByLabel('Product').fill('iTechno Pro');
  await choose(page, order, 'Kind', 'Licence');
  await order.getByLabel('Quantity').fill('5');
  await order.getByLabel('Card number').fill('4111 1111 1111 1112');
  await expect(order.getByText('Check digit does not match — look for a typing error')).toBeVisible();
  await order.getByLabel('Card number').fill('4111 1111 1111 1111');
  await expect(order.getByText('Visa · check digit OK')).toBeVisible();
  await choose(page, order, 'Expiry month', '12');
  await choose(page, order, 'Expiry year', String(NEXT_YEAR));
  await screen(page, '23-order-form');
  await order.getByRole('button', { name: 'Place order' }).click();
  await expect(order).toBeHidden();

  // The new order shows a masked card; staff may not reveal it.
  const card = page.getByRole('group', { name: 'Payment card' });
  await expect(card.getByTestId('masked-card')).toHaveText('•••• 1111');
  await expect(card.getByRole('button', { name: 'Reveal full number' })).toBeDisabled();
  await expect(card.getByText('Not permitted for your role')).toBeVisible();
  // Order processing shows the expiry and the billing details; the licence key only as a hint.
  await expect(card.getByText(`exp. 12/${NEXT_YEAR}`)).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: 'Jane Doe-Smith' })).toHaveCount(1);
  await expect(page.getByRole('cell', { name: /^•••••-•••••-•••••-•••••-[0-9A-Z]{5}/ })).toBeVisible();

  // Licence key: only a hint, and it can be re-sent.
  await waitForNotificationsToClose(page);
  await page.getByRole('button', { name: 'Re-send licence key for iTechno Pro' }).click();
  await expect(page.getByText('Licence key for iTechno Pro re-sent to the customer.')).toBeVisible();
  await expect(page.getByText(/re-sent 1×/)).toBeVisible();
  await screen(page, '24-record-order-processing');

  // The opening is in the audit log with its purpose (read by an auditor in a second window).
  const auditor = await app.openWindow();
  await signIn(auditor, AUDITOR);
  await navigation(auditor).getByRole('link', { name: 'Audit log' }).click();
  // Two openings: the one chosen in the dialog, and the refresh that shows the placed order as main returns it.
  const recordViews = auditor.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: 'record.view' });
  await expect(recordViews).toHaveCount(2);
  for (const row of await recordViews.all()) {
    await expect(row).toContainText('purpose: order_processing');
    await expect(row).toContainText(STAFF.displayName);
  }
  await screen(auditor, '25-audit-record-view');
});

test('a manager reveals a full card number with a reason and a password re-entry; it hides again after 30 seconds', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, MANAGER, 'manager');
  await seedCustomerWithOrder(core, MANAGER);
  await reloadAndSignIn(page, MANAGER);
  await expect(navigation(page).getByRole('link')).toHaveText(['Home', 'Customers', 'Customer requests', 'Deletions', 'Legal holds', 'Retention review', 'Deletion register', 'Privacy policy', 'Announcements', 'Disclosures', 'Disclosure register', 'Break-glass reviews', 'Minors', 'Tasks', 'About my role']);
  // Let the sign-in's own re-authentication expire so the reveal has to ask for the password.
  app.advanceTime(REAUTH_WINDOW_MS + 60_000);

  await openCustomers(page);
  await page.getByRole('button', { name: 'Open record of Jane D.' }).click();
  await expect(page.getByRole('dialog').getByRole('radio', { name: 'Legal request' })).toBeVisible();
  await page.getByRole('dialog').getByRole('radio', { name: 'Order processing' }).check();
  await page.getByRole('dialog').getByRole('button', { name: 'Open record' }).click();

  const card = page.getByRole('group', { name: 'Payment card' });
  // Managers see the issuer digits as well.
  await expect(card.getByTestId('masked-card')).toHaveText('411111••••••1111');
  await expect(card.getByText(`exp. 12/${NEXT_YEAR}`)).toBeVisible();

  // The renderer's timers run on a controllable clock from here on, so 30 seconds pass in an instant.
  await page.clock.install();
  await card.getByRole('button', { name: 'Reveal full number' }).click();
  const reveal = page.getByRole('dialog', { name: 'Reveal the full card number' });
  // The shared ReasonModal puts the caret in the reason field.
  await expect(reveal.getByLabel('Reason')).toBeFocused();
  await reveal.getByLabel('Reason').fill('too short');
  await reveal.getByRole('button', { name: 'Reveal' }).click();
  await expect(reveal.getByText('Write at least 10 characters (9 so far)')).toBeVisible();
  await screenBothSchemes(page, '25-reveal-reason');
  await reveal.getByLabel('Reason').fill('Chargeback query from the card issuer');
  await reveal.getByRole('button', { name: 'Reveal' }).click();

  const reauth = page.getByRole('dialog', { name: "Confirm it's you" });
  await reauth.getByLabel('Your password').fill(MANAGER.password);
  await reauth.getByRole('button', { name: 'Confirm' }).click();

  const revealed = page.getByRole('group', { name: 'Revealed card number' });
  await expect(revealed.getByTestId('revealed-card-number')).toHaveText('4111 1111 1111 1111');
  await expect(revealed).toContainText(/Hides in (30|29) s/);
  // Readable, not selectable, and nothing offers to copy it.
  await expect(revealed.getByTestId('revealed-card-number')).toHaveCSS('user-select', 'none');
  await expect(page.getByRole('button', { name: /copy/i })).toHaveCount(0);
  await screen(page, '26-card-revealed');

  await page.clock.fastForward(10_000);
  await expect(revealed).toContainText(/Hides in (20|19) s/);
  await page.clock.fastForward(21_000);
  await expect(revealed).toBeHidden();
  await expect(page.getByText('4111 1111 1111 1111')).toHaveCount(0);
  await expect(card.getByTestId('masked-card')).toHaveText('411111••••••1111');
});

test('a correction is saved with its source and reason and appears in the history; consent changes are recorded; a record is closed', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  const customerId = await seedCustomerWithOrder(core, STAFF);
  // A consent recorded earlier by someone else, so the history has to name them.
  await asPerson(core, MANAGER, (invoke) => invoke('customers.setConsent', { customerId, purpose: 'research', granted: true, channel: 'email' }));
  await openCustomersAs(page, STAFF);

  await openRecord(page, 'Jane D.', 'Correction');
  const correction = page.getByRole('form', { name: 'Correct personal data' });
  await expect(correction.getByLabel('Email')).toHaveValue(JANE.email);
  await expect(page.getByText('This record was never corrected.')).toBeVisible();
  await correction.getByRole('button', { name: 'Save correction' }).click();
  await expect(correction.getByText('Change at least one field: the values equal the current record.')).toBeVisible();

  await correction.getByLabel('City').fill('Bath');
  await correction.getByLabel('Postal code').fill('BA1 1AA');
  await correction.getByRole('radio', { name: 'Customer request' }).check();
  await correction.getByLabel('Reason').fill('Customer moved house and phoned to update the address');
  await correction.getByRole('button', { name: 'Save correction' }).click();
  await expect(page.getByText('Corrected: City, Postal code.')).toBeVisible();

  const history = page.getByRole('table', { name: 'Correction history' });
  await expect(history).toContainText('Customer request');
  await expect(history).toContainText('Customer moved house');
  await expect(history).toContainText('City: Bristol');
  await expect(history).toContainText('Bath');
  await expect(history).toContainText('Postal code: BS1 4DJ');
  // Who corrected it, by name (resolved by main when the history is read).
  await expect(history).toContainText(`by ${STAFF.displayName} (you)`);
  // The form starts again from the corrected record.
  await expect(correction.getByLabel('City')).toHaveValue('Bath');
  await screen(page, '27-correction-history');

  // Another workstation corrects the record while this form is open: saving is refused, naming what changed.
  await asPerson(core, MANAGER, (invoke) =>
    invoke('customers.correct', { customerId, changes: { phone: '+44 117 496 0123' }, reason: 'Customer gave a new number', source: 'customer_request' }),
  );
  await correction.getByLabel('City').fill('Wells');
  await correction.getByRole('radio', { name: 'Customer request' }).check();
  await correction.getByLabel('Reason').fill('Customer moved again and phoned');
  await correction.getByRole('button', { name: 'Save correction' }).click();
  await expect(correction.getByText(/changed by someone else since you opened it: phone\. Nothing was saved/)).toBeVisible();

  // Customer support sees the marketing preferences; a change records how the customer told us.
  await page.getByRole('button', { name: 'Back to customers' }).click();
  await openRecord(page, 'Jane D.', 'Customer support');
  await expect(page.getByText(JANE.email)).toBeVisible();
  const newsletter = page.getByRole('switch', { name: 'Newsletters' });
  await expect(newsletter).not.toBeChecked();
  await newsletter.click({ force: true });
  const consent = page.getByRole('dialog', { name: 'Record consent: Newsletters' });
  await consent.getByRole('button', { name: 'Record consent' }).click();
  await expect(consent.getByText('Say how the customer told us')).toBeVisible();
  await choose(page, consent, 'How did the customer tell us?', 'Phone');
  await consent.getByRole('button', { name: 'Record consent' }).click();
  await expect(consent).toBeHidden();
  await expect(newsletter).toBeChecked();
  const consentHistory = page.getByRole('table', { name: 'Consent history' });
  await expect(consentHistory.getByRole('row').nth(1)).toContainText('Newsletters');
  await expect(consentHistory.getByRole('row').nth(1)).toContainText('Given');
  await expect(consentHistory.getByRole('row').nth(1)).toContainText('Phone');
  await expect(consentHistory.getByRole('row').nth(1)).toContainText(`${STAFF.displayName} (you)`);
  // The earlier change, as main returned it when the record was opened: named, not "another staff member".
  await expect(consentHistory.getByRole('row').nth(2)).toContainText('Research on future product ideas');
  await expect(consentHistory.getByRole('row').nth(2)).toContainText('Email');
  await expect(consentHistory.getByRole('row').nth(2)).toContainText(MANAGER.displayName);
  await screen(page, '28-consents');

  // A customer who no longer uses the service: the record is closed, not deleted, and shows so in the list.
  await page.getByRole('button', { name: 'Close record' }).click();
  const closing = page.getByRole('dialog', { name: 'Close this customer record' });
  await closing.getByRole('button', { name: 'Close record' }).click();
  await expect(closing).toBeHidden();
  await expect(page.getByRole('button', { name: 'Reopen record' })).toBeVisible();
  await page.getByRole('button', { name: 'Back to customers' }).click();
  const list = page.getByRole('table', { name: 'Customers' });
  await expect(list.getByRole('row', { name: /Jane D\./ })).toContainText('Closed');
  // The list filters by status (the channel's `status`): the closed record under Closed only.
  const byStatus = page.getByRole('radiogroup', { name: 'Show customers by status' });
  await byStatus.getByText('Active', { exact: true }).click();
  await expect(page.getByText(/active customers?, newest first/)).toBeVisible();
  await expect(list.getByRole('row', { name: /Jane D\./ })).toHaveCount(0);
  await byStatus.getByText('Closed', { exact: true }).click();
  await expect(page.getByText(/^1 closed customer, newest first/)).toBeVisible();
  await expect(list.getByRole('row', { name: /Jane D\./ })).toContainText('Closed');
  await byStatus.getByText('All', { exact: true }).click();
  await expect(list.getByRole('row', { name: /Jane D\./ })).toBeVisible();
});

test('break-glass needs a written justification, is flagged, and lands in the manager review queue', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  await seedCustomerWithOrder(core, STAFF);
  await openCustomersAs(page, STAFF);

  await page.getByRole('button', { name: 'Open record of Jane D.' }).click();
  const purpose = page.getByRole('dialog', { name: 'Open the record of Jane D.' });
  await purpose.getByRole('radio', { name: 'Break-glass: other reason' }).check();
  await expect(purpose.getByText('Flagged for manager review')).toBeVisible();
  await purpose.getByLabel('Justification').fill('Need to check');
  await purpose.getByRole('button', { name: 'Open with break-glass' }).click();
  await expect(purpose.getByText('Write at least 20 characters saying why (13 so far)')).toBeVisible();
  await purpose.getByLabel('Justification').fill('Customer called about a parcel returned to sender; no order number at hand.');
  await screen(page, '29-break-glass-purpose');
  await purpose.getByRole('button', { name: 'Open with break-glass' }).click();
  await expect(page.getByText('Break-glass access — flagged for manager review')).toBeVisible();
  await expect(page.getByText('Purpose: Break-glass: other reason')).toBeVisible();

  // A manager, in another window, finds it in the queue.
  const manager = await app.openWindow();
  await signIn(manager, MANAGER);
  await navigation(manager).getByRole('link', { name: 'Break-glass reviews' }).click();
  const queue = manager.getByRole('table', { name: 'Break-glass reviews' });
  const pending = queue.getByRole('row').filter({ hasText: STAFF.displayName });
  await expect(pending).toContainText('parcel returned to sender');
  // Which record: masked as in the customer list, never the full name.
  await expect(pending).toContainText('Jane D.');
  await expect(queue).not.toContainText(JANE.familyName);
  await screen(manager, '30-break-glass-queue');

  await pending.getByRole('button', { name: 'Mark justified' }).click();
  const review = manager.getByRole('dialog', { name: 'Mark break-glass access justified' });
  await expect(review).toContainText(`Record of Jane D., opened by ${STAFF.displayName}`);
  await review.getByRole('button', { name: 'Mark justified' }).click();
  await expect(review.getByText('Add a short note for the record')).toBeVisible();
  await review.getByLabel('Review note').fill('Confirmed with the caller; the parcel query was genuine.');
  await screenBothSchemes(manager, '31-break-glass-review');
  // Ctrl+Enter in the reason field submits the modal's primary action.
  await review.getByLabel('Review note').press('Control+Enter');
  await expect(review).toBeHidden();
  await expect(manager.getByText('Nothing to review. Every break-glass access has been reviewed.')).toBeVisible();

  await manager.getByText('Justified', { exact: true }).click();
  const done = manager.getByRole('table', { name: 'Break-glass reviews' }).getByRole('row').filter({ hasText: STAFF.displayName });
  await expect(done).toContainText('Confirmed with the caller');
  await expect(done).toContainText(MANAGER.displayName);
  await expect(done).toContainText('Jane D.');
});

const IMPORT_CSV = [
  'First Name,Surname,E-mail,Phone,Address,Town,Postcode,Country,DOB,Newsletter,Card Number',
  'Ann,Archer,ann@example.com,+44 20 7946 0001,1 High St,York,YO1 7HH,GB,1970-01-01,yes,4111111111111111',
  'Bob,Baker,not-an-email,,2 High St,York,YO1 7HH,GB,,no,',
  `Cat,Carter,cat@example.com,,3 High St,York,YO1 7HH,GB,${new Date().getFullYear() - 12}-03-04,,`,
  'Dan,Dunn,dan@example.com,,4 High St,York,,GB,,,',
  'Eve,Evans,eve@example.com,01632 960000,5 High St,Hull,HU1 1AA,gb,1990-12-31,maybe,',
  'Fay,Fox,fay@example.com,,6 High St,Leeds,LS1 1AA,GB,,N,',
].join('\r\n');

test('CSV import: suggested mapping, card columns refused, good rows imported and a per-row report for the bad ones', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, MANAGER, 'manager');
  await openCustomersAs(page, MANAGER);

  await page.getByRole('button', { name: 'Import CSV' }).click();
  await pickFile(page, 'legacy-customers.csv', IMPORT_CSV);
  await expect(page.getByText('6 rows')).toBeVisible();
  await expect(page.getByText('Card data columns are ignored')).toBeVisible();
  const mapping = page.getByRole('table', { name: 'Column mapping' });
  await expect(mapping.getByRole('combobox', { name: 'Column for Email' })).toHaveValue('E-mail');
  await expect(mapping.getByRole('combobox', { name: 'Column for Postal code' })).toHaveValue('Postcode');
  await expect(mapping.getByRole('combobox', { name: 'Column for Date of birth' })).toHaveValue('DOB');
  await screen(page, '31-import-mapping');

  await page.getByRole('button', { name: 'Run import' }).click();
  const summary = page.getByRole('status').filter({ hasText: 'Import of legacy-customers.csv finished' });
  await expect(summary).toContainText('6 rows read · 2 imported · 4 rejected');
  const report = page.getByRole('table', { name: 'Validation report' });
  await expect(report.getByRole('row', { name: /^3 Email Not a valid email address/ })).toBeVisible();
  await expect(report.getByRole('row', { name: /^4 Date of birth/ })).toContainText(MINOR_REFUSED);
  await expect(report.getByRole('row', { name: /^5 Postal code/ })).toBeVisible();
  await expect(report.getByRole('row', { name: /^6 Newsletter consent Use yes or no/ })).toBeVisible();
  // The report names rules, never the rejected values.
  await expect(report).not.toContainText('not-an-email');
  await screen(page, '32-import-report');

  await page.getByRole('button', { name: 'Back to customers' }).click();
  await expect(page.getByText('2 customers, newest first')).toBeVisible();
  const list = page.getByRole('table', { name: 'Customers' });
  await expect(list).toContainText('Ann A.');
  await expect(list).toContainText('Fay F.');
});

test('a running import shows its progress and can be cancelled, keeping nothing', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, MANAGER, 'manager');
  await openCustomersAs(page, MANAGER);

  const lines = ['First name,Last name,Email,Street,City,Postcode,Country'];
  for (let i = 0; i < 20_000; i += 1) lines.push(`Given${i},Family${i % 97},bulk${i}@example.com,${i} Long Road,Leeds,LS${i % 30} 1AA,GB`);
  await page.getByRole('button', { name: 'Import CSV' }).click();
  await pickFile(page, 'big.csv', lines.join('\n'));
  await expect(page.getByText('20000 rows')).toBeVisible();
  const allOrNothing = page.getByRole('checkbox', { name: 'Import nothing unless every row is valid' });
  await allOrNothing.check();
  await page.getByRole('button', { name: 'Run import' }).click();
  await expect(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  await screen(page, '33-import-running');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert')).toContainText('The import was cancelled. Nothing was imported.');
  // Back at the mapping as it was: the options chosen for the run are still chosen for the next one.
  await expect(allOrNothing).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Validate only (dry run, nothing is saved)' })).not.toBeChecked();
  await page.getByRole('button', { name: 'Back to customers' }).click();
  await expect(page.getByText('No customers yet.')).toBeVisible();
});

/** Bottom of the list's scrolling area and the window's height, in CSS pixels. */
async function listBottom(page: Page): Promise<{ bottom: number; viewport: number }> {
  return page
    .getByRole('table', { name: 'Customers' })
    .getByRole('rowgroup')
    .nth(1)
    .evaluate((element) => ({
      bottom: (element as unknown as { getBoundingClientRect(): { bottom: number } }).getBoundingClientRect().bottom,
      viewport: (globalThis as unknown as { innerHeight: number }).innerHeight,
    }));
}

test('the customer list is virtualised: 3 000 rows, only those in view exist, pages load as they scroll in; it fills the window and sorts by Created', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, MANAGER, 'manager');
  const lines = ['given,family,email,street,city,postcode,country'];
  for (let i = 0; i < 3000; i += 1) lines.push(`Given${i},Family${i % 97},bulk${i}@example.com,${i} Long Road,Leeds,LS${i % 30} 1AA,GB`);
  await asPerson(core, MANAGER, (invoke) =>
    invoke('customers.importRun', {
      taskId: randomUUID(),
      csv: lines.join('\n'),
      mapping: { givenName: 'given', familyName: 'family', email: 'email', street: 'street', city: 'city', postalCode: 'postcode', country: 'country' },
    }),
  );
  await openCustomersAs(page, MANAGER);

  await expect(page.getByText('3,000 customers, newest first')).toBeVisible();
  const list = page.getByRole('table', { name: 'Customers' });
  await expect(list).toHaveAttribute('aria-rowcount', '3001');
  await expect(list.getByRole('row').nth(1)).toContainText('Leeds');
  expect(await list.getByRole('row').count()).toBeLessThan(60);

  // Jump to the end: the last page is fetched on demand and its rows replace the placeholders.
  await list.getByRole('rowgroup').nth(1).evaluate((element) => {
    const scroller = element as unknown as { scrollTop: number; scrollHeight: number };
    scroller.scrollTop = scroller.scrollHeight;
  });
  const lastRow = list.locator('[aria-rowindex="3001"]');
  await expect(lastRow).toContainText('Leeds');
  expect(await list.getByRole('row').count()).toBeLessThan(60);
  await screen(page, '34-customers-virtual-list');
  const oldestName = (await lastRow.getByRole('cell').first().textContent())!;

  // The list reaches down to the window's bottom (less the page's padding and borders), also after a resize.
  for (const viewport of [{ width: 1366, height: 860 }, { width: 1280, height: 720 }, { width: 1600, height: 1100 }]) {
    await page.setViewportSize(viewport);
    await expect.poll(async () => { const { bottom, viewport: height } = await listBottom(page); return height - bottom; }, `at ${viewport.width}×${viewport.height}`).toBeLessThan(64);
    expect((await listBottom(page)).viewport - (await listBottom(page)).bottom).toBeGreaterThanOrEqual(0);
  }
  await screen(page, '34-customers-list-tall-window');
  await page.setViewportSize({ width: 1024, height: 600 });
  await expect.poll(async () => (await listBottom(page)).viewport - (await listBottom(page)).bottom).toBeLessThan(64);
  await screen(page, '34-customers-list-short-window');
  await page.setViewportSize({ width: 1366, height: 860 });

  // Sorting by Created, with the keyboard: the list starts again from the top, oldest first.
  const created = list.getByRole('columnheader', { name: 'Created' });
  await expect(created).toHaveAttribute('aria-sort', 'descending');
  await created.getByRole('button', { name: 'Created' }).focus();
  await page.keyboard.press('Enter');
  await expect(created).toHaveAttribute('aria-sort', 'ascending');
  await expect(page.getByText('3,000 customers, oldest first')).toBeVisible();
  await expect(list.locator('[aria-rowindex="2"]').getByRole('cell').first()).toHaveText(oldestName);
  // Jump-to-row still works in the other order: the end of the oldest-first list is the newest customer.
  await list.getByRole('rowgroup').nth(1).evaluate((element) => {
    const scroller = element as unknown as { scrollTop: number; scrollHeight: number };
    scroller.scrollTop = scroller.scrollHeight;
  });
  await expect(lastRow).toContainText('Leeds');
  await screen(page, '34-customers-oldest-first');
  await page.keyboard.press('Space');
  await expect(created).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByText('3,000 customers, newest first')).toBeVisible();
});

test('HTML and script in a name are shown as text, never turned into elements', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  const given = '<img src=x onerror="window.__pwned=1">';
  const family = '<script>window.__pwned=2</script>';
  await seedCustomerWithOrder(core, STAFF, { ...JANE, givenName: given, familyName: family, email: 'markup@example.com' });
  await openCustomersAs(page, STAFF);

  const list = page.getByRole('table', { name: 'Customers' });
  await expect(list).toContainText(`${given} <.`);
  await openRecord(page, `${given} <.`, 'Correction');
  await expect(page.getByRole('heading', { name: `${given} ${family}` })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Correct personal data' }).getByLabel('Given name')).toHaveValue(given);
  await expect(page.locator('main img, main script')).toHaveCount(0);
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await screen(page, '35-markup-as-text');
});

/** Everything the page holds for people and scripts: its markup plus the values typed into form fields. */
async function pageContents(page: Page): Promise<string> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { documentElement: { outerHTML: string }; querySelectorAll(s: string): ArrayLike<{ value: string }> } }).document;
    const values = Array.from(doc.querySelectorAll('input, textarea, select'), (field) => field.value);
    return [doc.documentElement.outerHTML, ...values].join('\n');
  });
}

test('the idle lock leaves no customer data behind: an open record, a revealed card and a half-filled order form are gone', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, MANAGER, 'manager');
  await seedCustomerWithOrder(core, MANAGER);
  await openCustomersAs(page, MANAGER);
  await openRecord(page, 'Jane D.', 'Order processing');
  await expect(page.getByText(JANE.email)).toBeVisible();

  // Reveal the card (the sign-in counts as the password re-entry), then start a second order.
  await page.getByRole('group', { name: 'Payment card' }).getByRole('button', { name: 'Reveal full number' }).click();
  const reveal = page.getByRole('dialog', { name: 'Reveal the full card number' });
  await reveal.getByLabel('Reason').fill('Chargeback query from the card issuer');
  await reveal.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByTestId('revealed-card-number')).toHaveText('4111 1111 1111 1111');
  await page.getByRole('button', { name: 'New order' }).click();
  const order = page.getByRole('dialog', { name: 'New order' });
  await order.getByLabel('Card number').fill('5555 5555 5555 4444');

  app.advanceTime(10 * 60_000 + 60_000);
  core.sweepIdle();
  await expect(page.getByRole('heading', { name: 'Console locked' })).toBeVisible();
  const locked = await pageContents(page);
  for (const secret of [JANE.email, JANE.familyName, JANE.phone, JANE.shippingAddress.street, '4111 1111 1111 1111', VISA, '5555 5555 5555 4444']) {
    expect(locked, `the lock screen still holds ${secret}`).not.toContain(secret);
  }
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Unlocking does not bring the record back: it has to be opened again, for a purpose, and audited again.
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(MANAGER.password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('button', { name: 'Account menu' })).toBeVisible();
  expect(await pageContents(page)).not.toContain(JANE.email);
});

test('back from a record opened from search results shows the fresh list, not stale matches', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedCustomerWithOrder(core, STAFF);
  await openCustomersAs(page, STAFF);

  await page.getByRole('textbox', { name: 'Exact value' }).fill(JANE.email);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const results = page.getByRole('table', { name: 'Search results' });
  await expect(results.getByRole('row', { name: /Jane D\./ })).toContainText('Active');
  await openRecord(page, 'Jane D.', 'Customer support');
  await page.getByRole('button', { name: 'Close record' }).click();
  await page.getByRole('dialog', { name: 'Close this customer record' }).getByRole('button', { name: 'Close record' }).click();
  await expect(page.getByRole('button', { name: 'Reopen record' })).toBeVisible();

  await page.getByRole('button', { name: 'Back to customers' }).click();
  await expect(results).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: 'Exact value' })).toHaveValue('');
  await expect(page.getByRole('table', { name: 'Customers' }).getByRole('row', { name: /Jane D\./ })).toContainText('Closed');
});
