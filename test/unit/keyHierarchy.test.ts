import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { describe, test } from 'node:test';
import { CUSTOMER_KEYS } from '../../main/features/customers/customerStore.node.ts';
import { addDomainKeyVersion, loadDomainKeys, rewrapDomainKeys } from '../../main/platform/crypto/domainKeys.node.ts';
import { DecryptionError } from '../../main/platform/crypto/envelope.node.ts';
import { kekName } from '../../main/platform/crypto/kek.node.ts';
import { legacyDomainKeys } from '../../main/platform/crypto/keyRing.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { type Db } from '../../main/platform/store/database.node.ts';
import { ADMIN, startCore } from '../support/core.ts';
import { dropAppendOnlyTriggers, openTestDb } from '../support/database.ts';
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

  test('a ciphertext moved from one customer to another does not open', async () => {
    const { t, jane, john } = await seeded();
    await t.core.close();
    await withFile(t.dataDir, async (db) => {
      const source = await db('customers').where({ id: jane }).first('identity', 'dek');
      await db('customers').where({ id: john }).update(source);
    });
    const reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    await reopened.call('session.login', { username: 'sam.staff', password: PASSWORD }, 'staff');
    const moved = await reopened.core.handle(reopened.caller('staff'), 'customers.open', { customerId: john, purpose: 'customer_support' });
    assert.equal(moved.ok, false);
    assert.equal(!moved.ok && moved.error.code, 'INTERNAL');
    const untouched = await reopened.call<{ name: { familyName: string } }>('customers.open', { customerId: jane, purpose: 'customer_support' }, 'staff');
    assert.equal(untouched.name.familyName, 'Smith');
    await reopened.cleanup();
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  test("with a customer's key row deleted none of that customer's rows opens, and every other record still does", async () => {
    const { t, jane, john } = await seeded();
    await t.core.close();
    await withFile(t.dataDir, async (db) => {
      const kek = (await t.vault.get(kekName(await installId(db))))!;
      const ring = await loadDomainKeys(db, kek, { adoptLegacy: false, now: new Date().toISOString() });
      const keys = new SubjectKeys(() => ring, CUSTOMER_KEYS);
      assert.equal(await keys.shred(db, jane), true);

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
    // The rest of the store opens through the app: John's record, and staff accounts (sign-in).
    const reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    await reopened.call('session.login', { username: 'sam.staff', password: PASSWORD }, 'staff');
    const johnRecord = await reopened.call<{ name: { familyName: string } }>('customers.open', { customerId: john, purpose: 'customer_support' }, 'staff');
    assert.equal(johnRecord.name.familyName, 'Roe');
    const janeRecord = await reopened.core.handle(reopened.caller('staff'), 'customers.open', { customerId: jane, purpose: 'customer_support' });
    assert.equal(janeRecord.ok, false);
    await reopened.cleanup();
    rmSync(t.dataDir, { recursive: true, force: true });
  });
});
