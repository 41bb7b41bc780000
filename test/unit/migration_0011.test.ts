import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../main/platform/store/database.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { erasure } from '../../main/platform/store/migrations/0011_erasure.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { tempDir } from '../support/core.ts';

test('migration 0011 (erasure): customers closed before it adopt their last change as closing time; the new tables take rows', async () => {
  const dir = tempDir('itpc-m11-');
  const db = openDatabase({ client: 'sqlite', filename: join(dir, 'm11.sqlite') });
  try {
    const pre = MIGRATIONS.slice(0, MIGRATIONS.indexOf(erasure));
    await migrate(db, pre);
    assert.equal(await schemaVersion(db), pre.at(-1)!.version);
    const row = (status: string, updatedAt: string) => ({
      id: randomUUID(),
      kind: 'person',
      status,
      policy_version: '2024.1',
      dek: Buffer.from([1]),
      summary: Buffer.from([2]),
      identity: Buffer.from([3]),
      contact: Buffer.from([4]),
      email_index: randomUUID(),
      phone_index: null,
      postal_index: 'p',
      family_index: 'f',
      created_by: null,
      created_at: '2025-01-01T00:00:00.000Z',
      updated_at: updatedAt,
    });
    const closed = row('closed', '2025-03-04T05:06:07.000Z');
    const active = row('active', '2025-06-01T00:00:00.000Z');
    await db('customers').insert([closed, active]);

    await migrate(db);
    assert.equal(await schemaVersion(db), MIGRATIONS.at(-1)!.version);
    assert.equal((await db('customers').where({ id: closed.id }).first()).closed_at, closed.updated_at);
    assert.equal((await db('customers').where({ id: active.id }).first()).closed_at, null);
    assert.deepEqual((await db('customer_counts').orderBy('status').select('status', 'n')).map((r) => [r.status, Number(r.n)]), [['active', 1], ['closed', 1]]);

    await db('legal_holds').insert({ id: randomUUID(), customer_id: active.id, placed_by: randomUUID(), placed_at: 'x', ends_on: null, released_by: null, released_at: null, dek: Buffer.from([1]), details: Buffer.from([2]) });
    await assert.rejects(
      db('legal_holds').insert({ id: randomUUID(), customer_id: randomUUID(), placed_by: randomUUID(), placed_at: 'x', dek: Buffer.from([1]), details: Buffer.from([2]) }),
      /FOREIGN KEY/,
      'a hold names an existing customer',
    );
    await db('deletion_tombstones').insert({ id: randomUUID(), reason: 'retention', deleted_at: 'x' });
    await db('deletion_ledger').insert({ customer_id: randomUUID(), deleted_at: 'x' });
    const batch = randomUUID();
    await db('retention_batches').insert({ id: batch, proposed_by: randomUUID(), proposed_at: 'x', retention_days: 90, closed_before: 'x', item_count: 1, approval_id: randomUUID() });
    await db('retention_batch_items').insert({ batch_id: batch, customer_id: closed.id });
    assert.equal((await db('retention_batch_items').first()).outcome, null);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
