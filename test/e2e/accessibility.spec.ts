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
      // A notification fading out mid-check blends its colours with the page: checked once it is gone.
      await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 15_000 });
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

  // Backups: the page, a backup made, the restore confirmation (with its error), closed with Escape.
  await navigation(page).getByRole('link', { name: 'Backups' }).click();
  await expect(page.getByRole('heading', { name: 'Backups', level: 1 })).toBeVisible();
  await audit.check(page, 'backups (none yet)');
  await page.getByLabel("Protect this backup with a passphrase instead of this database's key").check();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByText('At least 20 characters', { exact: true })).toBeVisible();
  await audit.check(page, 'backups with a passphrase error');
  await page.getByLabel("Protect this backup with a passphrase instead of this database's key").uncheck();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByRole('table', { name: 'Backups' }).getByRole('row')).toHaveCount(2);
  await audit.check(page, 'backups', { screenshot: true });
  const restore = page.getByRole('button', { name: /^Restore the backup made/ });
  await restore.click();
  const restoreDialog = page.getByRole('dialog', { name: 'Restore this backup?' });
  await restoreDialog.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(restoreDialog.getByText('Confirm that the database will be replaced')).toBeVisible();
  await audit.check(page, 'restore backup dialog (with errors)', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect(restoreDialog).toBeHidden();
  await expect.soft(restore, 'focus').toBeFocused();
  // Keys (issue #11): versions, rotations, recovery kits; a rotation's confirmation and the custodian's dialog.
  await navigation(page).getByRole('link', { name: 'Keys' }).click();
  await expect(page.getByRole('heading', { name: 'Keys', level: 1 })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Domain key versions' })).toBeVisible();
  await audit.check(page, 'keys', { screenshot: true });
  await page.getByRole('button', { name: 'Rotate the KEK' }).click();
  await expect(page.getByRole('dialog', { name: 'Rotate the key-encryption key' })).toBeVisible();
  await audit.check(page, 'keys: rotate the KEK dialog');
  await page.keyboard.press('Escape');
  await page.getByRole('form', { name: 'Make a recovery kit' }).getByRole('radio', { name: /Split for three custodians/ }).check();
  await audit.check(page, 'keys: split recovery kit form');
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'My recovery-kit shares' }).click();
  await expect(page.getByRole('dialog', { name: 'My recovery-kit shares' })).toContainText('You hold no share');
  await audit.check(page, 'my recovery-kit shares');
  await page.keyboard.press('Escape');

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
  // The shared date field with its calendar open (it opens on focus); Escape closes the calendar, then the dialog.
  await create.getByRole('textbox', { name: 'Date of birth' }).focus();
  await page.keyboard.type('04/03/1990');
  await expect(page.getByRole('button', { name: '4 March 1990', exact: true })).toBeVisible();
  await audit.check(page, 'date field with its calendar', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: '4 March 1990', exact: true })).toBeHidden();
  await expect(create).toBeVisible();
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
  // The longest walk (the Tasks page, the task indicator and a reopened report were added in issue #13).
  test.setTimeout(420_000);
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

  // Tasks (issue #13): the Tasks page, the import's report reopened there, the header's task indicator, About my role.
  await navigation(page).getByRole('link', { name: 'Tasks' }).click();
  await expect(page.getByRole('table', { name: 'Your jobs' })).toContainText('Customer import');
  await audit.check(page, 'tasks page', { screenshot: true });
  const openReport = page.getByRole('main').getByRole('button', { name: 'Open report' });
  await openReport.click();
  const reportDialog = page.getByRole('dialog', { name: 'Import of legacy.csv: rejected rows' });
  await expect(reportDialog.getByRole('table', { name: 'Rejected rows' })).toBeVisible();
  await audit.check(page, 'task report dialog', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect(reportDialog).toBeHidden();
  await expect.soft(openReport, 'focus').toBeFocused();
  const indicator = page.getByRole('banner').getByRole('button', { name: 'Tasks' });
  await indicator.click();
  await expect(page.getByRole('dialog', { name: 'Tasks' })).toBeVisible();
  await audit.check(page, 'task indicator', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect.soft(indicator, 'focus').toBeFocused();
  await navigation(page).getByRole('link', { name: 'About my role' }).click();
  await expect(page.getByRole('heading', { name: 'Privacy controls in force' })).toBeVisible();
  await audit.check(page, 'about my role', { screenshot: true });

  // A long import while it runs (cancelled afterwards: nothing is kept).
  await openCustomers(page);
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
  const runningIndicator = page.getByRole('banner').getByRole('button', { name: /Import of big\.csv/ });
  await runningIndicator.click();
  await expect(page.getByRole('dialog', { name: 'Tasks' }).getByRole('progressbar', { name: 'Import of big.csv progress' })).toBeVisible();
  await audit.check(page, 'task indicator (import running)', { screenshot: true });
  await runningIndicator.click();
  await expect(page.getByRole('dialog', { name: 'Tasks' })).toBeHidden();
  // Usually still running; if it has finished meanwhile, there is nothing to cancel.
  const cancel = page.getByRole('main').getByRole('button', { name: 'Cancel' });
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

test('axe: deletions — the record card and its dialogs, requests and decision, legal holds, retention review, the register', async ({ app }) => {
  const { page, core } = app;
  const audit = new Audit();
  const MANAGER2: Person = { username: 'max.manager', displayName: 'Max Berger', password: 'copper meadow silent river' };
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  await seedAccount(core, MANAGER2, 'manager');
  await seedAccount(core, AUDITOR, 'auditor');
  await seedCustomerWithOrder(core, STAFF);
  await asPerson(core, STAFF, async (invoke) => {
    const { customer } = await invoke('customers.create', { ...JANE, givenName: 'Carl', familyName: 'Closed', email: 'carl.closed@example.com' });
    await invoke('customers.setStatus', { customerId: customer.id, status: 'closed' });
  });
  app.advanceTime(91 * 24 * 60 * 60_000);

  // Staff: the record's deletion card and the request form (with its errors), then the request page.
  await reloadAndSignIn(page, STAFF);
  await openCustomers(page);
  await openJane(page, 'Deletion request');
  await audit.check(page, 'record (deletion request) with its deletion card');
  const requestButton = page.getByRole('button', { name: 'Request deletion' });
  await requestButton.click();
  const form = page.getByRole('dialog', { name: 'Request deletion of this customer’s records' });
  await form.getByRole('button', { name: 'File request' }).click();
  await expect(form.getByText('Choose why the records should be deleted')).toBeVisible();
  await audit.check(page, 'deletion request form (with errors)', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();
  await expect.soft(requestButton, 'focus').toBeFocused();
  await requestButton.click();
  await form.getByRole('combobox', { name: 'Reason', exact: true }).click();
  await page.getByRole('option', { name: 'No longer uses the service', exact: true }).click();
  await form.getByRole('combobox', { name: 'How the request reached iTechno', exact: true }).click();
  await page.getByRole('option', { name: 'Phone', exact: true }).click();
  await form.getByRole('button', { name: 'File request' }).click();
  await expect(page.getByRole('heading', { name: 'Deletion request: Jane D.' })).toBeVisible();
  await audit.check(page, 'deletion request page (requester)', { screenshot: true });
  await navigation(page).getByRole('link', { name: 'Deletions' }).click();
  await expect(page.getByRole('table', { name: 'Waiting for a manager' })).toBeVisible();
  await audit.check(page, 'deletions (staff)');
  await signOut(page);

  // Manager: the queue and the decision dialog; a hold from the record; the holds list; retention.
  await signIn(page, MANAGER);
  await navigation(page).getByRole('link', { name: 'Deletions' }).click();
  await expect(page.getByRole('table', { name: 'Waiting for a decision' })).toBeVisible();
  await audit.check(page, 'deletions queue (manager)', { screenshot: true });
  const decideButton = page.getByRole('button', { name: 'Decide' });
  await decideButton.click();
  const decide = page.getByRole('dialog', { name: 'Decide a deletion request' });
  await decide.getByRole('button', { name: 'Deny' }).click();
  await expect(decide.getByText('Write at least 10 characters (0 so far)')).toBeVisible();
  await audit.check(page, 'deletion decision dialog (with error)', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect(decide).toBeHidden();
  await expect.soft(decideButton, 'focus').toBeFocused();

  await openCustomers(page);
  await openJane(page, 'Legal request');
  const holdButton = page.getByRole('button', { name: 'Place legal hold' });
  await holdButton.click();
  const hold = page.getByRole('dialog', { name: 'Place a legal hold' });
  await hold.getByRole('button', { name: 'Place hold' }).click();
  await expect(hold.getByText('Give the court order or case reference')).toBeVisible();
  await audit.check(page, 'legal hold form (with errors)', { screenshot: true });
  await hold.getByLabel('Reason').fill('Preservation order in a pending dispute');
  await hold.getByLabel('Reference').fill('HC-2026-0042');
  await hold.getByRole('button', { name: 'Place hold' }).click();
  await expect(page.getByText('Legal hold HC-2026-0042')).toBeVisible();
  await audit.check(page, 'record with a legal hold');
  await navigation(page).getByRole('link', { name: 'Legal holds' }).click();
  await expect(page.getByRole('table', { name: 'Legal holds' })).toContainText('HC-2026-0042');
  await audit.check(page, 'legal holds', { screenshot: true });
  await page.getByRole('button', { name: 'Release hold HC-2026-0042' }).click();
  await expect(page.getByRole('dialog', { name: 'Release legal hold' })).toBeVisible();
  await audit.check(page, 'release hold dialog');
  await page.keyboard.press('Escape');

  await navigation(page).getByRole('link', { name: 'Retention review' }).click();
  await expect(page.getByRole('table', { name: 'Customers due for deletion' })).toContainText('Carl C.');
  await page.getByRole('button', { name: 'Propose batch for approval' }).click();
  await expect(page.getByText('1 customers · proposed by Mia Hoffmann')).toBeVisible();
  await audit.check(page, 'retention review with a proposed batch', { screenshot: true });
  await signOut(page);

  await signIn(page, MANAGER2);
  await navigation(page).getByRole('link', { name: 'Retention review' }).click();
  await page.getByRole('button', { name: 'Decide' }).click();
  await expect(page.getByRole('dialog', { name: 'Decide a retention batch' })).toBeVisible();
  await audit.check(page, 'retention batch decision dialog');
  await page.getByRole('dialog', { name: 'Decide a retention batch' }).getByRole('button', { name: 'Approve and delete' }).click();
  await expect(page.getByText('Deleted: 1')).toBeVisible();
  await audit.check(page, 'retention review after the batch');
  await signOut(page);

  await signIn(page, AUDITOR);
  await navigation(page).getByRole('link', { name: 'Deletion register' }).click();
  await expect(page.getByRole('table', { name: 'Deleted customers' })).toContainText('Retention period passed');
  await audit.check(page, 'deletion register (auditor)', { screenshot: true });

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

test.describe('managed settings', () => {
  test.use({
    managedSettings: {
      version: 1,
      managedBy: 'IT department, ticket desk ext. 4410',
      locked: {
        idleLockMinutes: 5,
        requestDeadlineDays: 30,
        databaseConnection: { engine: 'postgresql', host: 'db.office.example', port: 5432, database: 'privacy', user: 'console_app', tls: { mode: 'require' } },
        updates: { automatic: false, channel: 'stable' },
      },
    },
  });

  test('axe: the settings screen with settings IT locked (badges, disabled controls, the notice)', async ({ app }) => {
    const { page, core } = app;
    const audit = new Audit();
    await seedAdministrator(core);
    await reloadAndSignIn(page, ADMIN);
    await navigation(page).getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByLabel('Lock after (minutes)')).toBeDisabled();
    await audit.check(page, 'settings locked by IT', { screenshot: true });
    audit.expectClean();
  });
});

test('axe: customer requests — home cards, tracker, log, details, extend, refuse, complete; the auditor’s view', async ({ app }) => {
  const { page, core } = app;
  const audit = new Audit();
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  await seedAccount(core, AUDITOR, 'auditor');
  const customerId = await seedCustomerWithOrder(core, STAFF);
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  await asPerson(core, STAFF, async (invoke) => {
    await invoke('subjectRequests.open', { customerId, type: 'access', channel: 'letter', receivedOn: daysAgo(33) });
    await invoke('subjectRequests.open', { customerId, type: 'correction', channel: 'phone', receivedOn: daysAgo(27) });
    await invoke('subjectRequests.open', { customerId, type: 'deletion', channel: 'email', receivedOn: daysAgo(2) });
  });

  await reloadAndSignIn(page, MANAGER);
  await expectHome(page, MANAGER);
  await expect(page.getByRole('region', { name: 'Overdue' })).toContainText('Jane D.');
  await audit.check(page, 'home with customer requests (manager)', { screenshot: true });
  await navigation(page).getByRole('link', { name: 'Customer requests' }).click();
  await expect(page.getByRole('heading', { name: 'Customer requests', level: 1 })).toBeVisible();
  await audit.check(page, 'request tracker', { screenshot: true });

  const logButton = page.getByRole('button', { name: 'Log a request' });
  await logButton.click();
  const log = page.getByRole('dialog', { name: 'Log a customer request' });
  await log.getByRole('button', { name: 'Log request' }).click();
  await expect(log.getByText('Find the customer and pick their record')).toBeVisible();
  await audit.check(page, 'log a request (with error)', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect(log).toBeHidden();
  await expect.soft(logButton, 'focus').toBeFocused();

  const details = page.getByRole('button', { name: /Details of the correction request/ });
  await details.click();
  const detail = page.getByRole('dialog', { name: 'Correction request' });
  await expect(detail.getByRole('heading', { name: 'Recipients to tell' })).toBeVisible();
  await audit.check(page, 'request details (correction)', { screenshot: true });
  await detail.getByRole('button', { name: 'Extend deadline' }).click();
  const extend = page.getByRole('dialog', { name: 'Extend the deadline' });
  await extend.getByRole('button', { name: 'Extend' }).click();
  await expect(extend.getByText(/Write at least 10 characters/)).toBeVisible();
  await audit.check(page, 'extend deadline (with error)', { screenshot: true });
  await extend.getByRole('button', { name: 'Cancel' }).click();
  await detail.getByRole('button', { name: 'Refuse' }).click();
  const refuse = page.getByRole('dialog', { name: 'Refuse the request' });
  await expect(refuse).toBeVisible();
  await audit.check(page, 'refuse request');
  await refuse.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('dialog', { name: 'Correction request' }).getByRole('button', { name: 'Complete' }).click();
  const complete = page.getByRole('dialog', { name: 'Complete the request' });
  await expect(complete.getByRole('radio', { name: /None recorded here/ })).toBeVisible();
  await audit.check(page, 'complete request (correction)');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: /Details of the access request/ }).click();
  await expect(page.getByRole('dialog', { name: 'Access request' }).getByRole('button', { name: 'Export as PDF' })).toBeVisible();
  await audit.check(page, 'request details (access, manager)');
  await page.keyboard.press('Escape');

  // Auditors follow the tracker without customer names or reasons.
  await signOut(page);
  await signIn(page, AUDITOR);
  await navigation(page).getByRole('link', { name: 'Home' }).click();
  await expect(page.getByRole('region', { name: 'Overdue' })).toContainText('Customer ');
  await audit.check(page, 'home with customer requests (auditor)');
  await navigation(page).getByRole('link', { name: 'Customer requests' }).click();
  await expect(page.getByRole('table', { name: 'Open requests' })).not.toContainText('Jane');
  await audit.check(page, 'request tracker (auditor)');
  audit.expectClean();
});

test('axe: minors — the report-as-minor dialog, a quarantined record and the minors report', async ({ app }) => {
  const { page, core } = app;
  const audit = new Audit();
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  await seedCustomerWithOrder(core, STAFF);
  await reloadAndSignIn(page, STAFF);
  await openCustomers(page);
  await openJane(page, 'Customer support');
  const reportButton = page.getByRole('button', { name: 'Report as a minor' });
  await reportButton.click();
  const dialog = page.getByRole('dialog', { name: 'Report this customer as a minor' });
  await dialog.getByRole('button', { name: 'Set apart and request deletion' }).click();
  await expect(dialog.getByText('Say how the report reached you')).toBeVisible();
  await audit.check(page, 'report as a minor (with error)', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect.soft(reportButton, 'focus').toBeFocused();
  await page.getByRole('button', { name: 'Back to customers' }).click();
  await openJane(page, 'Correction');
  const correction = page.getByRole('form', { name: 'Correct personal data' });
  await correction.getByLabel('Date of birth').fill(`${new Date().getUTCFullYear() - 15}-03-04`);
  await correction.getByRole('radio', { name: 'Customer request' }).check();
  await correction.getByLabel('Reason').fill('Parent phoned: the customer is fifteen');
  await correction.getByRole('button', { name: 'Save correction' }).click();
  await expect(page.getByText('Set apart as a minor’s record')).toBeVisible();
  await audit.check(page, 'quarantined record', { screenshot: true });
  await signOut(page);
  await reloadAndSignIn(page, MANAGER);
  await navigation(page).getByRole('link', { name: 'Minors' }).click();
  await expect(page.getByRole('table', { name: 'Minor cases' })).toContainText('Date of birth under 18');
  await audit.check(page, 'minors report', { screenshot: true });
  audit.expectClean();
});

test('axe: policy versions — editor and preview, diff, publish dialog, home notice, announcements and audiences; staff view', async ({ app }) => {
  const { page, core } = app;
  const audit = new Audit();
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  await seedCustomerWithOrder(core, STAFF);
  await reloadAndSignIn(page, MANAGER);
  await expectHome(page, MANAGER);
  await navigation(page).getByRole('link', { name: 'Privacy policy' }).click();
  await expect(page.getByRole('table', { name: 'Policy versions' })).toBeVisible();
  await audit.check(page, 'policy versions', { screenshot: true });
  const newDraft = page.getByRole('button', { name: 'New draft' });
  await tabTo(page, newDraft);
  await page.keyboard.press('Enter');
  const editor = page.getByRole('textbox', { name: 'Text (Markdown)' });
  await editor.press('ControlOrMeta+End');
  await editor.pressSequentially('\n\n## Research\n\nAddresses may be used for research invitations.');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('table', { name: 'Differences between Version 1 and Version 2' })).toBeVisible();
  await audit.check(page, 'policy draft editor and diff', { screenshot: true });
  const publish = page.getByRole('button', { name: 'Publish…', exact: true });
  await publish.click();
  const dialog = page.getByRole('dialog', { name: 'Publish Version 2' });
  await dialog.getByRole('checkbox', { name: /Material change/ }).check();
  await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(dialog.getByText('Say what changed, in a sentence or two')).toBeVisible();
  await audit.check(page, 'policy publish dialog (with error)', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect.soft(publish, 'focus').toBeFocused();
  await publish.click();
  await dialog.getByLabel('Change summary').fill('Addresses may be used for research invitations.');
  await dialog.getByRole('checkbox', { name: /Material change/ }).check();
  await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(dialog).toBeHidden();
  await navigation(page).getByRole('link', { name: 'Home' }).click();
  await expect(page.getByText('Version 2: 30 days remaining')).toBeVisible();
  await audit.check(page, 'home with a policy notice', { screenshot: true });
  await navigation(page).getByRole('link', { name: 'Announcements' }).click();
  await page.getByRole('button', { name: 'New announcement' }).click();
  const create = page.getByRole('dialog', { name: 'New announcement' });
  await expect(create.getByRole('radio', { name: /Only affected customers — 1 customer\b/ })).toBeVisible();
  await audit.check(page, 'new announcement dialog', { screenshot: true });
  await create.getByRole('button', { name: 'Create and list recipients' }).click();
  await expect(create).toBeHidden();
  await page.getByRole('button', { name: 'Show recipients' }).click();
  await expect(page.getByRole('table', { name: 'Recipients' })).toBeVisible();
  await audit.check(page, 'announcements, recipients and audiences', { screenshot: true });
  await signOut(page);
  await signIn(page, STAFF);
  await navigation(page).getByRole('link', { name: 'Announcements' }).click();
  await expect(page.getByRole('heading', { name: 'Announcements', exact: true })).toBeVisible();
  await audit.check(page, 'announcements (staff)');
  audit.expectClean();
});

test('axe: disclosures — request form, queue, decision, release, recipients, register (manager and auditor)', async ({ app }) => {
  const { page, core } = app;
  const audit = new Audit();
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  await seedAccount(core, AUDITOR, 'auditor');
  const recipient = await asPerson(core, MANAGER, (invoke) => invoke('disclosures.recipients.save', { name: 'Harbour Parcels Ltd', kind: 'shipping', allowedFields: ['name', 'shippingAddress'] }));
  const customerId = await asPerson(core, STAFF, async (invoke) => (await invoke('customers.create', JANE)).customer.id);
  await asPerson(core, STAFF, (invoke) =>
    invoke('disclosures.requests.create', { customerIds: [customerId], recipientId: recipient.recipient.id, kind: 'ecommerce_chain', fields: ['name', 'shippingAddress'], purpose: 'Ship order 2231 to the customer' }),
  );

  await reloadAndSignIn(page, STAFF);
  await navigation(page).getByRole('link', { name: 'Disclosures' }).click();
  await expect(page.getByRole('table', { name: 'Your requests' })).toContainText('Harbour Parcels Ltd');
  await audit.check(page, 'disclosures (staff)', { screenshot: true });
  const newRequest = page.getByRole('button', { name: 'Request a disclosure' });
  await newRequest.click();
  const form = page.getByRole('dialog', { name: 'Request a disclosure' });
  await form.getByRole('button', { name: 'File request' }).click();
  await expect(form.getByText('Add at least one customer')).toBeVisible();
  await audit.check(page, 'disclosure request form (with errors)', { screenshot: true });
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();
  await expect.soft(newRequest, 'focus').toBeFocused();
  await signOut(page);

  await reloadAndSignIn(page, MANAGER);
  await navigation(page).getByRole('link', { name: 'Disclosures' }).click();
  const queue = page.getByRole('table', { name: 'Requests waiting for a manager' });
  await expect(queue).toContainText(STAFF.displayName);
  await audit.check(page, 'disclosures queue (manager)', { screenshot: true });
  await queue.getByRole('button', { name: /^Decide the request/ }).click();
  await expect(page.getByRole('dialog', { name: 'Disclosure request' })).toContainText('Ship order 2231');
  await audit.check(page, 'disclosure request detail');
  await page.getByRole('dialog', { name: 'Disclosure request' }).getByRole('button', { name: 'Approve or deny…' }).click();
  const decide = page.getByRole('dialog', { name: 'Approve or deny this disclosure' });
  await decide.getByRole('button', { name: 'Deny' }).click();
  await expect(decide.getByText(/Write at least 10 characters/)).toBeVisible();
  await audit.check(page, 'disclosure decision (deny without reason)', { screenshot: true });
  await decide.getByRole('button', { name: 'Approve' }).click();
  await expect(decide).toBeHidden();
  await queue.getByRole('button', { name: /^Release the request/ }).click();
  await page.getByRole('dialog', { name: 'Disclosure request' }).getByRole('button', { name: 'Release…' }).click();
  const release = page.getByRole('dialog', { name: 'Release this disclosure' });
  await audit.check(page, 'disclosure release options', { screenshot: true });
  await release.getByRole('button', { name: 'Choose where to save and release' }).click();
  const done = page.getByRole('dialog', { name: 'Disclosure released' });
  // Encrypting runs scrypt (age's work factor 18): allow for a busy machine.
  await expect(done.getByLabel('Passphrase', { exact: true })).toBeVisible({ timeout: 60_000 });
  await audit.check(page, 'disclosure released (passphrase)', { screenshot: true });
  await done.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('tab', { name: 'Recipients' }).click();
  await expect(page.getByRole('table', { name: 'Recipients' })).toContainText('Harbour Parcels Ltd');
  await audit.check(page, 'disclosure recipients', { screenshot: true });
  await page.getByRole('button', { name: 'Edit Harbour Parcels Ltd' }).click();
  const editor = page.getByRole('dialog', { name: 'Recipient: Harbour Parcels Ltd' });
  await editor.getByRole('checkbox', { name: 'Email address (widening)' }).check();
  await expect(editor.getByRole('textbox', { name: 'Reason for widening' })).toBeVisible();
  await audit.check(page, 'recipient editor (widening)', { screenshot: true });
  await page.keyboard.press('Escape');
  await navigation(page).getByRole('link', { name: 'Disclosure register' }).click();
  await expect(page.getByRole('table', { name: 'Disclosure register' })).toContainText('Harbour Parcels Ltd');
  await audit.check(page, 'disclosure register (manager)', { screenshot: true });
  await page.getByRole('button', { name: /^Record a correction of entry/ }).click();
  await expect(page.getByRole('dialog', { name: /^Correct register entry/ })).toBeVisible();
  await audit.check(page, 'register correction dialog');
  await page.keyboard.press('Escape');
  await openCustomers(page);
  await openJane(page, 'Customer support');
  await expect(page.getByRole('table', { name: 'Disclosures about this customer' })).toContainText('Harbour Parcels Ltd');
  await audit.check(page, 'record with disclosures', { screenshot: true });
  await signOut(page);

  await reloadAndSignIn(page, AUDITOR);
  await navigation(page).getByRole('link', { name: 'Disclosure register' }).click();
  await expect(page.getByRole('table', { name: 'Disclosure register' })).toContainText('Harbour Parcels Ltd');
  await audit.check(page, 'disclosure register (auditor)', { screenshot: true });
  audit.expectClean();
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
