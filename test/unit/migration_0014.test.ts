import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { APPEND_ONLY_TABLES, dialectOf } from '../../main/platform/store/dialect.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { disclosures } from '../../main/platform/store/migrations/0014_disclosures.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { freshDb } from '../support/database.ts';

test('migration 0014 (disclosures): a database holding customers and approvals migrates; the register is append-only from the start', async () => {
  const db = await freshDb();
  try {
    const pre = MIGRATIONS.slice(0, MIGRATIONS.indexOf(disclosures));
    await migrate(db, pre);
    const now = '2026-11-25T10:00:00.000Z';
    const customer = {
      id: randomUUID(), kind: 'person', status: 'active', policy_version: '1',
      dek: Buffer.from([1]), summary: Buffer.from([2]), identity: Buffer.from([3]), contact: Buffer.from([4]),
      email_index: 'e', postal_index: 'p', family_index: 'f', created_at: now, updated_at: now,
    };
    await db('customers').insert(customer);
    const approval = {
      id: randomUUID(), kind: 'customer.erasure', subject_id: customer.id, status: 'pending', requester_id: randomUUID(),
      requested_at: now, expires_at: now, payload: '{}', dek: Buffer.from([5]), request_reason: Buffer.from([6]),
    };
    await db('approvals').insert(approval);

    await migrate(db);
    assert.equal(await schemaVersion(db), MIGRATIONS.at(-1)!.version);
    assert.equal((await db('customers').where({ id: customer.id }).first('status')).status, 'active');
    assert.equal((await db('approvals').where({ id: approval.id }).first('status')).status, 'pending');
    for (const table of ['disclosure_recipients', 'disclosure_recipient_versions', 'disclosure_requests', 'disclosure_request_customers', 'disclosure_request_keys', 'disclosure_attachments', 'disclosure_register', 'disclosure_register_customers']) {
      assert.equal(await db.schema.hasTable(table), true, table);
      assert.equal((await db(table).select()).length, 0, `${table} starts empty`);
    }
    // The triggers are exactly those the start-up check expects.
    assert.deepEqual(await dialectOf(db).protectiveTriggersIntact(db, APPEND_ONLY_TABLES), []);
    const entry = {
      id: randomUUID(), entry_type: 'release', recorded_by: randomUUID(), recorded_at: now, fields: '["name"]', customer_count: 1,
      encrypted: false, dek: Buffer.from([7]), sealed: Buffer.from([8]),
    };
    await db('disclosure_register').insert(entry);
    await db('disclosure_register_customers').insert({ entry_id: entry.id, customer_id: customer.id });
    await assert.rejects(db('disclosure_register').where({ id: entry.id }).update({ customer_count: 2 }), /append-only/);
    await assert.rejects(db('disclosure_register_customers').where({ entry_id: entry.id }).delete(), /append-only/);
  } finally {
    await db.destroy();
  }
});
