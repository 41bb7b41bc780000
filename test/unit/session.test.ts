import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LOCKOUT_MS, MAX_FAILED_ATTEMPTS } from '../../main/features/accounts/accountService.node.ts';
import { PasswordHasher } from '../../main/features/accounts/passwords.node.ts';
import { ADMIN, startCore, type TestCore } from '../support/core.ts';

const STAFF = { username: 'sam.staff', displayName: 'Sam Staff', role: 'staff', password: 'staff member passphrase' };

async function code(t: TestCore, channel: string, input: unknown, senderId?: string): Promise<string> {
  const result = await t.core.handle(t.caller(senderId), channel, input);
  return result.ok ? 'ok' : result.error.code;
}

describe('accounts and sessions', () => {
  let t: TestCore;
  let staffId: string;
  const events: [string, string, unknown][] = [];

  before(async () => {
    t = await startCore();
    t.core.onEvent((senderId, event, payload) => events.push([senderId, event, payload]));
    await t.call('session.setup', ADMIN);
    staffId = (await t.call<{ id: string }>('accounts.create', STAFF)).id;
  });
  after(() => t.cleanup());

  test('setup runs once', async () => {
    assert.equal(await code(t, 'session.setup', { ...ADMIN, username: 'second.admin' }, 'other'), 'CONFLICT');
  });

  test('password rules are enforced in main', async () => {
    assert.equal(await code(t, 'accounts.create', { ...STAFF, username: 'short.pw', password: 'short' }), 'INVALID_INPUT');
    assert.equal(await code(t, 'accounts.create', { ...STAFF, username: 'has.name', password: 'has.name and more words' }), 'INVALID_INPUT');
    assert.equal(await code(t, 'accounts.create', { ...STAFF, username: 'common.pw', password: 'password1234' }), 'INVALID_INPUT');
  });

  test('display names are one line of printable text', async () => {
    assert.equal(await code(t, 'accounts.create', { ...STAFF, username: 'two.lines', displayName: 'Sam\nStaff' }), 'INVALID_INPUT');
    assert.equal(await code(t, 'accounts.create', { ...STAFF, username: 'bell.char', displayName: 'Sam\u0007' }), 'INVALID_INPUT');
    assert.equal(await code(t, 'accounts.create', { ...STAFF, username: 'long.name', displayName: 'x'.repeat(81) }), 'INVALID_INPUT');
  });

  test('a wrong password and an unknown user look the same', async () => {
    const wrong = await t.core.handle(t.caller('w1'), 'session.login', { username: STAFF.username, password: 'not the password' });
    const unknown = await t.core.handle(t.caller('w1'), 'session.login', { username: 'no.such.user', password: 'not the password' });
    assert.deepEqual(wrong, unknown);
    await t.call('session.login', STAFF_LOGIN, 'w1'); // resets the failure counter
  });

  test(`${MAX_FAILED_ATTEMPTS} failures lock the account for 15 minutes, even against the right password`, async () => {
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i += 1) {
      assert.equal(await code(t, 'session.login', { username: STAFF.username, password: `wrong ${i}` }, 'w2'), 'INVALID_CREDENTIALS');
    }
    assert.equal(await code(t, 'session.login', { username: STAFF.username, password: 'wrong 5' }, 'w2'), 'LOCKED_OUT');
    assert.equal(await code(t, 'session.login', STAFF_LOGIN, 'w2'), 'LOCKED_OUT');
    const list = await t.call<{ accounts: { id: string; lockedUntil: string | null }[] }>('accounts.list', {});
    assert.ok(list.accounts.find((a) => a.id === staffId)?.lockedUntil);
    t.clock.advance(LOCKOUT_MS + 1000);
    assert.equal(await code(t, 'session.login', STAFF_LOGIN, 'w2'), 'ok');
  });

  test('IT can clear a lockout early', async () => {
    for (let i = 0; i < MAX_FAILED_ATTEMPTS; i += 1) await code(t, 'session.login', { username: STAFF.username, password: 'nope nope' }, 'w3');
    assert.equal(await code(t, 'session.login', STAFF_LOGIN, 'w3'), 'LOCKED_OUT');
    // The admin's window sat idle through the previous test's 15 minutes: it is locked, and unlocking re-authenticates.
    assert.equal(await code(t, 'session.reauthenticate', { password: ADMIN.password }), 'SESSION_LOCKED');
    await t.call('session.unlock', { password: ADMIN.password });
    await t.call('accounts.update', { id: staffId, clearLockout: true });
    assert.equal(await code(t, 'session.login', STAFF_LOGIN, 'w3'), 'ok');
  });

  test('an idle session locks, tells its window, and unlocks with the password', async () => {
    await t.call('session.login', STAFF_LOGIN, 'idle');
    t.clock.advance(9 * 60_000);
    t.core.sweepIdle();
    assert.equal(await code(t, 'session.activity', {}, 'idle'), 'ok');
    t.clock.advance(10 * 60_000 + 1);
    t.core.sweepIdle();
    assert.deepEqual(events.at(-1), ['idle', 'session.locked', { reason: 'idle' }]);
    assert.equal(await code(t, 'session.activity', {}, 'idle'), 'SESSION_LOCKED');
    assert.equal(await code(t, 'session.unlock', { password: 'wrong wrong' }, 'idle'), 'INVALID_CREDENTIALS');
    const status = await t.call<{ session: { locked: boolean } }>('session.status', {}, 'idle');
    assert.equal(status.session.locked, true);
    await t.call('session.unlock', { password: STAFF.password }, 'idle');
    assert.equal(await code(t, 'session.activity', {}, 'idle'), 'ok');
  });

  test('sensitive actions need a recent password re-entry', async () => {
    // The admin's own window was idle through the previous test, so it is locked too.
    assert.equal(await code(t, 'accounts.list', {}), 'SESSION_LOCKED');
    await t.call('session.unlock', { password: ADMIN.password });
    t.clock.advance(6 * 60_000);
    await t.call('session.activity', {});
    assert.equal(await code(t, 'accounts.update', { id: staffId, displayName: 'Sam S.' }), 'REAUTH_REQUIRED');
    assert.equal(await code(t, 'session.reauthenticate', { password: 'not it at all' }), 'INVALID_CREDENTIALS');
    await t.call('session.reauthenticate', { password: ADMIN.password });
    assert.equal(await code(t, 'accounts.update', { id: staffId, displayName: 'Sam S.' }), 'ok');
  });

  test('a password reset signs the account out of every window', async () => {
    await t.call('session.login', STAFF_LOGIN, 'reset-window');
    const { oneTimeCode } = await t.call<{ oneTimeCode: string }>('accounts.resetPassword', { id: staffId });
    assert.deepEqual(events.at(-1), ['reset-window', 'session.ended', { reason: 'password_reset' }]);
    assert.equal(await code(t, 'session.activity', {}, 'reset-window'), 'NOT_AUTHENTICATED');
    assert.equal(await code(t, 'session.login', STAFF_LOGIN, 'reset-window'), 'INVALID_CREDENTIALS');
    // The one-time code signs in only to set a password of their own.
    await t.call('session.login', { username: STAFF.username, password: oneTimeCode }, 'reset-window');
    await t.call('session.changePassword', { currentPassword: oneTimeCode, newPassword: STAFF.password }, 'reset-window');
  });

  test('disabling an account ends its sessions; the last IT administrator cannot be removed', async () => {
    await t.call('session.login', STAFF_LOGIN, 'staff-window');
    await t.call('accounts.update', { id: staffId, status: 'disabled' });
    assert.equal(await code(t, 'session.activity', {}, 'staff-window'), 'NOT_AUTHENTICATED');
    assert.equal(await code(t, 'session.login', STAFF_LOGIN, 'staff-window'), 'INVALID_CREDENTIALS');
    const me = await t.call<{ userId: string }>('session.status', {}).then((s) => (s as unknown as { session: { userId: string } }).session);
    assert.equal(await code(t, 'accounts.update', { id: me.userId, role: 'manager' }), 'CONFLICT');
    assert.equal(await code(t, 'accounts.update', { id: me.userId, status: 'disabled' }), 'CONFLICT');
  });

  test('sessions are memory only: a restarted core knows nobody', async () => {
    const before = await t.call<{ session: unknown }>('session.status', {});
    assert.ok(before.session);
    await t.core.close();
    const restarted = await startCore({ dataDir: t.dataDir, vault: t.vault });
    const after = await restarted.call<{ session: unknown }>('session.status', {});
    assert.equal(after.session, null);
    t = restarted;
  });
});

