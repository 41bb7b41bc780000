import { ADMIN, expectHome, navigation, saveScreen, seedAccount, seedAdministrator, reloadAndSignIn, signIn, signInFailure, signOut, STAFF } from './flows.ts';
import { expect, test } from './harness.ts';

/** A sign-in counts as a fresh password entry for this long (REAUTH_WINDOW_MS in main). */
const REAUTH_WINDOW_MS = 5 * 60_000;

test('an IT administrator creates a staff account after confirming their password', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await reloadAndSignIn(page, ADMIN);
  await expectHome(page, ADMIN);
  // Let the sign-in's own re-authentication expire so creating an account has to ask again.
  app.advanceTime(REAUTH_WINDOW_MS + 60_000);

  await navigation(page).getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Accounts' })).toContainText(ADMIN.displayName);

  await page.getByRole('button', { name: 'New account' }).click();
  const form = page.getByRole('dialog', { name: 'New account' });
  await form.getByLabel('Username').fill(STAFF.username);
  await form.getByLabel('Display name').fill(STAFF.displayName);
  await form.getByLabel('Initial password').fill(STAFF.password);
  await form.getByLabel('Confirm password').fill(STAFF.password);
  await saveScreen(page, '06-create-account');
  await form.getByRole('button', { name: 'Create account' }).click();

  const reauth = page.getByRole('dialog', { name: "Confirm it's you" });
  await expect(reauth.getByLabel('Your password')).toBeFocused();
  await saveScreen(page, '07-reauth-modal');
  await reauth.getByLabel('Your password').fill('a wrong password here');
  await reauth.getByRole('button', { name: 'Confirm' }).click();
  await expect(reauth.getByRole('alert')).toContainText('Username or password is incorrect');
  await reauth.getByLabel('Your password').fill(ADMIN.password);
  await reauth.getByRole('button', { name: 'Confirm' }).click();

  await expect(page.getByText(`Account “${STAFF.username}” created.`)).toBeVisible();
  await expect(form).toBeHidden();
  await expect(page.getByRole('table', { name: 'Accounts' })).toContainText(STAFF.displayName);
  await saveScreen(page, '08-accounts');

  await signOut(page);
  await signIn(page, STAFF);
  await expectHome(page, STAFF);
  await expect(navigation(page).getByRole('link', { name: 'Home' })).toBeVisible();
  for (const adminOnly of ['Accounts', 'Audit log', 'Settings']) {
    await expect(navigation(page).getByRole('link', { name: adminOnly })).toHaveCount(0);
  }
  await expect(page.getByRole('main').getByText('Back-office staff').first()).toBeVisible();
  await saveScreen(page, '09-home-staff');

  // A typed-in address does not reach a page the role may not use.
  await page.goto(`${app.origin}/index.html#/accounts`);
  await expectHome(page, STAFF);
  await expect(page.getByRole('heading', { name: 'Accounts' })).toHaveCount(0);
});

test('disabling an account ends its open session, and it can no longer sign in', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  const staffWindow = await app.openWindow();
  await signIn(staffWindow, STAFF);
  await expectHome(staffWindow, STAFF);

  await reloadAndSignIn(page, ADMIN);
  await navigation(page).getByRole('link', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: `Actions for ${STAFF.username}` }).click();
  await page.getByRole('menuitem', { name: 'Disable account' }).click();
  // Confirmed first, naming the person.
  const confirm = page.getByRole('dialog', { name: `Disable the account of ${STAFF.displayName}?` });
  await expect(confirm).toContainText(STAFF.username);
  await confirm.getByRole('button', { name: 'Disable account' }).click();
  await expect(page.getByText(`Disabled the account of ${STAFF.displayName}.`)).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(STAFF.displayName) })).toContainText('Disabled');

  await expect(staffWindow.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(staffWindow.getByText('You were signed out because an IT administrator disabled your account.')).toBeVisible();
  await saveScreen(staffWindow, '12-signed-out-disabled');
  await signIn(staffWindow, STAFF);
  await expect(signInFailure(staffWindow)).toContainText('Username or password is incorrect');
});

