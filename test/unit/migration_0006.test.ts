import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DATABASE_FILE } from '../../main/core.node.ts';
import { CUSTOMER_KEYS, CustomerStore } from '../../main/features/customers/customerStore.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { openNodeSettings } from '../../main/platform/settings/settings.node.ts';
import { StartupError } from '../../main/platform/startupError.std.ts';
import { openDatabase } from '../../main/platform/store/database.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { concurrency } from '../../main/platform/store/migrations/0006_concurrency.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { ADMIN, startCore, tempDir } from '../support/core.ts';
import { onlyOn } from '../support/database.ts';
import { sampleCustomer } from '../support/customers.ts';

const PRE = MIGRATIONS.slice(0, MIGRATIONS.indexOf(concurrency));

test('migration 0006 (concurrency): a database holding data migrates, reads, keeps its idle lock and versions its records', { skip: onlyOn('sqlite', 'builds its schema-5 database as a SQLite file before any core exists') }, async () => {
  const dir = tempDir('itpc-m6-');
  const vault = new MemoryVault();
  try {
    const db = openDatabase({ client: 'sqlite', filename: join(dir, DATABASE_FILE) });
    let customerId: string;
    try {
      await migrate(db, PRE);
      assert.equal(await schemaVersion(db), 5);
      const ring = await unlockKeyRing(db, vault, systemClock.nowIso());
      const customers = new CustomerStore(() => ring, systemClock, new SubjectKeys(() => ring, CUSTOMER_KEYS));
      customerId = (await db.transaction((trx) => customers.create(trx, sampleCustomer({ kind: 'person', email: 'm6@example.com' }) as never, { actorId: null }))).id;
    } finally {
      await db.destroy();
    }
    // The older app kept the idle lock in this workstation's settings file.
    openNodeSettings(dir).set('idleLockMinutes', 25);

    const t = await startCore({ dataDir: dir, vault });
    try {
      await t.call('session.setup', ADMIN, 'it');
      assert.equal((await t.call<{ idleLockMinutes: number }>('settings.get', {}, 'it')).idleLockMinutes, 25, 'the setting moved into the database');
      const account = await t.call<{ id: string }>('accounts.create', { username: 'sam.staff', displayName: 'Sam', role: 'staff', password: ADMIN.password }, 'it');
      assert.ok(account.id);
      await t.call('session.login', { username: 'sam.staff', password: ADMIN.password }, 'sam');
      const opened = await t.call<{ email: string; version: number }>('customers.open', { customerId, purpose: 'correction' }, 'sam');
      assert.equal(opened.email, 'm6@example.com');
      assert.equal(opened.version, 1);
      await t.call('customers.correct', { customerId, expectedVersion: 1, changes: { phone: null }, reason: 'Asked to remove', source: 'customer_request' }, 'sam');
      assert.equal((await t.call<{ version: number }>('customers.open', { customerId, purpose: 'correction' }, 'sam')).version, 2);
      const twin = await t.core.handle(t.caller('sam'), 'customers.create', sampleCustomer({ email: 'M6@example.com' }));
      assert.equal(!twin.ok && twin.error.code, 'CONFLICT');
      assert.equal((await t.call<{ ok: boolean }>('audit.verify', {}, 'it')).ok, true);
    } finally {
      await t.cleanup();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('migration 0006 refuses, unchanged, a database holding two customers with one email address', async () => {
  const dir = tempDir('itpc-m6dup-');
  const db = openDatabase({ client: 'sqlite', filename: join(dir, 'dup.sqlite') });
  try {
    await migrate(db, PRE);
    const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
    const customers = new CustomerStore(() => ring, systemClock, new SubjectKeys(() => ring, CUSTOMER_KEYS));
    const prepared = [1, 2].map(() => customers.prepare(sampleCustomer({ kind: 'person', email: 'same@example.com' }) as never, { actorId: null, now: systemClock.nowIso() }));
    await db.transaction((trx) => customers.insertPrepared(trx, prepared));
    await assert.rejects(migrate(db), (e: StartupError) => e.code === 'DUPLICATE_RECORDS' && !/same@example/.test(e.message));
    assert.equal(await schemaVersion(db), 5);
    assert.equal(await db.schema.hasTable('office_settings'), false);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
