import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { customerListIndex } from '../../main/platform/store/migrations/0019_customer_list_index.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { freshDb, TEST_ENGINE } from '../support/database.ts';

async function indexesOnCustomers(db: Awaited<ReturnType<typeof freshDb>>): Promise<Map<string, string>> {
  if (TEST_ENGINE === 'sqlite') {
    const rows = await db('sqlite_master').where({ type: 'index', tbl_name: 'customers' }).select<{ name: string; sql: string | null }[]>('name', 'sql');
    return new Map(rows.map((r) => [r.name, r.sql ?? '']));
  }
  const rows = (await db.raw(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'customers'`)) as { rows: { indexname: string; indexdef: string }[] };
  return new Map(rows.rows.map((r) => [r.indexname, r.indexdef]));
}

test('migration 0019 (customer list index): customers already held are listed through the new index; quarantine index only on quarantined rows', async () => {
  const db = await freshDb();
  try {
    await migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(customerListIndex)));
    const row = (id: string, createdAt: string, extra: Record<string, unknown> = {}) => ({
      id, kind: 'person', status: 'active', policy_version: '1',
      dek: Buffer.from([3]), summary: Buffer.from([2]), identity: Buffer.from([3]), contact: Buffer.from([4]),
      email_index: `e${id.slice(0, 4)}`, postal_index: 'p', family_index: 'f', created_at: createdAt, updated_at: createdAt, ...extra,
    });
    await db('customers').insert([
      row('11111111-1111-4111-8111-111111111111', '2026-11-25T10:00:00.000Z'),
      row('22222222-2222-4222-8222-222222222222', '2026-11-25T11:00:00.000Z'),
      row('33333333-3333-4333-8333-333333333333', '2026-11-25T12:00:00.000Z', { quarantined_at: '2026-11-26T00:00:00.000Z', quarantine_reason: 'reported_minor' }),
    ]);
    const before = await indexesOnCustomers(db);
    assert.ok(before.has('customers_quarantined_at_index'));

    await migrate(db);
    assert.equal(await schemaVersion(db), MIGRATIONS.at(-1)!.version);
    const after = await indexesOnCustomers(db);
    assert.ok(!after.has('customers_quarantined_at_index'), 'the full quarantine index is gone');
    assert.match(after.get('customers_quarantined') ?? '', /quarantined_at IS NOT NULL/i);
    assert.match(after.get('customers_listed') ?? '', /import_job_id IS NULL/i);
    assert.equal(await db('customers').count<{ n: number }[]>('* as n').then((r) => Number(r[0]!.n)), 3, 'no row touched');
    const listed = await db('customers').whereNull('import_job_id').whereNull('quarantined_at').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).select('id');
    assert.deepEqual(listed.map((r: { id: string }) => r.id), ['22222222-2222-4222-8222-222222222222', '11111111-1111-4111-8111-111111111111']);
    if (TEST_ENGINE === 'sqlite') {
      // The list's key query walks the new index alone, with no sort of every customer.
      const plan = (await db.raw(
        `EXPLAIN QUERY PLAN SELECT id, created_at FROM customers WHERE import_job_id IS NULL AND quarantined_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET 10`,
      )) as { detail: string }[];
      const text = plan.map((p) => p.detail).join(' | ');
      assert.match(text, /COVERING INDEX customers_listed/, text);
      assert.doesNotMatch(text, /TEMP B-TREE/, text);
    }
  } finally {
    await db.destroy();
  }
});
