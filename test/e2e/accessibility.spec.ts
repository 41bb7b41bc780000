import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import type { Core } from '../../main/core.contract.std.ts';
import { ADMIN, expectHome, navigation, saveScreen, seedAccount, seedAdministrator, reloadAndSignIn, signIn, signOut, STAFF, asPerson, JANE, NEXT_YEAR, REAUTH_WINDOW_MS, type Person } from './flows.ts';
import { expect, test } from './harness.ts';

/**
 * Issue #13: every screen and dialog, in the light and the dark colour scheme, has no serious or critical axe
 * violation of WCAG 2.1 A/AA. New screens belong here too: visit them in one of the walks below.
 */

const MANAGER: Person = { username: 'mia.manager', displayName: 'Mia Hoffmann', password: 'silver orchard evening bridge' };
const AUDITOR: Person = { username: 'aino.audit', displayName: 'Aino Virtanen', password: 'granite meadow quiet ferry' };

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SCHEMES = ['light', 'dark'] as const;

async function seedCustomerWithOrder(core: Core, person: Person): Promise<string> {
  return asPerson(core, person, async (invoke) => {
    const { customer } = await invoke('customers.create', JANE);
    await invoke('orders.create', {
      customerId: customer.id,
      items: [{ sku: 'ITP-PRO', name: 'iTechno Pro', kind: 'licence', quantity: 5 }],
      billing: { name: `${JANE.givenName} ${JANE.familyName}`, address: JANE.shippingAddress },
      card: { number: '4111111111111111', expiryMonth: 12, expiryYear: NEXT_YEAR },
    });
    return customer.id;
  });
}

/** Waits until no CSS transition or animation runs, so axe never measures a colour mid-fade. */
async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    interface Running {
      playState: string;
      effect: { getTiming(): { iterations?: number }; target?: { closest(selector: string): unknown } | null } | null;
    }
    const doc = (globalThis as unknown as { document: { getAnimations(): Running[] } }).document;
    // Spinners loop for ever and a running progress bar keeps moving; every other transition is waited for.
    return doc
      .getAnimations()
      .every(
        (animation) =>
          animation.playState !== 'running' || animation.effect?.getTiming().iterations === Infinity || animation.effect?.target?.closest('[role="progressbar"]'),
      );
  });
}

/** Collects axe findings over a whole walk and fails once at its end, naming every screen that failed. */
class Audit {
  readonly findings: string[] = [];
  /** Screens checked, with the serious/critical element count per scheme (printed for the record). */
  readonly screens = new Set<string>();

