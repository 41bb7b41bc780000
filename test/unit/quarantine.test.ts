import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isQuarantined, quarantineCustomer, quarantinedAmong } from '../../main/features/customers/customers.port.node.ts';
import type { Db } from '../../main/platform/store/database.node.ts';
import { sampleCustomer, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';

describe('quarantine (minors set apart)', () => {
  let t: CustomerTestCore;
  let db: Db;
  let adult: string;
  let minor: string;
  before(async () => {
    t = await startCustomerCore();
    db = t.openDb();
    adult = (await t.as('staff', 'customers.create', sampleCustomer())).customer.id;
    minor = (await t.as('staff', 'customers.create', sampleCustomer({ email: 'kid@example.com', familyName: 'Young' }))).customer.id;
  });
  after(async () => {
    await db.destroy();
    await t.cleanup();
  });

  test('a quarantined record leaves the list, its total and search; the others stay', async () => {
    assert.equal((await t.as('staff', 'customers.list', { offset: 0, limit: 50 })).total, 2);
    assert.equal(await quarantineCustomer(db, { customerId: minor, reason: 'reported_minor', at: '2026-11-25T10:00:00.000Z' }), true);
    const list = await t.as('staff', 'customers.list', { offset: 0, limit: 50 });
    assert.deepEqual(list.rows.map((r: { id: string }) => r.id), [adult]);
    assert.equal(list.total, 1);
    assert.equal((await t.as('staff', 'customers.list', { offset: 0, limit: 50, status: 'active' })).total, 1);
    assert.deepEqual((await t.as('staff', 'customers.search', { by: 'familyName', value: 'young' })).rows, []);
    assert.equal((await t.as('staff', 'customers.search', { by: 'familyName', value: 'doe' })).rows.length, 1);
  });

  test('quarantinedAmong and isQuarantined answer for exports and disclosures', async () => {
    assert.deepEqual([...(await quarantinedAmong(db, [adult, minor]))], [minor]);
    assert.equal(await isQuarantined(db, minor), true);
    assert.equal(await isQuarantined(db, adult), false);
    assert.equal((await quarantinedAmong(db, [])).size, 0);
  });

  test('quarantining again keeps the first reason and time; an unknown customer is NOT_FOUND', async () => {
    assert.equal(await quarantineCustomer(db, { customerId: minor, reason: 'date_of_birth_under_18', at: '2026-11-26T10:00:00.000Z' }), false);
    const row = await db('customers').where({ id: minor }).first('quarantined_at', 'quarantine_reason');
    assert.deepEqual({ ...row }, { quarantined_at: '2026-11-25T10:00:00.000Z', quarantine_reason: 'reported_minor' });
    await assert.rejects(
      quarantineCustomer(db, { customerId: '00000000-0000-4000-8000-000000000000', reason: 'reported_minor', at: '2026-11-26T10:00:00.000Z' }),
      { code: 'NOT_FOUND' },
    );
  });
});
