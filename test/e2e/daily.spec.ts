/**
 * Daily work (issue #13): dialogs keep their buttons in view at 1280×720, settings refuse out-of-range values with a
 * message (never clamp them), the office's locale writes the dates, and the accounts table sorts and filters.
 */
import { ADMIN, asPerson, navigation, reloadAndSignIn, saveScreen, seedAccount, seedAdministrator, signIn, signOut, STAFF, type Person } from './flows.ts';
import { expect, test } from './harness.ts';

const AUDITOR: Person = { username: 'aino.audit', displayName: 'Aino Virtanen', password: 'granite meadow quiet ferry' };

test.use({ viewport: { width: 1280, height: 720 } });

test('at 1280×720: dialog buttons stay visible, settings refuse bad values, the locale changes the dates, accounts sort and filter', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, AUDITOR, 'auditor');
  await reloadAndSignIn(page, ADMIN);

  // The new-account dialog with every error showing: its buttons are still on screen.
  await navigation(page).getByRole('link', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'New account' }).click();
  const form = page.getByRole('dialog', { name: 'New account' });
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(form.getByRole('button', { name: 'Create account' })).toBeInViewport();
  await saveScreen(page, 'dialog-1280x720');
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();

  // Accounts: filter by role and status, sort by name.
  const table = page.getByRole('table', { name: 'Accounts' });
  await page.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Auditor' }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText(AUDITOR.displayName);
  await page.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Any role' }).click();
  await table.getByRole('button', { name: 'Person' }).click();
  await expect(table.getByRole('columnheader', { name: 'Person' })).toHaveAttribute('aria-sort', 'descending');
  await expect(table.getByRole('row').nth(1)).toContainText(STAFF.displayName);

  // Settings: an out-of-range value is refused with a message and left as typed.
  await navigation(page).getByRole('link', { name: 'Settings' }).click();
  const minutes = page.getByLabel('Lock after (minutes)');
  await minutes.fill('500');
  await minutes.blur();
  await expect(minutes).toHaveValue('500');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('A whole number of minutes from 1 to 120')).toBeVisible();
  await minutes.fill('10');

  // The office's locale: German dates from now on.
  const dates = page.getByRole('form', { name: 'Date format' });
  await dates.getByRole('combobox', { name: 'Locale' }).click();
  await page.getByRole('option', { name: /^German \(Germany\)/ }).click();
  await dates.getByRole('button', { name: 'Save date format' }).click();
  await expect(page.getByText(/Saved for every workstation: dates are written as in German/)).toBeVisible();
  await navigation(page).getByRole('link', { name: 'Accounts' }).click();
  // e.g. "06.12.2026, 21:40": German writes day.month.year.
  await expect(page.getByRole('table', { name: 'Accounts' })).toContainText(/\d{2}\.\d{2}\.\d{4}/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de-DE');
});

test('an auditor filters the audit log by outcome and action, sees names for ids, and exports the filtered range', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, AUDITOR, 'auditor');
  await core.handle({ senderId: 'x', trusted: true }, 'session.login', { username: 'nobody.here', password: 'guess' });
  await reloadAndSignIn(page, AUDITOR);
  await navigation(page).getByRole('link', { name: 'Audit log' }).click();
  const events = page.getByRole('table', { name: 'Audit events' });
  const filters = page.getByRole('search', { name: 'Filter the audit log' });
  await filters.getByRole('combobox', { name: 'Outcome' }).click();
  await page.getByRole('option', { name: 'failed' }).click();
  await expect(events.getByRole('row')).toHaveCount(2);
  await expect(events).toContainText('auth.login');
  await filters.getByRole('button', { name: 'Clear filters' }).click();
  await filters.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'account.created' }).click();
  // The created account's id reads as its name.
  await expect(events).toContainText(`userId: ${STAFF.displayName}`);
  await filters.getByRole('button', { name: 'Export CSV' }).click();
  await expect(page.getByText(/2 events exported to audit-log-/)).toBeVisible();
  await saveScreen(page, 'audit-filtered');
});

test('date inputs follow the office locale: typed and shown day-first in en-GB, month-first in en-US, always sent as YYYY-MM-DD', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  const storedBirthDate = (email: string) =>
    asPerson(core, STAFF, async (invoke) => {
      const { rows } = await invoke('customers.search', { by: 'email', value: email });
      const record = await invoke('customers.open', { customerId: rows[0]!.id, purpose: 'correction' });
      return JSON.stringify(record).match(/"dateOfBirth":"([^"]*)"/)?.[1];
    });
  const create = async (email: string, birthDate: string, locale: string) => {
    await page.getByRole('button', { name: 'New customer' }).click();
    const form = page.getByRole('dialog', { name: 'New customer' });
    await form.getByLabel('Given name').fill('Dora');
    await form.getByLabel('Family name').fill(`Dates ${locale}`);
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Street').fill('1 High Street');
    await form.getByLabel('City').fill('York');
    await form.getByLabel('Postal code').fill('YO1 7HH');
    await form.getByLabel('Country').fill('GB');
    const field = form.getByRole('textbox', { name: 'Date of birth' });
    await expect(field).toHaveAttribute('placeholder', locale === 'en-US' ? 'mm/dd/yyyy' : 'dd/mm/yyyy');
    // Typed with the keyboard only; something that is no date says how to write one.
    await field.focus();
    await page.keyboard.type('31/31/1990');
    await expect(form.getByText(`Type the date as ${locale === 'en-US' ? 'mm/dd/yyyy' : 'dd/mm/yyyy'}`)).toBeVisible();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(birthDate);
    await expect(form.getByText(/Type the date as/)).toHaveCount(0);
    // The calendar that opened on focus shows the typed month, in the locale's week.
    await expect(page.getByRole('button', { name: '4 March 1990', exact: true })).toHaveAttribute('data-selected', 'true');
    await saveScreen(page, `date-field-${locale}`);
    await page.keyboard.press('Tab');
    await expect(field).toHaveValue(birthDate);
    await form.getByRole('button', { name: 'Create customer' }).click();
    await expect(form).toBeHidden();
  };

  await reloadAndSignIn(page, STAFF);
  await navigation(page).getByRole('link', { name: 'Customers' }).click();
  await create('dora.gb@example.com', '04/03/1990', 'en-GB');
  expect(await storedBirthDate('dora.gb@example.com')).toBe('1990-03-04');

  // IT sets the office to en-US; the next sign-in carries it.
  await asPerson(core, ADMIN, (invoke) => invoke('settings.update', { locale: 'en-US' }));
  await signOut(page);
  await signIn(page, STAFF);
  await navigation(page).getByRole('link', { name: 'Customers' }).click();
  await create('dora.us@example.com', '03/04/1990', 'en-US');
  expect(await storedBirthDate('dora.us@example.com')).toBe('1990-03-04');
});
