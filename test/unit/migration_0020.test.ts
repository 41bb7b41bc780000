import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccountService } from '../../main/features/accounts/accountService.node.ts';
import { PasswordHasher } from '../../main/features/accounts/passwords.node.ts';
import { searchCustomers } from '../../main/features/customers/customerSearch.node.ts';
import { CUSTOMER_KEYS, CustomerStore } from '../../main/features/customers/customerStore.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { blindIndexVersions } from '../../main/platform/store/migrations/0020_blind_index_versions.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { ADMIN, FAST_PASSWORDS } from '../support/core.ts';
import { sampleCustomer } from '../support/customers.ts';
import { freshDb } from '../support/database.ts';

test('migration 0020 (blind-index versions): customers, accounts and unknown-name counters held before are under version 1 and still found', async () => {
  const db = await freshDb();
  try {
    await migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(blindIndexVersions)));
    assert.equal(await schemaVersion(db), 19);
    const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
    const noAudit = { append: async () => 0 };
    const hasher = new PasswordHasher(FAST_PASSWORDS);
    // The stores as an app before 0020 wrote: no index_version column.
    const before = new AccountService(db, () => ring, systemClock, hasher, noAudit);
    const admin = await db.transaction((trx) => before.create(trx, { ...ADMIN, role: 'it_admin' }));
    await assert.rejects(before.authenticate('ghost.name', 'not-the-password-1'));
    const oldStore = new CustomerStore(() => ring, systemClock, new SubjectKeys(() => ring, CUSTOMER_KEYS));
    const customer = await db.transaction((trx) => oldStore.create(trx, sampleCustomer({ kind: 'person', email: 'm20@example.com' }) as never, { actorId: null }));

    await migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(blindIndexVersions) + 1));
    assert.equal(await schemaVersion(db), 20);
    for (const table of ['customers', 'users', 'login_failures']) {
      assert.deepEqual((await db(table).pluck('index_version')).map(Number), [1], `${table} under version 1`);
    }
    // The stores as the app now builds them (the index-version check is the composition root's; a no-op here).
    const fresh = async () => undefined;
    const accounts = new AccountService(db, () => ring, systemClock, hasher, noAudit, undefined, fresh);
    assert.equal((await accounts.authenticate(ADMIN.username, ADMIN.password)).id, admin.id);
    const store = new CustomerStore(() => ring, systemClock, new SubjectKeys(() => ring, CUSTOMER_KEYS), undefined, fresh);
    const found = await searchCustomers(db, store, 'email', 'M20@example.com');
    assert.deepEqual(found.rows.map((r) => r.id), [customer.id]);
    const twin = db.transaction((trx) => store.create(trx, sampleCustomer({ kind: 'person', email: 'm20@example.com' }) as never, { actorId: null }));
    await assert.rejects(twin, /already exists/);
    const next = await db.transaction((trx) => store.create(trx, sampleCustomer({ kind: 'person', email: 'm20b@example.com' }) as never, { actorId: null }));
    assert.equal(Number((await db('customers').where({ id: next.id }).first('index_version')).index_version), 1);
  } finally {
    await db.destroy();
  }
});
