import assert from 'node:assert/strict';
import { test } from 'node:test';
import { searchQuery } from '../../main/features/customers/customerSearch.node.ts';
import { dialectOf } from '../../main/platform/store/dialect.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { searchReads } from '../../main/platform/store/migrations/0023_search_reads.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { freshDb, TEST_ENGINE } from '../support/database.ts';

type Db = Awaited<ReturnType<typeof freshDb>>;

async function indexesOnCustomers(db: Db): Promise<Map<string, string>> {
  if (TEST_ENGINE === 'sqlite') {
    const rows = await db('sqlite_master').where({ type: 'index', tbl_name: 'customers' }).whereNotNull('sql').select<{ name: string; sql: string }[]>('name', 'sql');
    return new Map(rows.map((r) => [r.name, r.sql]));
  }
  const rows = (await db.raw(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'customers'`)) as { rows: { indexname: string; indexdef: string }[] };
  return new Map(rows.rows.map((r) => [r.indexname, r.indexdef]));
}

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';
const customer = (id: string, createdAt: string) => ({
  id, kind: 'person', status: 'active', policy_version: '1',
  dek: Buffer.from([1]), summary: Buffer.from([2]), identity: Buffer.from([3]), contact: Buffer.from([4]),
  email_index: `e${id.slice(0, 4)}`, phone_index: 'ph', postal_index: 'p', family_index: 'f', created_at: createdAt, updated_at: createdAt,
});

test('migration 0023 (search reads): search indexes end in the search order; customer keys keep every row and constraint', async () => {
  const db = await freshDb();
  try {
    await migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(searchReads)));
    // One creation time for all three, as an import stamps: only the id orders them.
    const at = '2026-12-01T10:00:00.000Z';
    await db('customers').insert([customer(A, at), customer(B, at), customer(C, at)]);
    await db('customer_keys').insert([
      { customer_id: A, wrapped_key: Buffer.from([9, 9]), created_at: at },
      { customer_id: B, wrapped_key: null, created_at: at, shredded_at: at },
    ]);

    await migrate(db);
    assert.equal(await schemaVersion(db), MIGRATIONS.at(-1)!.version);
    const indexes = await indexesOnCustomers(db);
    for (const column of ['phone', 'postal', 'family']) {
      assert.ok(!indexes.has(`customers_${column}_index_created_at_index`), `the old ${column} index is gone`);
      assert.match(indexes.get(`customers_${column}_search`) ?? '', new RegExp(`\\(${column}_index, created_at, id\\)`), `${column}: the search's whole order`);
    }
    const keys = await db('customer_keys').orderBy('customer_id').select('customer_id', 'wrapped_key', 'created_at', 'shredded_at');
    assert.deepEqual(
      keys.map((k: { customer_id: string; wrapped_key: Buffer | null; shredded_at: string | null }) => [k.customer_id, k.wrapped_key ? [...k.wrapped_key] : null, k.shredded_at]),
      [[A, [9, 9], null], [B, null, at]],
      'every key row kept as it was',
    );
    // The key and the foreign key hold as before.
    await assert.rejects(db('customer_keys').insert({ customer_id: A, wrapped_key: Buffer.from([1]), created_at: at }), 'one key per customer');
    await assert.rejects(db('customer_keys').insert({ customer_id: '44444444-4444-4444-8444-444444444444', wrapped_key: Buffer.from([1]), created_at: at }), 'no key without its customer');
    await db('customer_keys').insert({ customer_id: C, wrapped_key: Buffer.from([7]), created_at: at });

    const search = db('customers').where('family_index', 'f').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(2);
    assert.deepEqual((await search.clone().select('id')).map((r: { id: string }) => r.id), [C, B]);
    if (TEST_ENGINE === 'sqlite') {
      const table = await db('sqlite_master').where({ type: 'table', name: 'customer_keys' }).first<{ sql: string }>('sql');
      assert.match(table.sql, /WITHOUT ROWID$/, 'stored in key order');
      // The search's own query (rows joined with their keys, published and not quarantined).
      const plan = (await db.raw(`EXPLAIN QUERY PLAN ${searchQuery(db, 'familyName', ['f']).toString()}`)) as { detail: string }[];
      const text = plan.map((p) => p.detail).join(' | ');
      assert.match(text, /INDEX customers_family_search/, text);
      assert.match(text, /customer_keys USING PRIMARY KEY/, `each key by its key: ${text}`);
      assert.doesNotMatch(text, /TEMP B-TREE/, `no sort of the matches: ${text}`);
      // Storing it in key order again changes nothing.
      await db.transaction((trx) => dialectOf(trx).storeInKeyOrder(trx, 'customer_keys'));
      assert.equal(Number((await db('customer_keys').count<{ n: number }[]>('* as n'))[0]!.n), 3);
    }
  } finally {
    await db.destroy();
  }
});

test('storing a table in key order refuses a table whose own indexes or triggers the rebuild would drop', { skip: TEST_ENGINE === 'pg' ? 'PostgreSQL keeps its tables as they are: nothing is rebuilt' : false }, async () => {
  const db = await freshDb();
  try {
    await db.schema.createTable('keyed', (t) => {
      t.string('id').primary();
      t.string('other');
      t.index(['other']);
    });
    await db('keyed').insert({ id: 'a', other: 'x' });
    await assert.rejects(db.transaction((trx) => dialectOf(trx).storeInKeyOrder(trx, 'keyed')), /indexes or triggers of its own/);
    // A table another one references (a cascade would empty the child) is refused too, and its child keeps its rows.
    await db.schema.createTable('parent', (t) => void t.string('id').primary());
    await db.schema.createTable('child', (t) => {
      t.string('id').primary();
      t.string('parent_id').references('id').inTable('parent').onDelete('CASCADE');
    });
    await db('parent').insert({ id: 'p' });
    await db('child').insert({ id: 'c', parent_id: 'p' });
    await assert.rejects(db.transaction((trx) => dialectOf(trx).storeInKeyOrder(trx, 'parent')), /referenced by table child/);
    assert.equal(Number((await db('child').count<{ n: number }[]>('* as n'))[0]!.n), 1);
    const table = await db('sqlite_master').where({ type: 'table', name: 'keyed' }).first<{ sql: string }>('sql');
    assert.doesNotMatch(table.sql, /WITHOUT ROWID/, 'left as it was');
    assert.equal(Number((await db('keyed').count<{ n: number }[]>('* as n'))[0]!.n), 1);
  } finally {
    await db.destroy();
  }
});