const STAFF_LOGIN = { username: STAFF.username, password: STAFF.password };

test('password hashes use scrypt at the OWASP cost and verify in constant time', async () => {
  const hasher = new PasswordHasher();
  const stored = await hasher.hash('a production grade passphrase');
  assert.match(stored, /^scrypt\$17\$8\$1\$/);
  assert.equal(await hasher.verify('a production grade passphrase', stored), true);
  assert.equal(await hasher.verify('a production grade passphrasE', stored), false);
  assert.equal(await hasher.verify('anything', 'garbage'), false);
});

test('parallel wrong passwords cannot outrun the lockout', async () => {
  const t = await startCore();
  try {
    await t.call('session.setup', ADMIN);
    await t.call('accounts.create', STAFF);
    // Every attempt starts before any has finished hashing: each must still be counted.
    const results = await Promise.all(
      Array.from({ length: 3 * MAX_FAILED_ATTEMPTS }, (_, i) =>
        t.core.handle(t.caller(`race-${i}`), 'session.login', { username: STAFF.username, password: `wrong guess ${i}` }),
      ),
    );
    const codes = results.map((r) => (r.ok ? 'ok' : r.error.code));
    assert.ok(codes.filter((c) => c === 'INVALID_CREDENTIALS').length <= MAX_FAILED_ATTEMPTS - 1, codes.join(' '));
    assert.ok(codes.every((c) => c === 'INVALID_CREDENTIALS' || c === 'LOCKED_OUT'), codes.join(' '));
    assert.equal(await code(t, 'session.login', STAFF_LOGIN, 'race-after'), 'LOCKED_OUT');
  } finally {
    await t.cleanup();
  }
});

test('a session idle past the limit is locked on its next call, even before the sweep runs', async () => {
  const t = await startCore({ sweepIntervalMs: 3_600_000 });
  try {
    await t.call('session.setup', ADMIN);
    t.clock.advance(10 * 60_000 + 1);
    assert.equal(await code(t, 'session.activity', {}), 'SESSION_LOCKED');
    assert.equal(await code(t, 'accounts.list', {}), 'SESSION_LOCKED');
    await t.call('session.unlock', { password: ADMIN.password });
    assert.equal(await code(t, 'session.activity', {}), 'ok');
  } finally {
    await t.cleanup();
  }
});
