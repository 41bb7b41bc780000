import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccountService } from '../../main/features/accounts/accountService.node.ts';
import { PasswordHasher } from '../../main/features/accounts/passwords.node.ts';
import { markSeen, seenAt } from '../../main/features/home/homeSeen.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { homeSeen } from '../../main/platform/store/migrations/0018_home_seen.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { ADMIN, FAST_PASSWORDS } from '../support/core.ts';
import { freshDb } from '../support/database.ts';

test('migration 0018 (home_seen): a database holding accounts migrates; nobody has looked yet, then one row per account', async () => {
  const db = await freshDb();
  try {
    const pre = MIGRATIONS.slice(0, MIGRATIONS.indexOf(homeSeen));
    await migrate(db, pre);
    const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
    const accounts = new AccountService(db, () => ring, systemClock, new PasswordHasher(FAST_PASSWORDS), { append: async () => 0 });
    const made = await db.transaction((trx) => accounts.create(trx, { ...ADMIN, role: 'it_admin' }));
    await migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(homeSeen) + 1));
    assert.equal(await schemaVersion(db), 18);
    assert.equal(await seenAt(db, made.id), null);
    await markSeen(db, made.id, '2026-12-01T10:00:00.000Z');
    await markSeen(db, made.id, '2026-12-02T10:00:00.000Z');
    assert.equal(await seenAt(db, made.id), '2026-12-02T10:00:00.000Z');
    assert.equal((await db('home_seen').select()).length, 1);
    // The account still signs in: nothing of its row changed.
    assert.equal((await accounts.authenticate(ADMIN.username, ADMIN.password)).id, made.id);
  } finally {
    await db.destroy();
  }
});