  async check(page: Page, screen: string, options: { scope?: string; screenshot?: boolean } = {}): Promise<void> {
    this.screens.add(screen);
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
      await page.mouse.move(0, 0);
      await settle(page);
      let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
      if (options.scope) builder = builder.include(options.scope);
      const { violations } = await builder.analyze();
      const bad = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
      for (const violation of bad) {
        const example = violation.nodes[0];
        const detail = example ? ` e.g. ${example.target.join(' ')}: ${(example.failureSummary ?? '').split('\n').slice(1, 2).join('').trim()}` : '';
        this.findings.push(`${screen} [${scheme}] ${violation.id} (${violation.impact}, ${violation.nodes.length}×): ${violation.help}.${detail}`);
      }
      if (options.screenshot) await shoot(page, `a11y-${screen.replace(/[^a-z0-9]+/gi, ' ').trim().replace(/ /g, '-').toLowerCase()}-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  expectClean(): void {
    expect(this.findings, `serious or critical axe violations:\n${this.findings.join('\n')}\n`).toEqual([]);
  }
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await saveScreen(page, name);
}

/** Presses Tab (only) until `target` has the focus: how a keyboard user gets there. */
async function tabTo(page: Page, target: Locator, limit = 40): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    const focused = await target.evaluate((element) => element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement);
    if (focused) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

/** Focus sits on a real control, never lost to <body>. */
async function expectFocusKept(page: Page): Promise<void> {
  await expect
    .configure({ soft: true, timeout: 3_000 })
    .poll(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName ?? 'BODY'))
    .not.toBe('BODY');
}

async function openCustomers(page: Page): Promise<void> {
  await navigation(page).getByRole('link', { name: 'Customers' }).click();
  await expect(page.getByRole('heading', { name: 'Customers', exact: true })).toBeVisible();
}

/** Opens Jane's record for `purpose` from the customer list. */
async function openJane(page: Page, purpose: string, justification?: string): Promise<Locator> {
  const opener = page.getByRole('button', { name: 'Open record of Jane D.' }).first();
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'Open the record of Jane D.' });
  await dialog.getByRole('radio', { name: purpose }).check();
  if (justification) await dialog.getByLabel('Justification').fill(justification);
  await dialog.getByRole('button', { name: /^Open (record|with break-glass)$/ }).click();
  await expect(dialog).toBeHidden();
  return opener;
}

test.describe.configure({ timeout: 240_000 });

test('axe: setup, sign-in, lock, the IT administrator’s screens and the account dialogs', async ({ app }) => {
  const { page, core } = app;
  const audit = new Audit();

  await expect(page.getByRole('heading', { name: 'Set up the console' })).toBeVisible();
  await expect.soft(page.getByRole('heading', { name: 'Set up the console', level: 1 }), 'an h1').toBeVisible();
  await audit.check(page, 'setup', { screenshot: true });
  await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
  await expect(page.getByText('The passwords do not match').or(page.getByText('Enter', { exact: false }).first())).toBeVisible();
  await audit.check(page, 'setup with errors');
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Display name').fill(ADMIN.displayName);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
  await page.getByLabel('Confirm password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
  await expectHome(page, ADMIN);
  await audit.check(page, 'home (IT administrator)', { screenshot: true });

  // The user menu, with its colour-scheme switch.
  await page.getByRole('button', { name: 'Account menu' }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  await audit.check(page, 'user menu');
  await page.keyboard.press('Escape');

  await navigation(page).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect.soft(page.getByRole('heading', { name: 'Settings', level: 1 }), 'an h1').toBeVisible();
  await audit.check(page, 'settings', { screenshot: true });

  await navigation(page).getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('table', { name: 'Accounts' })).toContainText(ADMIN.displayName);
  await seedAccount(core, STAFF, 'staff');
  await navigation(page).getByRole('link', { name: 'Home' }).click();
  await navigation(page).getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('table', { name: 'Accounts' })).toContainText(STAFF.displayName);
  await audit.check(page, 'accounts', { screenshot: true });

  // New account: closed with Escape, the focus goes back to the button that opened it.
  const newAccount = page.getByRole('button', { name: 'New account' });
  await newAccount.click();
  const form = page.getByRole('dialog', { name: 'New account' });
  await form.getByRole('button', { name: 'Create account' }).click();
  // The dialog's header is not a second banner landmark.
  await expect(page.getByRole('banner')).toHaveCount(1);
  await audit.check(page, 'new account dialog (with errors)', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();
  await expect.soft(newAccount, 'focus').toBeFocused();

  const actions = page.getByRole('button', { name: `Actions for ${STAFF.username}` });
  await actions.click();
  await expect(page.getByRole('menu')).toBeVisible();
  await audit.check(page, 'account actions menu');
  await page.getByRole('menuitem', { name: 'Change role' }).click();
  const roleDialog = page.getByRole('dialog', { name: `Change role of ${STAFF.displayName}` });
  await expect(roleDialog).toBeVisible();
  await audit.check(page, 'change role dialog');
  await roleDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(roleDialog).toBeHidden();
  await expect.soft(actions, 'focus').toBeFocused();

  await actions.click();
  await page.getByRole('menuitem', { name: 'Reset password' }).click();
  const resetDialog = page.getByRole('dialog', { name: `Reset password of ${STAFF.displayName}` });
  await expect(resetDialog).toBeVisible();
  await audit.check(page, 'reset password dialog');
  await page.keyboard.press('Escape');
  await expect(resetDialog).toBeHidden();
  await expect.soft(actions, 'focus').toBeFocused();

  // The password prompt for a sensitive change, once the sign-in no longer counts as a fresh entry.
  app.advanceTime(REAUTH_WINDOW_MS + 60_000);
  await actions.click();
  await page.getByRole('menuitem', { name: 'Reset password' }).click();
  await resetDialog.getByRole('button', { name: 'Reset password' }).click();
  const reauth = page.getByRole('dialog', { name: "Confirm it's you" });
  await expect(reauth.getByLabel('Your password')).toBeFocused();
  await audit.check(page, 'password prompt (re-authentication)', { screenshot: true });
  await reauth.getByLabel('Your password').fill(ADMIN.password);
  await reauth.getByRole('button', { name: 'Confirm' }).click();
  const codeDialog = page.getByRole('dialog', { name: `One-time code for ${STAFF.displayName}` });
  await expect(codeDialog).toBeVisible();
  await audit.check(page, 'one-time code dialog', { screenshot: true });
  await codeDialog.getByRole('button', { name: 'Done, I have handed it over' }).click();
  await expect(resetDialog).toBeHidden();
  await expectFocusKept(page);

  await actions.click();
  await page.getByRole('menuitem', { name: 'Disable account' }).click();
  const disableDialog = page.getByRole('dialog', { name: `Disable the account of ${STAFF.displayName}?` });
  await expect(disableDialog).toBeVisible();
  await audit.check(page, 'disable account confirmation');
  await disableDialog.getByRole('button', { name: 'Disable account' }).click();
  await expect(page.getByText(`Disabled the account of ${STAFF.displayName}.`)).toBeVisible();
  await expectFocusKept(page);
  await audit.check(page, 'accounts with a notification');

  // Sign-in (with a failure), then the lock screen.
  await signOut(page);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect.soft(page.getByRole('heading', { name: 'Sign in', level: 1 }), 'an h1').toBeVisible();
  await audit.check(page, 'sign-in', { screenshot: true });
  await signIn(page, { ...ADMIN, password: 'not the right password' });
  await expect(page.getByRole('alert', { name: 'Sign-in failed' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Password', exact: true })).toHaveValue('');
  await audit.check(page, 'sign-in failed');
  await signIn(page, ADMIN);
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Lock now' }).click();
  await expect(page.getByRole('heading', { name: 'Console locked' })).toBeVisible();
  await expect.soft(page.getByRole('heading', { name: 'Console locked', level: 1 }), 'an h1').toBeVisible();
  await audit.check(page, 'lock screen', { screenshot: true });

  audit.expectClean();
});

test('axe: staff, then an auditor — customers, search, purposes, record views, order form, correction, consents', async ({ app }) => {
  const { page, core } = app;
  const audit = new Audit();
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  await seedAccount(core, AUDITOR, 'auditor');
  await seedCustomerWithOrder(core, STAFF);
  await reloadAndSignIn(page, STAFF);
  await expectHome(page, STAFF);
  await audit.check(page, 'home (staff)');

  await openCustomers(page);
  await expect(page.getByRole('table', { name: 'Customers' })).toContainText('Jane D.');
  await audit.check(page, 'customers', { screenshot: true });

  const newCustomer = page.getByRole('button', { name: 'New customer' });
  await newCustomer.click();
  const create = page.getByRole('dialog', { name: 'New customer' });
  await create.getByRole('button', { name: 'Create customer' }).click();
  await expect(create.getByText('Required').first()).toBeVisible();
  await audit.check(page, 'new customer dialog (with errors)', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect(create).toBeHidden();
  await expect.soft(newCustomer, 'focus').toBeFocused();

  await page.getByRole('textbox', { name: 'Exact value' }).fill(JANE.email);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Search results' })).toContainText('Jane D.');
  await audit.check(page, 'customer search results');

  // The purpose picker: Cancel gives the focus back to the row's Open button.
  const opener = page.getByRole('button', { name: 'Open record of Jane D.' }).first();
  await opener.click();
  const purpose = page.getByRole('dialog', { name: 'Open the record of Jane D.' });
  await purpose.getByRole('button', { name: 'Open record' }).click();
  await expect(purpose.getByText('Choose why you are opening this record')).toBeVisible();
  await audit.check(page, 'purpose picker (with error)', { screenshot: true });
  await purpose.getByRole('radio', { name: 'Break-glass: other reason' }).check();
  await expect(purpose.getByText('Flagged for manager review')).toBeVisible();
  await audit.check(page, 'purpose picker (break-glass)');
  await purpose.getByRole('button', { name: 'Cancel' }).click();
  await expect(purpose).toBeHidden();
  await expect.soft(opener, 'focus').toBeFocused();

  // Order processing: the record's heading takes the focus; the withheld-fields notice is a status.
  await openJane(page, 'Order processing');
  const heading = page.getByRole('heading', { name: 'Jane Doe-Smith', level: 1 });
  await expect.soft(heading, 'focus').toBeFocused();
  await expect.soft(page.getByRole('status').filter({ hasText: 'Shown for this purpose only' })).toBeVisible();
  await expect.soft(page.getByRole('alert').filter({ hasText: 'Shown for this purpose only' })).toHaveCount(0);
  await audit.check(page, 'record (order processing, staff)', { screenshot: true });

  const newOrder = page.getByRole('button', { name: 'New order' });
  await newOrder.click();
  const order = page.getByRole('dialog', { name: 'New order' });
  await order.getByLabel('Card number').fill('4111 1111 1111 1112');
  await expect(order.getByText('Check digit does not match — look for a typing error')).toBeVisible();
  await audit.check(page, 'order form', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect(order).toBeHidden();
  await expect.soft(newOrder, 'focus').toBeFocused();

  // Back to the list: the focus lands on the page, not on <body>.
  await page.getByRole('button', { name: 'Back to customers' }).click();
  await expect(page.getByRole('heading', { name: 'Customers', exact: true })).toBeVisible();
  await expectFocusKept(page);

  await openJane(page, 'Correction');
  await expect(page.getByRole('form', { name: 'Correct personal data' })).toBeVisible();
  await expect(page.getByText('This record was never corrected.')).toBeVisible();
  await audit.check(page, 'record (correction)', { screenshot: true });
  const correction = page.getByRole('form', { name: 'Correct personal data' });
  await correction.getByLabel('City').fill('Bath');
  await correction.getByRole('radio', { name: 'Customer request' }).check();
  await correction.getByLabel('Reason').fill('Customer moved house and phoned to update the address');
  await correction.getByRole('button', { name: 'Save correction' }).click();
  await expect(page.getByRole('table', { name: 'Correction history' })).toContainText('Bath');
  await expectFocusKept(page);
  await audit.check(page, 'record (correction saved, history)');

  await page.getByRole('button', { name: 'Back to customers' }).click();
  await openJane(page, 'Customer support');
  await expect(page.getByRole('switch', { name: 'Newsletters' })).toBeVisible();
  await audit.check(page, 'record (customer support, consents)', { screenshot: true });
  await page.getByRole('switch', { name: 'Newsletters' }).click({ force: true });
  const consent = page.getByRole('dialog', { name: 'Record consent: Newsletters' });
  await consent.getByRole('button', { name: 'Record consent' }).click();
  await expect(consent.getByText('Say how the customer told us')).toBeVisible();
  await audit.check(page, 'consent dialog (with error)');
  await consent.getByRole('button', { name: 'Cancel' }).click();
  await expect(consent).toBeHidden();

  const closeRecord = page.getByRole('button', { name: 'Close record' });
  await closeRecord.click();
  const closing = page.getByRole('dialog', { name: 'Close this customer record' });
  await expect(closing).toBeVisible();
  await audit.check(page, 'close record dialog');
  await page.keyboard.press('Escape');
  await expect(closing).toBeHidden();
  await expect.soft(closeRecord, 'focus').toBeFocused();

  await page.getByRole('button', { name: 'Back to customers' }).click();
  await openJane(page, 'Deletion request');
  await audit.check(page, 'record (deletion request)');

  await page.getByRole('button', { name: 'Back to customers' }).click();
  await openJane(page, 'Break-glass: other reason', 'Customer called about a parcel returned to sender; no order number at hand.');
  await expect(page.getByText('Break-glass access — flagged for manager review')).toBeVisible();
  await audit.check(page, 'record (break-glass)', { screenshot: true });

  // An auditor, in a second window: home, the audit log, read-only accounts.
  const auditor = await app.openWindow();
  await signIn(auditor, AUDITOR);
  await expectHome(auditor, AUDITOR);
  await audit.check(auditor, 'home (auditor)');
  await navigation(auditor).getByRole('link', { name: 'Audit log' }).click();
  await expect(auditor.getByRole('table', { name: 'Audit events' })).toContainText('record.view');
  await auditor.getByRole('button', { name: 'Verify chain' }).click();
  await expect(auditor.getByRole('status').filter({ hasText: 'Chain intact' })).toBeVisible();
  await audit.check(auditor, 'audit log', { screenshot: true });
  await navigation(auditor).getByRole('link', { name: 'Accounts' }).click();
  await expect(auditor.getByRole('table', { name: 'Accounts' })).toContainText(ADMIN.displayName);
  await audit.check(auditor, 'accounts (read-only)');

  audit.expectClean();
});

const IMPORT_CSV = [
  'First Name,Surname,E-mail,Phone,Address,Town,Postcode,Country,DOB,Newsletter,Card Number',
  'Ann,Archer,ann@example.com,+44 20 7946 0001,1 High St,York,YO1 7HH,GB,1970-01-01,yes,4111111111111111',
  'Bob,Baker,not-an-email,,2 High St,York,YO1 7HH,GB,,no,',
  'Dan,Dunn,dan@example.com,,4 High St,York,,GB,,,',
].join('\r\n');

test('axe: a manager — home, legal record, card reveal, import wizard, break-glass queue and review', async ({ app }) => {
  const { page, core } = app;
  const audit = new Audit();
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  const customerId = await seedCustomerWithOrder(core, STAFF);
  await asPerson(core, STAFF, (invoke) =>
    invoke('customers.open', { customerId, purpose: 'break_glass', justification: 'Customer called about a parcel returned to sender.' }),
  );
  await reloadAndSignIn(page, MANAGER);
  await expectHome(page, MANAGER);
  await audit.check(page, 'home (manager)', { screenshot: true });

  await openCustomers(page);
  await openJane(page, 'Legal request');
  await audit.check(page, 'record (legal request)');
  await page.getByRole('button', { name: 'Back to customers' }).click();
  await openJane(page, 'Order processing');

  const card = page.getByRole('group', { name: 'Payment card' });
  const revealButton = card.getByRole('button', { name: 'Reveal full number' });
  await revealButton.click();
  const reveal = page.getByRole('dialog', { name: 'Reveal the full card number' });
  await reveal.getByLabel('Reason').fill('too short');
  await reveal.getByRole('button', { name: 'Reveal' }).click();
  await expect(reveal.getByText('Write at least 10 characters (9 so far)')).toBeVisible();
  await audit.check(page, 'reveal card reason (with error)', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect(reveal).toBeHidden();
  await expect.soft(revealButton, 'focus').toBeFocused();
  await revealButton.click();
  await reveal.getByLabel('Reason').fill('Chargeback query from the card issuer');
  await reveal.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByTestId('revealed-card-number')).toHaveText('4111 1111 1111 1111');
  await expectFocusKept(page);
  await audit.check(page, 'revealed card', { screenshot: true });

  // The import wizard: choose a file, map the columns, read the report.
  await openCustomers(page);
  await page.getByRole('button', { name: 'Import CSV' }).click();
  await expect(page.getByRole('button', { name: 'CSV file' })).toBeVisible();
  await audit.check(page, 'import: choose a file');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'CSV file' }).click();
  await (await chooser).setFiles({ name: 'legacy.csv', mimeType: 'text/csv', buffer: Buffer.from(IMPORT_CSV) });
  await expect(page.getByRole('table', { name: 'Column mapping' })).toBeVisible();
  await audit.check(page, 'import: column mapping', { screenshot: true });
  await page.getByRole('button', { name: 'Run import' }).click();
  await expect(page.getByRole('table', { name: 'Validation report' })).toBeVisible();
  await audit.check(page, 'import: report', { screenshot: true });

  // A long import while it runs (cancelled afterwards: nothing is kept).
  await page.getByRole('button', { name: 'Back to customers' }).click();
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const lines = ['First name,Last name,Email,Street,City,Postcode,Country'];
  for (let i = 0; i < 20_000; i += 1) lines.push(`Given${i},Family${i % 97},bulk${i}@example.com,${i} Long Road,Leeds,LS${i % 30} 1AA,GB`);
  const bigChooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'CSV file' }).click();
  await (await bigChooser).setFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await page.getByRole('checkbox', { name: 'Import nothing unless every row is valid' }).check();
  await page.getByRole('button', { name: 'Run import' }).click();
  await expect(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  await audit.check(page, 'import: running');
  // Usually still running; if it has finished meanwhile, there is nothing to cancel.
  const cancel = page.getByRole('button', { name: 'Cancel' });
  if (await cancel.isVisible()) await cancel.click();

  await navigation(page).getByRole('link', { name: 'Break-glass reviews' }).click();
  const queue = page.getByRole('table', { name: 'Break-glass reviews' });
  await expect(queue).toContainText(STAFF.displayName);
  await audit.check(page, 'break-glass queue', { screenshot: true });
  const markJustified = queue.getByRole('button', { name: 'Mark justified' });
  await markJustified.click();
  const review = page.getByRole('dialog', { name: 'Mark break-glass access justified' });
  await review.getByRole('button', { name: 'Mark justified' }).click();
  await expect(review.getByText('Add a short note for the record')).toBeVisible();
  await audit.check(page, 'break-glass review dialog (with error)', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect(review).toBeHidden();
  await expect.soft(markJustified, 'focus').toBeFocused();
  await queue.getByRole('button', { name: 'Escalate' }).click();
  const escalate = page.getByRole('dialog');
  await expect(escalate).toBeVisible();
  await audit.check(page, 'break-glass escalate dialog');
  await page.keyboard.press('Escape');

  audit.expectClean();
});

test('keyboard only: sign in, skip to the content, search, open with a purpose, save a correction', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedCustomerWithOrder(core, STAFF);
  await page.reload();
  const keys = page.keyboard;

  // Sign in: the username field has the focus.
  await expect(page.getByLabel('Username')).toBeFocused();
  await keys.type(STAFF.username);
  await keys.press('Tab');
  await keys.type(STAFF.password);
  await keys.press('Enter');
  await expectHome(page, STAFF);

  // The skip link is the first stop and moves to the main content.
  await keys.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await keys.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();

  const customersLink = navigation(page).getByRole('link', { name: 'Customers' });
  await keys.press('Shift+Tab');
  await tabTo(page, customersLink);
  await keys.press('Enter');
  await expect(page.getByRole('heading', { name: 'Customers', exact: true })).toBeVisible();

  const value = page.getByRole('textbox', { name: 'Exact value' });
  await tabTo(page, value);
  // A clear focus ring on text inputs.
  await expect(value).not.toHaveCSS('outline-style', 'none');
  await keys.type(JANE.email);
  await keys.press('Enter');
  const results = page.getByRole('table', { name: 'Search results' });
  await expect(results).toContainText('Jane D.');

  const open = results.getByRole('button', { name: 'Open record of Jane D.' });
  await tabTo(page, open);
  await keys.press('Enter');
  const purpose = page.getByRole('dialog', { name: 'Open the record of Jane D.' });
  await expect(purpose).toBeVisible();
  const correctionRadio = purpose.getByRole('radio', { name: 'Correction' });
  await tabTo(page, purpose.getByRole('radio').first());
  for (let step = 0; step < 6 && !(await correctionRadio.isChecked()); step += 1) await keys.press('ArrowDown');
  await expect(correctionRadio).toBeChecked();
  await keys.press('Enter');
  await expect(purpose).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Jane Doe-Smith', level: 1 })).toBeFocused();

  const correction = page.getByRole('form', { name: 'Correct personal data' });
  await tabTo(page, correction.getByLabel('City'), 80);
  await keys.press('ControlOrMeta+a');
  await keys.type('Bath');
  await tabTo(page, correction.getByRole('radio').first());
  await keys.press('Space');
  await tabTo(page, correction.getByLabel('Reason'));
  await keys.type('Customer moved house and phoned to update the address');
  await tabTo(page, correction.getByRole('button', { name: 'Save correction' }));
  await keys.press('Enter');
  await expect(page.getByRole('table', { name: 'Correction history' })).toContainText('Bath');
  await expectFocusKept(page);
});

test('the colour scheme follows the system until the user menu picks one, which this workstation remembers', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  const html = page.locator('html');
  await page.emulateMedia({ colorScheme: 'dark' });
  await reloadAndSignIn(page, ADMIN);
  await expectHome(page, ADMIN);
  await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html).toHaveAttribute('data-mantine-color-scheme', 'light');

  const menuButton = page.getByRole('button', { name: 'Account menu' });
  await menuButton.click();
  await expect(page.getByRole('menuitem', { name: 'System' })).toHaveAttribute('aria-current', 'true');
  await page.getByRole('menuitem', { name: 'Dark' }).click();
  await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark');
  // The menu gives the focus back to its button.
  await expect(menuButton).toBeFocused();

  // Remembered across a reload of the window and on the sign-in screen, whatever the system says.
  await page.reload();
  await expectHome(page, ADMIN);
  await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await signOut(page);
  await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await signIn(page, ADMIN);
  await menuButton.click();
  await expect(page.getByRole('menuitem', { name: 'Dark' })).toHaveAttribute('aria-current', 'true');
  await page.getByRole('menuitem', { name: 'System' }).click();
  await expect(html).toHaveAttribute('data-mantine-color-scheme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark');
});

test('keyboard only, with axe: a role grant waits for the second IT administrator, who approves it; a forced and a chosen password change', async ({ app }) => {
  const { page, core } = app;
  const audit = new Audit();
  const keys = page.keyboard;
  const BO: Person = { username: 'bo.admin', displayName: 'Bo Brennan', password: 'granite orchard evening bell' };
  const MIA: Person = { username: 'mia.manager', displayName: 'Mia Moreau', password: 'silver meadow paper crane' };
  await seedAdministrator(core);
  await seedAccount(core, BO, 'it_admin');
  await seedAccount(core, STAFF, 'staff');
  await reloadAndSignIn(page, ADMIN);
  await expectHome(page, ADMIN);

  // Ada, by keyboard: Accounts, New account, a manager — which needs a reason for the other administrator.
  await tabTo(page, navigation(page).getByRole('link', { name: 'Accounts' }));
  await keys.press('Enter');
  await expect(page.getByRole('table', { name: 'Accounts' })).toContainText(BO.displayName);
  // Your own row offers no actions that would be refused.
  await expect(page.getByRole('button', { name: `Actions for ${ADMIN.username}` })).toHaveCount(0);
  await tabTo(page, page.getByRole('button', { name: 'New account' }));
  await keys.press('Enter');
  const form = page.getByRole('dialog', { name: 'New account' });
  await expect(form.getByLabel('Username')).toBeFocused();
  await keys.type(MIA.username);
  await keys.press('Tab');
  await keys.type(MIA.displayName);
  await keys.press('Tab');
  await expect(form.getByRole('combobox', { name: 'Role' })).toBeFocused();
  await keys.press('ArrowDown');
  await expect(page.getByRole('option', { name: 'Manager' })).toBeVisible();
  await keys.press('ArrowDown');
  await keys.press('Enter');
  await expect(form.getByRole('combobox', { name: 'Role' })).toHaveValue('Manager');
  await tabTo(page, form.getByLabel('Why is this needed?'));
  await keys.type('Mia leads the support team from Monday');
  await tabTo(page, form.getByRole('textbox', { name: 'Initial password', exact: true }));
  await keys.type(MIA.password);
  await keys.press('Tab');
  await keys.type(MIA.password);
  await audit.check(page, 'new account dialog asking for approval', { screenshot: true });
  await tabTo(page, form.getByRole('button', { name: 'Create and ask for approval' }));
  await keys.press('Enter');
  await expect(form).toBeHidden();
  const miaRow = page.getByRole('row', { name: new RegExp(MIA.displayName) });
  await expect(miaRow).toContainText('Awaiting approval');
  await expect(miaRow).toContainText('Disabled');
  const queue = page.getByRole('region', { name: 'Waiting for a second IT administrator' });
  await expect(queue).toContainText(`New account ${MIA.displayName} as Manager`);
  // Ada's own request: she may withdraw it, not decide it.
  await expect(queue.getByRole('button', { name: 'Decide…' })).toHaveCount(0);
  await expect(queue.getByRole('button', { name: 'Withdraw' })).toBeVisible();
  await audit.check(page, 'accounts with a request awaiting approval', { screenshot: true });

  // Ada leaves the Accounts page open and signs out: the next person starts on Home.
  await tabTo(page, page.getByRole('button', { name: 'Account menu' }));
  await keys.press('Enter');
  await page.getByRole('menuitem', { name: 'Sign out' }).focus();
  await keys.press('Enter');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Username')).toBeFocused();
  await keys.type(BO.username);
  await keys.press('Tab');
  await keys.type(BO.password);
  await keys.press('Enter');
  await expectHome(page, BO);
  expect(new URL(page.url()).hash).toBe('#/');

  // Bo decides it (approve with Ctrl+Enter from the reason field).
  await tabTo(page, navigation(page).getByRole('link', { name: 'Accounts' }));
  await keys.press('Enter');
  const decide = page.getByRole('region', { name: 'Waiting for a second IT administrator' }).getByRole('button', { name: 'Decide…' });
  await tabTo(page, decide);
  await keys.press('Enter');
  const decision = page.getByRole('dialog', { name: `New account ${MIA.displayName} as Manager` });
  await expect(decision).toContainText('Mia leads the support team from Monday');
  await expect(decision.getByLabel('Your reason')).toBeFocused();
  await audit.check(page, 'approve or deny a role grant', { screenshot: true });
  await keys.type('Confirmed with the support lead');
  await keys.press('Control+Enter');
  await expect(decision).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(MIA.displayName) })).toContainText('Active');
  await expect(page.getByRole('region', { name: 'Waiting for a second IT administrator' })).toContainText('approved');
  await expectFocusKept(page);

  // Bo resets Sam's password: a one-time code, then Sam must set his own before anything else.
  await tabTo(page, page.getByRole('button', { name: `Actions for ${STAFF.username}` }));
  await keys.press('Enter');
  await page.getByRole('menuitem', { name: 'Reset password' }).focus();
  await keys.press('Enter');
  const resetDialog = page.getByRole('dialog', { name: `Reset password of ${STAFF.displayName}` });
  await expect(resetDialog.getByRole('button', { name: 'Reset password' })).toBeFocused();
  await keys.press('Enter');
  const codeDialog = page.getByRole('dialog', { name: `One-time code for ${STAFF.displayName}` });
  const oneTimeCode = (await codeDialog.getByTestId('one-time-code').textContent())!.trim();
  await expect(codeDialog.getByRole('button', { name: 'Done, I have handed it over' })).toBeFocused();
  await keys.press('Enter');
  await expect(codeDialog).toBeHidden();
  await expectFocusKept(page);

  await signOut(page);
  await expect(page.getByLabel('Username')).toBeFocused();
  await keys.type(STAFF.username);
  await keys.press('Tab');
  await keys.type(oneTimeCode);
  await keys.press('Enter');
  await expect(page.getByRole('heading', { name: 'Set your own password', level: 1 })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Your password was reset' })).toContainText(`${BO.displayName} reset your password on`);
  await expect(page.getByLabel('One-time code')).toBeFocused();
  await audit.check(page, 'set your own password after a reset', { screenshot: true });
  const chosen = 'juniper harbour winter lantern';
  await keys.type(oneTimeCode);
  await keys.press('Tab');
  await keys.type('short');
  await keys.press('Tab');
  await keys.type('short');
  await keys.press('Enter');
  await expect(page.getByText('At least 12 characters').last()).toBeVisible();
  await page.getByRole('textbox', { name: 'New password', exact: true }).focus();
  await keys.press('Control+A');
  await keys.type(chosen);
  await keys.press('Tab');
  await keys.press('Control+A');
  await keys.type(chosen);
  await keys.press('Enter');
  await expectHome(page, STAFF);

  // Sam changes it again from the user menu, by keyboard.
  await tabTo(page, page.getByRole('button', { name: 'Account menu' }));
  await keys.press('Enter');
  await page.getByRole('menuitem', { name: 'Change my password' }).focus();
  await keys.press('Enter');
  const change = page.getByRole('dialog', { name: 'Change my password' });
  await expect(change.getByLabel('Current password')).toBeFocused();
  await audit.check(page, 'change my password dialog', { screenshot: true });
  await keys.type(chosen);
  await keys.press('Tab');
  await keys.type('itechno summer holidays');
  await keys.press('Tab');
  await keys.type('itechno summer holidays');
  await keys.press('Enter');
  await expect(change.getByText('Must not be a commonly used password or contain the company or product name').last()).toBeVisible();
  await keys.press('Escape');
  await expect(change).toBeHidden();
  await expectFocusKept(page);

  audit.expectClean();
});
