/**
 * Two cores (two workstations) on one database file: an account change made on one ends the account's sessions on
 * the other at their next call (per-account session epoch checked by the router), and office-wide settings are
 * one value for both.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { ADMIN, startCore, tempDir, type TestCore } from '../support/core.ts';
import { PASSWORD } from '../support/customers.ts';
import { sharedTestDatabase } from '../support/races.ts';


describe('sessions and settings across workstations', () => {
  const root = tempDir('itpc-shared-');
  const vault = new MemoryVault();
  let database: Awaited<ReturnType<typeof sharedTestDatabase>>;
  let a: TestCore;
  let b: TestCore;
  const ids: Record<string, string> = {};
  const ended: { senderId: string; reason: unknown }[] = [];

  before(async () => {
    database = await sharedTestDatabase(root);
    a = await startCore({ dataDir: join(root, 'a'), vault, database: database.config });
    b = await startCore({ dataDir: join(root, 'b'), vault, database: database.config });
    b.core.onEvent((senderId, event, payload) => {
      if (event === 'session.ended') ended.push({ senderId, reason: (payload as { reason: unknown }).reason });
    });
    await a.call('session.setup', ADMIN, 'it');
    for (const [username, role] of [['dee.staff', 'staff'], ['rob.staff', 'staff'], ['pat.staff', 'staff']] as const) {
      ids[username] = (await a.call<{ id: string }>('accounts.create', { username, displayName: username, role, password: PASSWORD }, 'it')).id;
    }
  });
  after(async () => {
    await a.cleanup();
    await b.cleanup();
    await database.drop();
    rmSync(root, { recursive: true, force: true });
  });

  const signIn = async (username: string, window: string) => {
    await b.call('session.login', { username, password: PASSWORD }, window);
    await b.call('customers.list', {}, window); // works before the change
  };

  test('IT disables a user on workstation A: the user\'s next call on workstation B is refused, the session ended', async () => {
    await signIn('dee.staff', 'dee');
    await a.call('accounts.update', { id: ids['dee.staff'], status: 'disabled' }, 'it');
    const refused = await b.core.handle(b.caller('dee'), 'customers.list', {});
    assert.deepEqual(refused, { ok: false, error: { code: 'NOT_AUTHENTICATED', message: 'You were signed out: an IT administrator disabled your account.' } });
    assert.deepEqual(ended.at(-1), { senderId: 'dee', reason: 'account_disabled' });
    const again = await b.core.handle(b.caller('dee'), 'customers.list', {});
    assert.deepEqual(again, { ok: false, error: { code: 'NOT_AUTHENTICATED', message: 'Please sign in.' } });
  });

  test('a role change on A signs the user out on B with its own reason; signing in again works', async () => {
    await signIn('rob.staff', 'rob');
    await a.call('accounts.update', { id: ids['rob.staff'], role: 'manager' }, 'it');
    const refused = await b.core.handle(b.caller('rob'), 'customers.list', {});
    assert.equal(!refused.ok && refused.error.code, 'NOT_AUTHENTICATED');
    assert.deepEqual(ended.at(-1), { senderId: 'rob', reason: 'role_changed' });
    await b.call('session.login', { username: 'rob.staff', password: PASSWORD }, 'rob');
    await b.call('customers.list', {}, 'rob');
  });

  test('a password reset on A signs the user out on B; the administrator changing their own password stays signed in', async () => {
    await signIn('pat.staff', 'pat');
    await a.call('accounts.resetPassword', { id: ids['pat.staff'] }, 'it').catch(async (error: Error) => {
      if (!/REAUTH_REQUIRED/.test(error.message)) throw error;
      await a.call('session.reauthenticate', { password: ADMIN.password }, 'it');
      await a.call('accounts.resetPassword', { id: ids['pat.staff'] }, 'it');
    });
    // Reloading the window on B asks for the status first (a public call): the session is gone there too.
    assert.equal((await b.call<{ session: unknown }>('session.status', {}, 'pat')).session, null);
    assert.deepEqual(ended.at(-1), { senderId: 'pat', reason: 'password_reset' });
    const refused = await b.core.handle(b.caller('pat'), 'customers.list', {});
    assert.equal(!refused.ok && refused.error.code, 'NOT_AUTHENTICATED');

    await b.call('session.login', { username: ADMIN.username, password: ADMIN.password }, 'it-on-b');
    await a.call('session.changePassword', { currentPassword: ADMIN.password, newPassword: 'another long passphrase 7' }, 'it');
    await a.call('accounts.list', {}, 'it'); // still signed in on the workstation that made the change
    const elsewhere = await b.core.handle(b.caller('it-on-b'), 'accounts.list', {});
    assert.equal(!elsewhere.ok && elsewhere.error.code, 'NOT_AUTHENTICATED');
    assert.deepEqual(ended.at(-1), { senderId: 'it-on-b', reason: 'password_changed' });
  });

  test('office-wide settings: a change on A is what B reads and applies; audited with field names only; IT only', async () => {
    await a.call('session.login', { username: ADMIN.username, password: 'another long passphrase 7' }, 'it2');
    const updated = await a.call<Record<string, number>>('settings.update', { idleLockMinutes: 17, retentionDays: 400 }, 'it2');
    assert.deepEqual(updated, { idleLockMinutes: 17, retentionDays: 400, requestDeadlineDays: 30, minPasswordLength: 12, locale: 'en-GB' });
    await b.call('session.login', { username: ADMIN.username, password: 'another long passphrase 7' }, 'it-b');
    assert.deepEqual(await b.call('settings.get', {}, 'it-b'), updated);
    b.core.sweepIdle();
    // B's cached idle lock follows after its next refresh (the sweep); settings.get refreshed it already.
    const status = await b.call<{ session: { idleLockMinutes: number } }>('session.status', {}, 'it-b');
    assert.equal(status.session.idleLockMinutes, 17);
    const audit = await a.call<{ events: { action: string; details: Record<string, unknown> }[] }>('audit.list', { limit: 20 }, 'it2');
    const event = audit.events.find((e) => e.action === 'settings.updated')!;
    assert.deepEqual(event.details, { fields: ['idleLockMinutes', 'retentionDays'] });
    await b.call('session.login', { username: 'rob.staff', password: PASSWORD }, 'rob2');
    const denied = await b.core.handle(b.caller('rob2'), 'settings.update', { idleLockMinutes: 5 });
    assert.equal(!denied.ok && denied.error.code, 'FORBIDDEN');
  });

  test('bad settings input is refused with nothing changed', async () => {
    for (const bad of [{ idleLockMinutes: 0 }, { retentionDays: 10 }, { requestDeadlineDays: 91 }, { idleLockMinutes: '5' }, { colour: 'red' }]) {
      const refused = await a.core.handle(a.caller('it2'), 'settings.update', bad);
      assert.equal(!refused.ok && refused.error.code, 'INVALID_INPUT', JSON.stringify(bad));
    }
    assert.deepEqual(await a.call('settings.get', {}, 'it2'), { idleLockMinutes: 17, retentionDays: 400, requestDeadlineDays: 30, minPasswordLength: 12, locale: 'en-GB' });
  });
});
