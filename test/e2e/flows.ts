import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../main/api.std.ts';
import type { Core } from '../../main/core.contract.std.ts';
import type { Role } from '../../main/platform/ipc/roles.std.ts';
import { expect } from './harness.ts';

export interface Person {
  username: string;
  displayName: string;
  password: string;
}

export const ADMIN: Person = { username: 'ada.admin', displayName: 'Ada Lindqvist', password: 'copper lantern winter harbour' };
/** The sample customer the specs create (synthetic data). */
export const JANE = {
  kind: 'person' as const,
  givenName: 'Jane',
  familyName: 'Doe-Smith',
  email: 'jane.doe@example.com',
  phone: '+44 20 7946 0018',
  shippingAddress: { street: '12 Harbour Lane', city: 'Bristol', postalCode: 'BS1 4DJ', country: 'GB' },
  dateOfBirth: '1984-06-02',
};

/** A sign-in counts as a fresh password entry for this long (REAUTH_WINDOW_MS in main). */
export const REAUTH_WINDOW_MS = 5 * 60_000;
export const NEXT_YEAR = new Date().getFullYear() + 1;

export const STAFF: Person = { username: 'sam.staff', displayName: 'Sam Okafor', password: 'blue kettle morning tram' };

const SCREENS_DIR = 'test-results/screens';

export async function saveScreen(page: Page, name: string): Promise<void> {
  await mkdir(SCREENS_DIR, { recursive: true });
  // Park the pointer so no hover state shows, and finish transitions so nothing is caught mid-fade.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SCREENS_DIR}/${name}.png`, fullPage: true, animations: 'disabled' });
}

/** Creates the first administrator straight through the core, for tests about something other than setup. */
export async function seedAdministrator(core: Core, admin: Person = ADMIN): Promise<void> {
  const seeder = { senderId: 'seed', trusted: true };
  const result = await core.handle(seeder, 'session.setup', admin);
  if (!result.ok) throw new Error(`seeding failed: ${result.error.message}`);
  core.endSession(seeder.senderId);
}

/** Creates another account through the core, signed in as the seeded administrator. */
export async function seedAccount(core: Core, person: Person, role: Role): Promise<void> {
  const seeder = { senderId: 'seed', trusted: true };
  const login = await core.handle(seeder, 'session.login', { username: ADMIN.username, password: ADMIN.password });
  const created = login.ok ? await core.handle(seeder, 'accounts.create', { ...person, role }) : login;
  core.endSession(seeder.senderId);
  if (!created.ok) throw new Error(`seeding failed: ${created.error.message}`);
}

export async function expectHome(page: Page, person: Person): Promise<void> {
  await expect(page.getByRole('heading', { name: `Welcome, ${person.displayName}` })).toBeVisible();
}

export async function signIn(page: Page, person: Person): Promise<void> {
  await page.getByLabel('Username').fill(person.username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Reloads so the page sees accounts seeded through the core (first-run setup is over), then signs in. */
export async function reloadAndSignIn(page: Page, person: Person): Promise<void> {
  await page.reload();
  await signIn(page, person);
}

export function signInFailure(page: Page) {
  return page.getByRole('alert', { name: 'Sign-in failed' });
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

export function navigation(page: Page) {
  return page.getByRole('navigation', { name: 'Main navigation' });
}

export type Invoke = <C extends ChannelName>(channel: C, input: ChannelInput<C>) => Promise<ChannelOutput<C>>;

/** Runs calls through the core as `person`, in a session of its own (test data set-up, not what is tested). */
export async function asPerson<T>(core: Core, person: Person, steps: (invoke: Invoke) => Promise<T>): Promise<T> {
  const caller = { senderId: `seed-${randomUUID()}`, trusted: true };
  const invoke: Invoke = async (channel, input) => {
    const result = await core.handle(caller, channel, input);
    if (!result.ok) throw new Error(`${channel} refused: ${result.error.message}`);
    return result.value as ChannelOutput<typeof channel>;
  };
  try {
    await invoke('session.login', { username: person.username, password: person.password });
    return await steps(invoke);
  } finally {
    core.endSession(caller.senderId);
  }
}
