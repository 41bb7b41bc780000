import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccountService } from '../../main/features/accounts/accountService.node.ts';
import { PasswordHasher } from '../../main/features/accounts/passwords.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { accountGovernance } from '../../main/platform/store/migrations/0015_account_governance.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { ADMIN, FAST_PASSWORDS } from '../support/core.ts';
import { freshDb } from '../support/database.ts';

test('migration 0015 (account governance): existing accounts keep signing in, need no password change and wait for nothing', async () => {
  const db = await freshDb();
  try {
    const pre = MIGRATIONS.slice(0, MIGRATIONS.indexOf(accountGovernance));
    await migrate(db, pre);
    assert.equal(await schemaVersion(db), pre.at(-1)!.version);
    const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
    const accounts = new AccountService(db, () => ring, systemClock, new PasswordHasher(FAST_PASSWORDS), { append: async () => 0 });
    // The previous release's columns only: create() writes none of the new ones.
    const made = await db.transaction((trx) => accounts.create(trx, { ...ADMIN, role: 'it_admin' }));
    await migrate(db);
    assert.equal(await schemaVersion(db), MIGRATIONS.at(-1)!.version);
    const rows = await db('users').select('id', 'must_change_password', 'password_reset_by', 'password_reset_at', 'pending_approval_id', 'pending_role');
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.equal(row.id, made.id);
    assert.equal(Boolean(row.must_change_password), false);
    assert.deepEqual([row.password_reset_by, row.password_reset_at, row.pending_approval_id, row.pending_role], [null, null, null, null]);
    const signedIn = await accounts.authenticate(ADMIN.username, ADMIN.password);
    assert.equal(signedIn.mustChangePassword, false);
    assert.equal(await db.schema.hasTable('pending_password_resets'), true);
    assert.equal((await db('pending_password_resets').select()).length, 0);
  } finally {
    await db.destroy();
  }
});
