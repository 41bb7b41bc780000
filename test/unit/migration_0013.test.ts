import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { openDatabase } from '../../main/platform/store/database.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { policyVersions } from '../../main/platform/store/migrations/0013_policy_versions.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { PRIVACY_POLICY_VERSION_1 } from '../../main/platform/store/migrations/seed/privacyPolicy1.std.ts';
import { testDatabase } from '../support/database.ts';

const NOW = '2026-01-02T03:04:05.000Z';
const bytes = () => Buffer.from(randomUUID());

test('migration 0013 (policy_versions): loads version 1 and moves existing customers, orders and consents onto it', async () => {
  const database = await testDatabase();
  const db = openDatabase(database.config);
  try {
    const pre = MIGRATIONS.slice(0, MIGRATIONS.indexOf(policyVersions));
    await migrate(db, pre);
    assert.equal(await schemaVersion(db), pre.at(-1)!.version);
    // Rows as the previous release wrote them, stamped with its constant '2024.1'.
    const customerId = randomUUID();
    const orderId = randomUUID();
    await db('customers').insert({
      id: customerId,
      kind: 'person',
      status: 'active',
      policy_version: '2024.1',
      dek: bytes(),
      summary: bytes(),
      identity: bytes(),
      contact: bytes(),
      email_index: 'e'.repeat(32),
      phone_index: null,
      postal_index: 'p'.repeat(32),
      family_index: 'f'.repeat(32),
      created_by: null,
      created_at: NOW,
      updated_at: NOW,
    });
    await db('orders').insert({ id: orderId, customer_id: customerId, status: 'placed', policy_version: '2024.1', dek: bytes(), billing: bytes(), card: bytes(), created_by: null, created_at: NOW });
    await db('customer_consents').insert({ customer_id: customerId, purpose: 'newsletter', granted: true, channel: 'email', changed_at: NOW });
    await db('consent_events').insert({ id: randomUUID(), customer_id: customerId, purpose: 'newsletter', granted: true, channel: 'email', actor_id: null, at: NOW });

    await migrate(db);
    assert.equal(await schemaVersion(db), MIGRATIONS.at(-1)!.version);
    const versions = await db('policy_versions').select();
    assert.equal(versions.length, 1);
    assert.equal(versions[0].version, 1);
    assert.equal(versions[0].status, 'published');
    assert.equal(versions[0].body, PRIVACY_POLICY_VERSION_1);
    assert.match(versions[0].effective_at, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal((await db('customers').where({ id: customerId }).first()).policy_version, '1');
    assert.equal((await db('orders').where({ id: orderId }).first()).policy_version, '1');
    assert.equal((await db('customer_consents').where({ customer_id: customerId }).first()).policy_version, '1');
    assert.equal((await db('consent_events').where({ customer_id: customerId }).first()).policy_version, '1');
    assert.equal(await db.schema.hasTable('announcements'), true);
    assert.equal(await db.schema.hasTable('announcement_recipients'), true);
  } finally {
    await db.destroy();
    await database.drop();
  }
});
