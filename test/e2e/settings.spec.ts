import { ADMIN, navigation, saveScreen, seedAdministrator, reloadAndSignIn } from './flows.ts';
import { expect, test } from './harness.ts';

test('an IT administrator changes the idle lock, and the new time applies', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await reloadAndSignIn(page, ADMIN);
  await navigation(page).getByRole('link', { name: 'Settings' }).click();

  const minutes = page.getByLabel('Lock after (minutes)');
  await expect(minutes).toHaveValue('10');
  await minutes.fill('3');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('The console now locks after 3 minutes without activity.')).toBeVisible();
  await expect(navigation(page)).toContainText('Locks after 3 min idle');
  await saveScreen(page, '11-settings');

  // Record keeping is office-wide too: bounds come from the contract; a saved value is what main returns.
  const keeping = page.getByRole('form', { name: 'Record keeping' });
  await keeping.getByLabel('Keep closed records (days)').fill('10');
  await keeping.getByRole('button', { name: 'Save record keeping' }).click();
  await expect(keeping.getByText('A whole number of days from 30 to 3650')).toBeVisible();
  await keeping.getByLabel('Keep closed records (days)').fill('400');
  await keeping.getByLabel('Answer requests within (days)').fill('20');
  await keeping.getByRole('button', { name: 'Save record keeping' }).click();
  await expect(page.getByText('Saved for every workstation: records kept 400 days after closing, requests answered within 20 days.')).toBeVisible();

  // The minimum password length: never below the built-in floor; new password forms follow it.
  const passwords = page.getByRole('form', { name: 'Passwords' });
  await passwords.getByLabel('Minimum length (characters)').fill('8');
  await passwords.getByRole('button', { name: 'Save password rules' }).click();
  await expect(passwords.getByText('A whole number of characters from 12 to 64')).toBeVisible();
  await passwords.getByLabel('Minimum length (characters)').fill('16');
  await passwords.getByRole('button', { name: 'Save password rules' }).click();
  await expect(page.getByText('New passwords now need at least 16 characters.')).toBeVisible();
  await navigation(page).getByRole('link', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'New account' }).click();
  await expect(page.getByRole('dialog', { name: 'New account' })).toContainText('At least 16 characters');
  await page.keyboard.press('Escape');

  app.advanceTime(3 * 60_000 + 1_000);
  core.sweepIdle();
  await expect(page.getByRole('heading', { name: 'Console locked' })).toBeVisible();
});
