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

  app.advanceTime(3 * 60_000 + 1_000);
  core.sweepIdle();
  await expect(page.getByRole('heading', { name: 'Console locked' })).toBeVisible();
});
