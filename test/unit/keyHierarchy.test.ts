import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { describe, test } from 'node:test';
import { CUSTOMER_KEYS } from '../../main/features/customers/customerStore.node.ts';
import { CustomerKeyMigration } from '../../main/features/keys/customerKeyMigration.node.ts';
import { addDomainKeyVersion, rewrapDomainKeys } from '../../main/platform/crypto/domainKeys.node.ts';
import { DecryptionError } from '../../main/platform/crypto/envelope.node.ts';
import { kekName, unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { legacyDomainKeys } from '../../main/platform/crypto/keyRing.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { type Db } from '../../main/platform/store/database.node.ts';
import { countRows } from '../../main/platform/store/queries.node.ts';
import { ADMIN, startCore } from '../support/core.ts';
import { dropAppendOnlyTriggers, openTestDb } from '../support/database.ts';
import { restoreAppendOnlyTriggers } from '../support/tamper.ts';
import { PASSWORD, sampleCustomer, sampleOrder, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';

const JUSTIFICATION = 'Fraud team phoned about a suspected stolen identity on this account';

/** Two customers with an order each; Jane also has a card reveal, a break-glass review and a correction. */
async function seeded(): Promise<{ t: CustomerTestCore; jane: string; john: string; janeOrder: string }> {
  const t = await startCustomerCore();
  const jane = (await t.as('staff', 'customers.create', sampleCustomer())).customer.id as string;
  const john = (await t.as('staff', 'customers.create', sampleCustomer({ givenName: 'John', familyName: 'Roe', email: 'john.roe@example.com' }))).customer.id as string;
  const janeOrder = (await t.as('staff', 'orders.create', sampleOrder(jane))).order.id as string;
  await t.as('staff', 'orders.create', sampleOrder(john));
  await t.reauth('manager');
  await t.as('manager', 'orders.revealCard', { orderId: janeOrder, reason: 'Chargeback investigation #4411' });
  await t.as('staff', 'customers.open', { customerId: jane, purpose: 'break_glass', justification: JUSTIFICATION });
  await t.as('staff', 'customers.correct', { customerId: jane, changes: { familyName: 'Smith' }, reason: 'Married name', source: 'customer_request' });
  return { t, jane, john, janeOrder };
}

async function installId(db: Db): Promise<string> {
  return (await db('meta').where({ key: 'install_id' }).first<{ value: string }>()).value;
}

/** Runs a change against the closed database file, the way an attacker or an offline tool would. */
async function withFile<T>(dataDir: string, change: (db: Db) => Promise<T>): Promise<T> {
  const db = openTestDb(dataDir);
  try {
    return await change(db);
  } finally {
    await db.destroy();
  }
}

describe('key hierarchy', () => {
  test('a new database gets random domain keys, not ones derived from the KEK', async () => {
    const t = await startCore();
    await t.call('session.setup', ADMIN);
    await t.core.close();
    const rows = await withFile(t.dataDir, (db) => db('domain_keys').orderBy('purpose').select('purpose', 'version', 'label'));
    assert.deepEqual(rows.map((r) => `${r.purpose}/${r.version}`), ['audit/1', 'blind-index/1', 'dek-wrap/1']);
    const id = await withFile(t.dataDir, installId);
    const legacy = legacyDomainKeys((await t.vault.get(kekName(id)))!);
    const wrap = rows.find((r) => r.purpose === 'dek-wrap');
    assert.notEqual(wrap.label, legacy[0]!.label, 'not the legacy (KEK-fingerprint) wrap');
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  test('deleted domain keys are refused, never re-made (attack: delete every domain_keys row)', async () => {
    const t = await startCore();
    await t.call('session.setup', ADMIN);
    await t.core.close();
    await withFile(t.dataDir, (db) => db('domain_keys').delete());
    const refused = await startCore({ dataDir: t.dataDir, vault: t.vault }).then(
      () => null,
      (error: { code?: string }) => error,
    );
    assert.equal(refused?.code, 'KEY_CHECK_MISSING');
    assert.equal(await withFile(t.dataDir, (db) => countRows(db('domain_keys'))), 0, 'nothing was re-created');
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  test('rotating the KEK rewraps only the domain-key rows; records, search and the audit chain keep working', async () => {
    const s = await seeded();
    await s.t.core.close();
    const id = await withFile(s.t.dataDir, installId);
    const oldKek = (await s.t.vault.get(kekName(id)))!;
    const newKek = randomBytes(32);
    const before = await withFile(s.t.dataDir, (db) => db('customers').orderBy('id').select('id', 'dek', 'email_index'));
    const rewrapped = await withFile(s.t.dataDir, (db) => db.transaction((trx) => rewrapDomainKeys(trx, oldKek, newKek)));
    assert.equal(rewrapped, 3, 'a handful of rows, whatever the size of the database');
    const after = await withFile(s.t.dataDir, (db) => db('customers').orderBy('id').select('id', 'dek', 'email_index'));
    assert.deepEqual(after, before, 'no record, data key or blind index was touched');

    // The old KEK no longer opens the database; the new one does, with everything readable.
    const refused = await startCore({ dataDir: s.t.dataDir, vault: s.t.vault }).then(
      () => null,
      (error: { code?: string }) => error,
    );
    assert.equal(refused?.code, 'KEY_MISMATCH');
    await s.t.vault.set(kekName(id), newKek);
    const reopened = await startCore({ dataDir: s.t.dataDir, vault: s.t.vault });
    await reopened.call('session.login', { username: 'sam.staff', password: PASSWORD }, 'staff');
    const found = await reopened.call<{ rows: { id: string }[] }>('customers.search', { by: 'email', value: 'jane.doe@example.com' }, 'staff');
    assert.equal(found.rows.length, 1);
    const record = await reopened.call<{ name: { familyName: string } }>('customers.open', { customerId: found.rows[0]!.id, purpose: 'customer_support' }, 'staff');
    assert.equal(record.name.familyName, 'Smith');
    await reopened.call('session.login', { username: ADMIN.username, password: ADMIN.password }, 'admin');
    assert.equal((await reopened.call<{ ok: boolean }>('audit.verify', {}, 'admin')).ok, true);
    await reopened.cleanup();
    rmSync(s.t.dataDir, { recursive: true, force: true });
  });

  test('a new audit key version signs new events; old ones verify with theirs; a changed version breaks the chain', async () => {
    const t = await startCore();
    await t.call('session.setup', ADMIN);
    await t.core.close();
    const id = await withFile(t.dataDir, installId);
    const kek = (await t.vault.get(kekName(id)))!;
    assert.equal(await withFile(t.dataDir, (db) => addDomainKeyVersion(db, kek, 'audit', new Date().toISOString())), 2);

    const reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    await reopened.call('session.login', { username: ADMIN.username, password: ADMIN.password });
    await reopened.call('settings.update', { idleLockMinutes: 7 });
    assert.equal((await reopened.call<{ ok: boolean }>('audit.verify', {})).ok, true);
    await reopened.core.close();
    const versions = await withFile(t.dataDir, (db) => db('audit_events').orderBy('seq').pluck('key_version'));
    assert.equal(versions[0], 1);
    assert.equal(versions.at(-1), 2);

    const lastV2 = await withFile(t.dataDir, async (db) => {
      await dropAppendOnlyTriggers(db);
      const seq = (await db('audit_events').where({ key_version: 2 }).min<{ s: number }>('seq as s').first())!.s;
      await db('audit_events').where({ seq }).update({ key_version: 1 });
      await restoreAppendOnlyTriggers(db);
      return seq;
    });
    const tampered = await startCore({ dataDir: t.dataDir, vault: t.vault });
    await tampered.call('session.login', { username: ADMIN.username, password: ADMIN.password });
    const verdict = await tampered.call<{ ok: boolean; firstBrokenSeq: number }>('audit.verify', {});
    assert.equal(verdict.ok, false);
    assert.equal(verdict.firstBrokenSeq, lastV2);
    await tampered.cleanup();
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  test("a record about one customer moved to another (its clear customer_id changed) does not open", async () => {
    const { t, jane, john, janeOrder } = await seeded();
    await t.core.close();
    const reveal = await withFile(t.dataDir, async (db) => {
      // Re-point Jane's break-glass review and card reveal at John, the way a database writer would.
      await db('break_glass_reviews').where({ customer_id: jane }).update({ customer_id: john });
      await db('card_reveals').where({ customer_id: jane }).update({ customer_id: john });
      return db('card_reveals').where({ order_id: janeOrder }).first<{ id: string; dek: Buffer }>('id', 'dek');
    });
    const reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    await reopened.call('session.login', { username: 'mia.manager', password: PASSWORD }, 'manager');
    const queue = await reopened.core.handle(reopened.caller('manager'), 'breakglass.list', {});
    assert.equal(!queue.ok && queue.error.code, 'INTERNAL', 'the moved justification does not open under John\'s key');
    await reopened.core.close();
    await withFile(t.dataDir, async (db) => {
      const ring = await unlockKeyRing(db, t.vault, new Date().toISOString());
      const keys = new SubjectKeys(() => ring, CUSTOMER_KEYS);
      assert.throws(() => keys.fromColumn(john, null).unwrap(reveal.dek, 'card_reveals', reveal.id), DecryptionError);
      const johnKeys = await keys.wrapperFor(db, john);
      assert.throws(() => johnKeys.unwrap(reveal.dek, 'card_reveals', reveal.id), DecryptionError, 'a reveal moved to John');
      const janeKeys = await keys.wrapperFor(db, jane);
      assert.equal(janeKeys.unwrap(reveal.dek, 'card_reveals', reveal.id).length, 32, 'still Jane\'s');
    });
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  test("with a customer's key shredded none of that customer's rows opens, lists and queues still work (a deletion removes its rows in the same transaction: erasure.test.ts)", async () => {
    const { t, jane, john } = await seeded();
    await t.core.close();
    await withFile(t.dataDir, async (db) => {
      const ring = await unlockKeyRing(db, t.vault, new Date().toISOString());
      const keys = new SubjectKeys(() => ring, CUSTOMER_KEYS);
      keys.legacyRecordsGone();
      await new CustomerKeyMigration(keys, () => new Date().toISOString()).shredCustomer(db, jane);
      assert.equal(await db('customer_keys').where({ customer_id: jane }).first(), undefined, 'the key row is destroyed');

      const rowsAbout = async (customer: string) => [
        ...(await db('customers').where({ id: customer }).select('id', 'dek')).map((r) => ({ table: 'customers', rowId: r.id, dek: r.dek })),
        ...(await db('orders').where({ customer_id: customer }).select('id', 'dek')).map((r) => ({ table: 'orders', rowId: `${customer}/${r.id}`, dek: r.dek })),
        ...(await db('card_reveals').where({ customer_id: customer }).select('id', 'dek')).map((r) => ({ table: 'card_reveals', rowId: r.id, dek: r.dek })),
        ...(await db('break_glass_reviews').where({ customer_id: customer }).select('id', 'dek')).map((r) => ({ table: 'break_glass_reviews', rowId: r.id, dek: r.dek })),
      ];
      const janes = await rowsAbout(jane);
      assert.deepEqual([...new Set(janes.map((r) => r.table))].sort(), ['break_glass_reviews', 'card_reveals', 'customers', 'orders']);
      const janeKeys = await keys.wrapperFor(db, jane);
      for (const row of janes) assert.throws(() => janeKeys.unwrap(row.dek, row.table, row.rowId), DecryptionError, `${row.table} still opens`);
      const johnKeys = await keys.wrapperFor(db, john);
      for (const row of await rowsAbout(john)) assert.equal(johnKeys.unwrap(row.dek, row.table, row.rowId).length, 32);
    });
    const reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    await reopened.call('session.login', { username: 'sam.staff', password: PASSWORD }, 'staff');
    await reopened.call('session.login', { username: 'mia.manager', password: PASSWORD }, 'manager');
    const johnRecord = await reopened.call<{ name: { familyName: string } }>('customers.open', { customerId: john, purpose: 'customer_support' }, 'staff');
    assert.equal(johnRecord.name.familyName, 'Roe');
    const list = await reopened.call<{ rows: { id: string; displayName: string }[] }>('customers.list', {}, 'staff');
    assert.deepEqual(list.rows.map((r) => [r.id, r.displayName]).sort(), [[jane, '(erased)'], [john, 'John R.']].sort());
    const queue = await reopened.call<{ reviews: { justification: string; customerDisplayName: string }[] }>('breakglass.list', {}, 'manager');
    assert.match(queue.reviews[0]!.justification, /erased/);
    assert.equal(queue.reviews[0]!.customerDisplayName, '(erased)');
    const open = await reopened.core.handle(reopened.caller('staff'), 'customers.open', { customerId: jane, purpose: 'customer_support' });
    assert.equal(!open.ok && open.error.code, 'CONFLICT');
    await reopened.cleanup();
    rmSync(t.dataDir, { recursive: true, force: true });
  });
});
