/**
 * Home and tasks (issue #13): each role's Home shows counts of what needs them, each leading to its page, with the
 * same counts as navigation badges; a running import shows in the header's task indicator on every page, ends
 * with a notification, and its report reopens later.
 */
import type { Page } from '@playwright/test';
import { ADMIN, asPerson, expectHome, JANE, navigation, reloadAndSignIn, saveScreen, seedAccount, seedAdministrator, signOut, STAFF, type Person } from './flows.ts';
import { expect, test } from './harness.ts';

const MANAGER: Person = { username: 'mia.manager', displayName: 'Mia Hoffmann', password: 'silver orchard evening bridge' };
const AUDITOR: Person = { username: 'aino.audit', displayName: 'Aino Virtanen', password: 'granite meadow quiet ferry' };

const card = (page: Page, title: string) => page.getByRole('region', { name: title });

test('each role’s Home shows counts of its work, linking to it, and the navigation carries the same count', async ({ app }) => {
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, STAFF, 'staff');
  await seedAccount(core, MANAGER, 'manager');
  await seedAccount(core, AUDITOR, 'auditor');
  const filed = await asPerson(core, STAFF, async (invoke) => {
    const { customer } = await invoke('customers.create', JANE);
    const { request } = await invoke('erasure.file', { customerId: customer.id, reason: 'customer_request', channel: 'email' });
    return request.id;
  });

  // Staff: their own request waits; nothing to decide.
  await reloadAndSignIn(page, STAFF);
  await expectHome(page, STAFF);
  const waiting = card(page, 'Your requests still waiting');
  await expect(waiting.getByRole('link', { name: '1 Delete a customer' })).toBeVisible();
  await expect(card(page, 'Came back to you')).toContainText('Nothing new since you last looked.');
  await expect(page.getByRole('link', { name: 'About my role and the controls in force' })).toBeVisible();
  await signOut(page);

  // Manager: the request is theirs to decide; Home and the Deletions badge say 1.
  await reloadAndSignIn(page, MANAGER);
  await expectHome(page, MANAGER);
  const decide = card(page, 'Waiting for you');
  await expect(decide.getByRole('link', { name: '1 Delete a customer' })).toBeVisible();
  await expect(decide.getByRole('link', { name: /Break-glass openings to review/ })).toBeVisible();
  await expect(navigation(page).getByRole('link', { name: 'Deletions (1 waiting)' })).toBeVisible();
  await saveScreen(page, 'home-manager');
  await decide.getByRole('link', { name: '1 Delete a customer' }).click();
  await expect(page.getByRole('heading', { name: 'Deletions', level: 1 })).toBeVisible();
  await asPerson(core, MANAGER, async (invoke) => {
    await invoke('session.reauthenticate', { password: MANAGER.password });
    await invoke('approvals.decide', { id: filed, decision: 'deny', reason: 'The customer asked us to keep the account after all' });
  });
  // Counts refresh after one's own actions and on navigation: the badge goes once the request is decided.
  await navigation(page).getByRole('link', { name: 'Home' }).click();
  await expect(decide.getByRole('link', { name: '0 Delete a customer' })).toBeVisible();
  await expect(navigation(page).getByRole('link', { name: 'Deletions', exact: true })).toBeVisible();
  await signOut(page);

  // Staff again: the denial came back; marking it seen clears it.
  await reloadAndSignIn(page, STAFF);
  const back = card(page, 'Came back to you');
  await expect(back.getByRole('link', { name: '1 Delete a customer: denied' })).toBeVisible();
  await saveScreen(page, 'home-staff');
  await back.getByRole('button', { name: 'Mark as seen' }).click();
  await expect(back).toContainText('Nothing new since you last looked.');
  await page.getByRole('link', { name: 'About my role and the controls in force' }).click();
  await expect(page.getByRole('heading', { name: 'About my role', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Privacy controls in force' })).toBeVisible();
  await signOut(page);

  // IT: accounts, jobs and key versions.
  for (let i = 0; i < 5; i += 1) await core.handle({ senderId: 'guess', trusted: true }, 'session.login', { username: STAFF.username, password: 'not the password' });
  await reloadAndSignIn(page, ADMIN);
  await expectHome(page, ADMIN);
  const system = card(page, 'Accounts, jobs and keys');
  await expect(system.getByRole('link', { name: '1 Accounts locked out' })).toBeVisible();
  await expect(system.getByRole('link', { name: /Key versions in use/ })).toContainText('audit v1');
  await expect(system.getByRole('link', { name: /Jobs failed this week/ })).toBeVisible();
  await expect(navigation(page).getByRole('link', { name: 'Accounts (1 waiting)' })).toBeVisible();
  await saveScreen(page, 'home-it');
  await system.getByRole('link', { name: '1 Accounts locked out' }).click();
  await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();
  await signOut(page);

  // Auditor: the chain's last verification, by whom, and the week's failed sign-ins.
  await asPerson(core, AUDITOR, (invoke) => invoke('audit.verify', {}));
  await reloadAndSignIn(page, AUDITOR);
  await expectHome(page, AUDITOR);
  const auditCard = card(page, 'Audit log');
  await expect(auditCard.getByRole('link', { name: /Audit chain/ })).toContainText(`Intact at the last verification, by ${AUDITOR.displayName}`);
  await expect(auditCard.getByRole('link', { name: /Failed sign-ins this week/ })).toContainText('5');
  await expect(card(page, 'Waiting for you')).toHaveCount(0);
  await saveScreen(page, 'home-auditor');
  await auditCard.getByRole('link', { name: /Failed sign-ins this week/ }).click();
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
});

async function pickFile(page: Page, name: string, text: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'CSV file' }).click();
  await (await chooser).setFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

const ROWS = Number(process.env.E2E_IMPORT_ROWS ?? 20_000);

test(`a running import (${ROWS.toLocaleString('en-GB')} rows) survives leaving the page, shows in the header, notifies its end and keeps its report`, async ({ app }) => {
  test.setTimeout(240_000);
  const { page, core } = app;
  await seedAdministrator(core);
  await seedAccount(core, MANAGER, 'manager');
  await reloadAndSignIn(page, MANAGER);
  await navigation(page).getByRole('link', { name: 'Customers' }).click();

  const lines = ['First name,Last name,Email,Street,City,Postcode,Country'];
  for (let i = 0; i < ROWS; i += 1) lines.push(`Given${i},Family${i % 97},${i % 5000 === 7 ? 'not-an-email' : `bulk${i}@example.com`},${i} Long Road,Leeds,LS${i % 30} 1AA,GB`);
  await page.getByRole('button', { name: 'Import CSV' }).click();
  await pickFile(page, 'big.csv', lines.join('\n'));
  await page.getByRole('button', { name: 'Run import' }).click();
  await expect(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();

  // Away to Home: the header shows the import with its progress.
  await navigation(page).getByRole('link', { name: 'Home' }).click();
  await expectHome(page, MANAGER);
  const indicator = page.getByRole('banner').getByRole('button', { name: /Import of big\.csv/ });
  await expect(indicator).toBeVisible();
  await indicator.click();
  const tasks = page.getByRole('dialog', { name: 'Tasks' });
  await expect(tasks.getByRole('progressbar', { name: 'Import of big.csv progress' })).toBeVisible();
  await saveScreen(page, 'task-indicator-running');
  await page.keyboard.press('Escape');
  await expect(tasks).toBeHidden();
  await expect(indicator).toBeFocused();

  // Back on Customers: the running import is shown, and no second one is offered.
  await navigation(page).getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('button', { name: 'Import CSV' }).click();
  await expect(page.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'CSV file' })).toHaveCount(0);
  await navigation(page).getByRole('link', { name: 'Privacy policy' }).click();

  // Its end is notified wherever the person is; the report reopens from the indicator and downloads.
  await expect(page.getByRole('alert').filter({ hasText: 'Import of big.csv finished' })).toBeVisible({ timeout: 200_000 });
  await page.getByRole('banner').getByRole('button', { name: 'Tasks' }).click();
  await expect(tasks).toContainText('Finished');
  await tasks.getByRole('button', { name: 'Open report' }).click();
  const report = page.getByRole('dialog', { name: 'Import of big.csv: rejected rows' });
  await expect(report.getByRole('table', { name: 'Rejected rows' }).getByRole('row', { name: /^9 Email Not a valid email address/ })).toBeVisible();
  await expect(report).not.toContainText('not-an-email');
  await saveScreen(page, 'task-report');
  const download = page.waitForEvent('download');
  await report.getByRole('button', { name: 'Download CSV' }).click();
  expect((await download).suggestedFilename()).toBe('big-rejected-rows.csv');
  await page.keyboard.press('Escape');
  await expect(report).toBeHidden();

  // The Tasks page lists the job main ran, scoped to the manager.
  await navigation(page).getByRole('link', { name: 'Tasks' }).click();
  await expect(page.getByRole('table', { name: 'Your jobs' })).toContainText('Customer import');
  await expect(page.getByRole('table', { name: 'Started in this window' })).toContainText('Import of big.csv');
  await saveScreen(page, 'tasks-page');
});
