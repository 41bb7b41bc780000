import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccountService, MAX_FAILED_ATTEMPTS } from '../../main/features/accounts/accountService.node.ts';
import { DEFAULT_SCRYPT_LOG_N, PasswordHasher } from '../../main/features/accounts/passwords.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { migrate } from '../../main/platform/store/migrate.node.ts';
import { ADMIN, FAST_PASSWORDS } from '../support/core.ts';
import { freshDb } from '../support/database.ts';

/** The production hasher, counting the passwords it actually evaluates (burns for refused attempts are not). */
class CountingHasher extends PasswordHasher {
  evaluated: string[] = [];
  override async verify(password: string, stored: string): Promise<boolean> {
    this.evaluated.push(password);
    return super.verify(password, stored);
  }
}

const BURST = 30;

/**
 * Issue #13: 30 sign-in calls sent at once at production scrypt cost (N=2^17) once let the right password through
 * after more than five wrong ones. Each attempt is now counted before it is evaluated.
 */
test('a burst of 30 parallel sign-ins at production cost evaluates at most five guesses; the right one sent after them fails', async () => {
  const db = await freshDb();
  try {
    await migrate(db);
    const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
    const hasher = new CountingHasher(DEFAULT_SCRYPT_LOG_N);
    const events: { action: string; outcome: string; reason?: unknown }[] = [];
    const accounts = new AccountService(db, () => ring, systemClock, hasher, {
      append: async (_q, event) => events.push({ action: event.action, outcome: event.outcome, reason: event.details?.reason }),
    });
    await db.transaction((trx) => accounts.create(trx, { ...ADMIN, role: 'it_admin' }));

    // 29 wrong guesses, then the right password, all in flight at once.
    const passwords = [...Array.from({ length: BURST - 1 }, (_, i) => `wrong guess number ${i}`), ADMIN.password];
    const results = await Promise.allSettled(passwords.map((password) => accounts.authenticate(ADMIN.username, password)));
    const codes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code));

    assert.ok(hasher.evaluated.length <= MAX_FAILED_ATTEMPTS, `evaluated ${hasher.evaluated.length}: ${codes.join(' ')}`);
    // The right password, sent after 29 wrong ones, succeeds only if it was among the five evaluated (and the
    // account was not locked by then).
    const rightWon = codes.at(-1) === 'ok';
    if (rightWon) assert.ok(hasher.evaluated.includes(ADMIN.password));
    assert.ok(codes.every((c) => c === 'ok' || c === 'INVALID_CREDENTIALS' || c === 'LOCKED_OUT'), codes.join(' '));
    assert.ok(codes.filter((c) => c === 'LOCKED_OUT').length >= BURST - MAX_FAILED_ATTEMPTS, codes.join(' '));
    // Every refused call is audited once; only evaluated ones can be bad passwords (an evaluated one finding the
    // account locked meanwhile is audited as locked out).
    const loginFailures = events.filter((e) => e.action === 'auth.login' && e.outcome === 'failed');
    assert.equal(loginFailures.length, codes.filter((c) => c !== 'ok').length);
    assert.ok(loginFailures.filter((e) => e.reason === 'bad_password').length <= hasher.evaluated.filter((p) => p !== ADMIN.password).length);
    // However many refused attempts arrive, the lock is set (and audited) once.
    if (!rightWon) assert.equal(events.filter((e) => e.action === 'auth.lockout').length, 1);

    // Once the burst is over the account is locked, and the right password is not even evaluated.
    if (!rightWon) {
      const before = hasher.evaluated.length;
      await assert.rejects(accounts.authenticate(ADMIN.username, ADMIN.password), { code: 'LOCKED_OUT' });
      assert.equal(hasher.evaluated.length, before);
    }
  } finally {
    await db.destroy();
  }
});

test('sequential attempts: the fifth wrong one locks, a later right one is refused unevaluated; a success forgives', async () => {
  const db = await freshDb();
  try {
    await migrate(db);
    const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
    const hasher = new CountingHasher(FAST_PASSWORDS);
    const accounts = new AccountService(db, () => ring, systemClock, hasher, { append: async () => 0 });
    await db.transaction((trx) => accounts.create(trx, { ...ADMIN, role: 'it_admin' }));
    // A success forgives earlier failures.
    await assert.rejects(accounts.authenticate(ADMIN.username, 'one wrong guess'), { code: 'INVALID_CREDENTIALS' });
    await accounts.authenticate(ADMIN.username, ADMIN.password);
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i += 1) {
      await assert.rejects(accounts.authenticate(ADMIN.username, `wrong ${i}`), { code: 'INVALID_CREDENTIALS' });
    }
    await assert.rejects(accounts.authenticate(ADMIN.username, 'wrong 5'), { code: 'LOCKED_OUT' });
    const before = hasher.evaluated.length;
    await assert.rejects(accounts.authenticate(ADMIN.username, ADMIN.password), { code: 'LOCKED_OUT' });
    assert.equal(hasher.evaluated.length, before);
  } finally {
    await db.destroy();
  }
});
