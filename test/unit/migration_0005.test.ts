import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { hasConsent } from '../../main/features/customers/consents.node.ts';
import { listCustomers, searchCustomers } from '../../main/features/customers/customerSearch.node.ts';
import { CUSTOMER_KEYS, CustomerStore } from '../../main/features/customers/customerStore.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { jobs } from '../../main/platform/store/migrations/0005_jobs.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { sampleCustomer } from '../support/customers.ts';
import { tempDir } from '../support/core.ts';
import { freshDb } from '../support/database.ts';

test('migration 0005 (jobs): a database holding customers migrates and still reads', async () => {
  const dir = tempDir('itpc-m5-');
  const db = await freshDb();
  try {
    const pre = MIGRATIONS.slice(0, MIGRATIONS.indexOf(jobs));
    await migrate(db, pre);
    assert.equal(await schemaVersion(db), pre.at(-1)!.version);
    const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
    const customers = new CustomerStore(() => ring, systemClock, new SubjectKeys(() => ring, CUSTOMER_KEYS));
    const made = [];
    for (let i = 0; i < 3; i += 1) {
      made.push(
        await db.transaction((trx) =>
          customers.create(trx, sampleCustomer({ kind: 'person', email: `m5-${i}@example.com` }) as never, { actorId: null, consents: { newsletter: true }, consentChannel: 'email' }),
        ),
      );
    }
    await db('customers').where({ id: made[2]!.id }).update({ status: 'closed' });

    await migrate(db);
    assert.equal(await schemaVersion(db), MIGRATIONS.at(-1)!.version);
    assert.equal(await db.schema.hasTable('jobs'), true);
    assert.equal(Number((await db('customers').whereNotNull('import_job_id').count<{ n: number }[]>('* as n'))[0]!.n), 0);

    const listed = await listCustomers(db, customers, { offset: 0, limit: 10 });
    assert.equal(listed.total, 3);
    assert.deepEqual(new Set(listed.rows.map((r) => r.id)), new Set(made.map((m) => m.id)));
    assert.equal((await listCustomers(db, customers, { offset: 0, limit: 10, status: 'closed' })).total, 1);
    const found = await searchCustomers(db, customers, 'email', 'M5-1@example.com');
    assert.deepEqual(found.rows.map((r) => r.id), [made[1]!.id]);
    const opened = customers.openSections(await customers.load(db, made[0]!.id));
    assert.equal(opened.contact.email, 'm5-0@example.com');
    assert.equal(await hasConsent(db, made[0]!.id, 'newsletter'), true);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
