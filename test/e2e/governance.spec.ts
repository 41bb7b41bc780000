import { ADMIN, expectHome, navigation, reloadAndSignIn, saveScreen, seedAccount, seedAdministrator, signIn, signOut, STAFF } from './flows.ts';
import { expect, test } from './harness.ts';

/** The office default (settings): the console locks after this many minutes without a call. */
const IDLE_LOCK_MINUTES = 10;

test('a minute before the idle lock a warning offers to stay signed in; ignored, the console locks', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await page.clock.install();
  await reloadAndSignIn(page, ADMIN);
  await expectHome(page, ADMIN);

  // Nine minutes without a call: the warning appears, its button focused.
  await page.clock.fastForward((IDLE_LOCK_MINUTES - 1) * 60_000 + 2_000);
  const warning = page.getByRole('dialog', { name: 'Still there?' });
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('The console locks in');
  await expect(warning.getByRole('button', { name: 'Stay signed in' })).toBeFocused();
  await saveScreen(page, 'governance-idle-warning');
  const before = app.calls.length;
  await page.keyboard.press('Enter');
  await expect(warning).toBeHidden();
  // Staying signed in is a call: main's idle count starts again.
  await expect.poll(() => app.calls.slice(before)).toContain('session.activity');

  // Ignored this time: main locks when the time is up, and the lock screen replaces the warning.
  await page.clock.fastForward((IDLE_LOCK_MINUTES - 1) * 60_000 + 2_000);
  await expect(warning).toBeVisible();
  app.advanceTime(IDLE_LOCK_MINUTES * 60_000 + 1_000);
  core.sweepIdle();
  await expect(page.getByRole('heading', { name: 'Console locked' })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('after signing out, or being signed out, the next person starts on Home', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await reloadAndSignIn(page, ADMIN);
  await navigation(page).getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(/#\/audit$/);
  await signOut(page);
  await signIn(page, STAFF);
  await expectHome(page, STAFF);
  expect(new URL(page.url()).hash).toBe('#/');

  // Signed out by main (disabled on another window): the sign-in screen starts over from Home too.
  await navigation(page).getByRole('link', { name: 'Customers' }).click();
  await expect(page).toHaveURL(/#\/customers$/);
  const admin = await app.openWindow();
  await signIn(admin, ADMIN);
  await navigation(admin).getByRole('link', { name: 'Accounts' }).click();
  await admin.getByRole('button', { name: `Actions for ${STAFF.username}` }).click();
  await admin.getByRole('menuitem', { name: 'Disable account' }).click();
  await admin.getByRole('dialog', { name: `Disable the account of ${STAFF.displayName}?` }).getByRole('button', { name: 'Disable account' }).click();
  await expect(page.getByText('You were signed out because an IT administrator disabled your account.')).toBeVisible();
  expect(new URL(page.url()).hash).toBe('#/');
});

test('IT administrators and auditors have no customer screens; the router refuses a typed-in address', async ({ app }) => {
  const { page, core } = app;
  const AUDITOR = { username: 'aud.auditor', displayName: 'Aud Auditor', password: 'quiet ledger amber field' };
  await seedAdministrator(core);
  await seedAccount(core, AUDITOR, 'auditor');
  for (const person of [ADMIN, AUDITOR]) {
    await reloadAndSignIn(page, person);
    await expectHome(page, person);
    for (const customerScreen of ['Customers', 'Break-glass reviews']) {
      await expect(navigation(page).getByRole('link', { name: customerScreen })).toHaveCount(0);
    }
    await page.goto(`${app.origin}/index.html#/customers`);
    await expectHome(page, person);
    await expect(page.getByRole('heading', { name: 'Customers', exact: true })).toHaveCount(0);
    await signOut(page);
  }
});