test('an IT administrator clears a lockout, changes a role and resets a password', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    await core.handle({ senderId: 'guesser', trusted: true }, 'session.login', { username: STAFF.username, password: `guess ${attempt} is wrong` });
  }
  await reloadAndSignIn(page, ADMIN);
  await navigation(page).getByRole('link', { name: 'Accounts' }).click();
  const staffRow = page.getByRole('row', { name: new RegExp(STAFF.displayName) });
  await expect(staffRow).toContainText('Locked out');
  await staffRow.getByText('Locked out').hover();
  await expect(page.getByRole('tooltip')).toContainText('Locked after failed sign-ins until');

  const actions = page.getByRole('button', { name: `Actions for ${STAFF.username}` });
  await actions.click();
  await page.getByRole('menuitem', { name: 'Clear lockout' }).click();
  await expect(page.getByText(`Lockout cleared for ${STAFF.displayName}.`)).toBeVisible();
  await expect(staffRow).not.toContainText('Locked out');

  await actions.click();
  await page.getByRole('menuitem', { name: 'Change role' }).click();
  const roleDialog = page.getByRole('dialog', { name: `Change role of ${STAFF.displayName}` });
  await roleDialog.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Manager' }).click();
  await saveScreen(page, '13-change-role');
  await roleDialog.getByRole('button', { name: 'Save role' }).click();
  await expect(page.getByText(`${STAFF.displayName} is now Manager.`)).toBeVisible();
  await expect(staffRow).toContainText('Manager');

  const newPassword = 'harbour lights over quiet water';
  await actions.click();
  await page.getByRole('menuitem', { name: 'Reset password' }).click();
  const resetDialog = page.getByRole('dialog', { name: `Reset password of ${STAFF.displayName}` });
  await resetDialog.getByRole('button', { name: 'Reset password' }).click();
  // IT never picks the password: a one-time code, shown once, to hand over.
  const codeDialog = page.getByRole('dialog', { name: `One-time code for ${STAFF.displayName}` });
  const oneTimeCode = (await codeDialog.getByTestId('one-time-code').textContent())!.trim();
  expect(oneTimeCode).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
  await codeDialog.getByRole('button', { name: 'Done, I have handed it over' }).click();
  await expect(staffRow).toContainText('Must set a new password');

  await signOut(page);
  await signIn(page, { ...STAFF, password: oneTimeCode });
  await expect(page.getByRole('heading', { name: 'Set your own password' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Your password was reset' })).toContainText(`${ADMIN.displayName} reset your password on`);
  await page.getByLabel('One-time code').fill(oneTimeCode);
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(newPassword);
  await page.getByRole('textbox', { name: 'Confirm new password' }).fill(newPassword);
  await page.getByRole('button', { name: 'Set password and continue' }).click();
  await expectHome(page, STAFF);
  await expect(page.getByRole('main').getByText('Manager').first()).toBeVisible();
});

test('a password prompt left open when the console locks leaves no notification behind on the lock screen', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await reloadAndSignIn(page, ADMIN);
  await expectHome(page, ADMIN);
  app.advanceTime(REAUTH_WINDOW_MS + 60_000);

  await navigation(page).getByRole('link', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: `Actions for ${STAFF.username}` }).click();
  await page.getByRole('menuitem', { name: 'Disable account' }).click();
  await page.getByRole('dialog', { name: `Disable the account of ${STAFF.displayName}?` }).getByRole('button', { name: 'Disable account' }).click();
  await expect(page.getByRole('dialog', { name: "Confirm it's you" })).toBeVisible();

  // Nobody answers the prompt: the console locks, which cancels it and refuses the change.
  app.advanceTime(10 * 60_000 + 60_000);
  core.sweepIdle();
  await expect(page.getByRole('heading', { name: 'Console locked' })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  // The refusal settles right after the lock; nothing about it (or about anyone's account) may appear here.
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
  await expect(page.getByText('Change not saved')).toHaveCount(0);
  await expect(page.getByText(STAFF.displayName)).toHaveCount(0);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
  await expect(page.getByText('Change not saved')).toHaveCount(0);
  await expect(page.getByRole('row', { name: new RegExp(STAFF.displayName) })).toContainText('Active');

  // Notifications can be dismissed by name (their close button is an icon only).
  await page.getByRole('button', { name: `Actions for ${STAFF.username}` }).click();
  // Unlocking was a password entry, so no prompt this time.
  await page.getByRole('menuitem', { name: 'Disable account' }).click();
  await page.getByRole('dialog', { name: `Disable the account of ${STAFF.displayName}?` }).getByRole('button', { name: 'Disable account' }).click();
  await expect(page.getByText(`Disabled the account of ${STAFF.displayName}.`)).toBeVisible();
  await page.getByRole('button', { name: 'Dismiss notification' }).click();
  await expect(page.getByText(`Disabled the account of ${STAFF.displayName}.`)).toHaveCount(0);
});
