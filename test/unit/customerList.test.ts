import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { quarantineCustomer } from '../../main/features/customers/customers.port.node.ts';
import { listPageKeys } from '../../main/features/customers/customerSearch.node.ts';
import type { Db } from '../../main/platform/store/database.node.ts';
import { expectError, sampleCustomer, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';
import { TEST_ENGINE } from '../support/database.ts';

interface Row {
  id: string;
  createdAt: string;
}

/**
 * The customer list pages by key (`after` the last row of the page before) and jumps by position (`offset`
 * from the top, walked from positions seen before): both must give exactly the rows of the newest-first order,
 * on both engines, also after the list changed (a customer added, quarantined or closed).
 */
describe('customer list: keyset pages and jumps to a position', () => {
  let t: CustomerTestCore;
  let db: Db;
  const ids = (rows: Row[]) => rows.map((r) => r.id);
  const reference = async (status?: string, order?: string): Promise<Row[]> =>
    (await t.as('staff', 'customers.list', { limit: 200, ...(status ? { status } : {}), ...(order ? { order } : {}) })).rows;
  /** Every page of one list walked by key, `limit` rows at a time. */
  const walk = async (input: Record<string, unknown>, limit: number): Promise<Row[]> => {
    const walked: Row[] = [];
    let last: Row | undefined;
    for (;;) {
      const p = await page({ ...input, limit, ...(last ? { after: { createdAt: last.createdAt, id: last.id } } : {}) });
      walked.push(...p.rows);
      if (p.rows.length < limit) return walked;
      last = p.rows.at(-1);
    }
  };
  const page = async (input: Record<string, unknown>): Promise<{ rows: Row[]; total: number }> => t.as('staff', 'customers.list', input);

  before(async () => {
    t = await startCustomerCore();
    db = t.openDb();
    // Eight created in the same millisecond (ties broken by id), then nine a second apart. The test clock runs on
    // between calls, so the eight are given one creation time afterwards.
    const same: string[] = [];
    for (let i = 0; i < 8; i += 1) same.push((await t.as('staff', 'customers.create', sampleCustomer({ email: `same${i}@example.com`, familyName: `Same${i}` }))).customer.id);
    await db('customers').whereIn('id', same).update({ created_at: new Date(t.clock.now()).toISOString() });
    for (let i = 0; i < 9; i += 1) {
      t.clock.advance(1000);
      await t.as('staff', 'customers.create', sampleCustomer({ email: `later${i}@example.com`, familyName: `Later${i}` }));
    }
  });
  after(async () => {
    await db.destroy();
    await t.cleanup();
  });

  test('keyset pages from a cursor give the reference order, nothing skipped or repeated', async () => {
    const all = await reference();
    assert.equal(all.length, 17);
    assert.equal(new Set(all.map((r) => r.createdAt)).size, 10, 'eight rows share one creation time');
    const sorted = [...all].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
    assert.deepEqual(ids(all), ids(sorted), 'newest first, ties by id (descending)');
    const walked: Row[] = [];
    let last: Row | undefined;
    for (;;) {
      const p = await page({ limit: 5, ...(last ? { after: { createdAt: last.createdAt, id: last.id } } : {}) });
      assert.equal(p.total, 17);
      walked.push(...p.rows);
      if (p.rows.length < 5) break;
      last = p.rows.at(-1);
    }
    assert.deepEqual(ids(walked), ids(all));
    const skipped = await page({ limit: 3, offset: 2, after: { createdAt: all[4]!.createdAt, id: all[4]!.id } });
    assert.deepEqual(ids(skipped.rows), ids(all.slice(7, 10)), 'offset counts from the cursor');
  });

  test('jumps to any position, in any order, match the reference (positions seen before are reused)', async () => {
    const all = await reference();
    for (const offset of [12, 3, 15, 7, 0, 16, 9, 13, 1, 12, 17]) {
      const p = await page({ offset, limit: 4 });
      assert.deepEqual(ids(p.rows), ids(all.slice(offset, offset + 4)), `offset ${offset}`);
    }
  });

  test('after the list changes (added, quarantined, closed) jumps and pages follow the new list', async () => {
    await page({ offset: 10, limit: 4 }); // a position seen on the old list
    t.clock.advance(1000);
    await t.as('staff', 'customers.create', sampleCustomer({ email: 'newest@example.com', familyName: 'Newest' }));
    let all = await reference();
    assert.equal(all.length, 18);
    for (const offset of [11, 10, 14, 2]) assert.deepEqual(ids((await page({ offset, limit: 4 })).rows), ids(all.slice(offset, offset + 4)), `after an insert, offset ${offset}`);

    await quarantineCustomer(db, { customerId: all[5]!.id, reason: 'reported_minor', at: new Date(t.clock.now()).toISOString() });
    all = await reference();
    assert.equal(all.length, 17);
    for (const offset of [11, 3, 14]) assert.deepEqual(ids((await page({ offset, limit: 4 })).rows), ids(all.slice(offset, offset + 4)), `after a quarantine, offset ${offset}`);

    await t.as('staff', 'customers.setStatus', { customerId: all[2]!.id, status: 'closed' });
    await t.as('staff', 'customers.setStatus', { customerId: all[9]!.id, status: 'closed' });
    const closed = await reference('closed');
    assert.deepEqual(ids(closed), [all[2]!.id, all[9]!.id]);
    const firstClosed = await page({ status: 'closed', limit: 1 });
    const nextClosed = await page({ status: 'closed', limit: 1, after: { createdAt: firstClosed.rows[0]!.createdAt, id: firstClosed.rows[0]!.id } });
    assert.deepEqual(ids(nextClosed.rows), [all[9]!.id]);
    assert.equal(nextClosed.total, 2);
    const active = await reference('active');
    assert.equal(active.length, 15);
    for (const offset of [8, 4, 12]) assert.deepEqual(ids((await page({ status: 'active', offset, limit: 3 })).rows), ids(active.slice(offset, offset + 3)), `active, offset ${offset}`);
  });

  test('a malformed cursor is refused', async () => {
    for (const bad of [{ createdAt: '', id: 'x' }, { createdAt: '2026-01-01', id: 'not-a-uuid' }, { createdAt: '2026-01-01', id: '11111111-1111-4111-8111-111111111111', extra: 1 }]) {
      const r = await t.try('staff', 'customers.list', { after: bad });
      assert.equal(r.ok, false);
    }
  });

  test('oldest first: the exact reverse of newest first, keyset pages across equal timestamps skip and repeat nothing', async () => {
    const newest = await reference();
    const oldest = await reference(undefined, 'oldest');
    assert.equal(oldest.length, newest.length);
    assert.deepEqual(ids(oldest), ids(newest).reverse(), 'oldest first, ties by id ascending');
    const tied = oldest.filter((r) => r.createdAt === oldest[0]!.createdAt);
    assert.equal(tied.length, 8, 'the eight rows created in one millisecond come first');
    // Pages of 3 cut the tied rows in the middle: the cursor's id alone tells which of them come next.
    for (const limit of [1, 3, 5]) {
      assert.deepEqual(ids(await walk({ order: 'oldest' }, limit)), ids(oldest), `oldest, pages of ${limit}`);
      assert.deepEqual(ids(await walk({ order: 'newest' }, limit)), ids(newest), `newest, pages of ${limit}`);
    }
    const active = await reference('active', 'oldest');
    assert.deepEqual(ids(await walk({ order: 'oldest', status: 'active' }, 4)), ids(active), 'oldest with a status');
    assert.deepEqual(ids(active), ids(oldest.filter((r) => active.some((a) => a.id === r.id))));
  });

  test('oldest first: jumps to any position match the reference, apart from the newest-first positions seen', async () => {
    const oldest = await reference(undefined, 'oldest');
    const newest = await reference();
    // Interleaved, so a position remembered for one order would give the other's rows if they were shared.
    for (const offset of [9, 2, 12, 5, 0, 14, 9]) {
      assert.deepEqual(ids((await page({ order: 'oldest', offset, limit: 3 })).rows), ids(oldest.slice(offset, offset + 3)), `oldest, offset ${offset}`);
      assert.deepEqual(ids((await page({ offset, limit: 3 })).rows), ids(newest.slice(offset, offset + 3)), `newest, offset ${offset}`);
    }
  });

  test('an order other than newest or oldest is refused as INVALID_INPUT and nothing is listed', async () => {
    for (const order of ['asc', 'NEWEST', '', 1, null, { by: 'created_at' }]) {
      const message = expectError(await t.try('staff', 'customers.list', { order }), 'INVALID_INPUT');
      assert.match(message, /order/);
    }
  });

  test('both orders walk the customers_listed index without sorting the customers (SQLite and PostgreSQL)', async () => {
    const cursor = { createdAt: '2026-01-01T00:00:00.000Z', id: '11111111-1111-4111-8111-111111111111' };
    for (const order of ['newest', 'oldest'] as const) {
      for (const from of [null, cursor]) {
        const { sql, bindings } = listPageKeys(db, { order, after: from, skip: 10, limit: 50 }).toSQL();
        const plan = await db.transaction(async (trx) => {
          if (TEST_ENGINE === 'sqlite') return ((await trx.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings)) as { detail: string }[]).map((p) => p.detail).join(' | ');
          // A handful of rows would be read by a sequential scan; the question is whether the index serves the order.
          await trx.raw('SET LOCAL enable_seqscan = off');
          const result = (await trx.raw(`EXPLAIN ${sql}`, bindings)) as { rows: { 'QUERY PLAN': string }[] };
          return result.rows.map((r) => r['QUERY PLAN']).join(' | ');
        });
        assert.match(plan, /customers_listed/, `${order}, ${from ? 'from a cursor' : 'from the top'}: ${plan}`);
        assert.doesNotMatch(plan, TEST_ENGINE === 'sqlite' ? /TEMP B-TREE/ : /\bSort\b/, `${order}: ${plan}`);
      }
    }
  });
});
