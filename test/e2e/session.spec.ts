import { PASSWORD_RULES } from '../../main/features/accounts/passwordRules.std.ts';
import { ADMIN, expectHome, saveScreen, seedAdministrator, reloadAndSignIn, signIn, signInFailure, signOut } from './flows.ts';
import { expect, test } from './harness.ts';

const IDLE_LOCK_MS = 10 * 60_000;

test('first run: set up the administrator, sign out and in, idle lock, unlock, sign out', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('heading', { name: 'Set up the console' })).toBeVisible();
  // The rules are on screen before anything is submitted.
  for (const rule of PASSWORD_RULES) await expect(page.getByText(rule)).toBeVisible();

  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Display name').fill(ADMIN.displayName);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(`${ADMIN.username}-2024-secret`);
  await page.getByLabel('Confirm password').fill('something else entirely');
  await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
  await expect(page.getByText(PASSWORD_RULES[2]).last()).toBeVisible();
  await expect(page.getByText('The passwords do not match')).toBeVisible();
  await saveScreen(page, '01-setup-validation');

  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
  await page.getByLabel('Confirm password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
  await expectHome(page, ADMIN);
  await expect(page.getByRole('main').getByText('IT administrator').first()).toBeVisible();
  await saveScreen(page, '02-home-it-admin');

  await signOut(page);
  await saveScreen(page, '03-login');
  await signIn(page, ADMIN);
  await expectHome(page, ADMIN);

  app.advanceTime(IDLE_LOCK_MS + 60_000);
  app.core.sweepIdle();
  await expect(page.getByRole('heading', { name: 'Console locked' })).toBeVisible();
  await expect(page.getByText(ADMIN.displayName)).toBeVisible();
  await expect(page.getByText('Welcome')).toHaveCount(0);
  await saveScreen(page, '04-lock-screen');

  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not my password at all');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('Username or password is incorrect');
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expectHome(page, ADMIN);

  await signOut(page);
});

test('five wrong passwords lock the account out, and then even the right one is refused', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  const alert = signInFailure(page);
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    await signIn(page, { ...ADMIN, password: `wrong guess number ${attempt}` });
    await expect(alert).toContainText('Username or password is incorrect');
  }
  await signIn(page, { ...ADMIN, password: 'wrong guess number 5' });
  await expect(alert).toContainText('Too many failed attempts');

  await signIn(page, ADMIN);
  await expect(alert).toContainText('Too many failed attempts');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await saveScreen(page, '05-login-locked-out');
});

test('a lockout reached from the lock screen ends the session', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await reloadAndSignIn(page, ADMIN);
  await expectHome(page, ADMIN);
  app.advanceTime(IDLE_LOCK_MS + 60_000);
  core.sweepIdle();
  await expect(page.getByRole('heading', { name: 'Console locked' })).toBeVisible();

  for (let attempt = 1; attempt <= 5; attempt += 1) {
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(`wrong guess number ${attempt}`);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('alert')).toContainText(attempt < 5 ? 'Username or password is incorrect' : 'Too many failed attempts');
  }
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('Too many failed attempts')).toBeVisible();
});

test('input in the window counts as activity for the idle lock', async ({ app }) => {
  const { page, core } = app;
  // The page's own clock drives the 30-second throttle of activity reports.
  await page.clock.install();
  await seedAdministrator(core);
  await reloadAndSignIn(page, ADMIN);
  await expectHome(page, ADMIN);

  app.advanceTime(IDLE_LOCK_MS - 60_000);
  await page.clock.fastForward('00:31');
  await page.mouse.move(200, 300);
  await expect.poll(() => app.calls.filter((channel) => channel === 'session.activity').length).toBe(1);
  // Reports are throttled: more input right away sends nothing more.
  await page.keyboard.press('Shift');
  await page.mouse.move(300, 200);

  app.advanceTime(2 * 60_000);
  core.sweepIdle();
  await expect(page.getByRole('heading', { name: 'Console locked' })).toHaveCount(0);
  expect(app.calls.filter((channel) => channel === 'session.activity')).toHaveLength(1);

  app.advanceTime(IDLE_LOCK_MS);
  core.sweepIdle();
  await expect(page.getByRole('heading', { name: 'Console locked' })).toBeVisible();
});

test('scrolling with the mouse wheel counts as activity too', async ({ app }) => {
  const { page, core } = app;
  await page.clock.install();
  await seedAdministrator(core);
  await reloadAndSignIn(page, ADMIN);
  await expectHome(page, ADMIN);
  await page.mouse.move(200, 300);

  app.advanceTime(IDLE_LOCK_MS - 60_000);
  await page.clock.fastForward('00:31');
  const before = app.calls.filter((channel) => channel === 'session.activity').length;
  await page.mouse.wheel(0, 200);
  await expect.poll(() => app.calls.filter((channel) => channel === 'session.activity').length).toBe(before + 1);

  app.advanceTime(2 * 60_000);
  core.sweepIdle();
  await expect(page.getByRole('heading', { name: 'Console locked' })).toHaveCount(0);
  await expectHome(page, ADMIN);
});

test('the lock screen can sign out instead of unlocking', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await reloadAndSignIn(page, ADMIN);
  await expectHome(page, ADMIN);

  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Lock now' }).click();
  await expect(page.getByRole('heading', { name: 'Console locked' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});
