import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NEED_TO_KNOW, purposesFor, RECORD_PURPOSES, recordView, type RecordField, type RecordPurpose } from '../../main/features/customers/needToKnow.std.ts';
import { ROLES } from '../../main/platform/ipc/roles.std.ts';
import { sampleCustomer, sampleOrder, startCustomerCore, expectError, type CustomerTestCore } from '../support/customers.ts';

/** The table under test, spelled out so a change to needToKnow.std.ts has to be made here too, on purpose. */
const EXPECTED: Record<RecordPurpose, { fields: RecordField[]; staffCard: string; managerCard: string; staff: boolean; manager: boolean }> = {
  order_processing: { fields: ['name', 'email', 'phone', 'shippingAddress', 'orders', 'orders.billing', 'orders.cardExpiry'], staffCard: 'last4', managerCard: 'first6last4', staff: true, manager: true },
  customer_support: { fields: ['name', 'email', 'phone', 'orders', 'consents'], staffCard: 'last4', managerCard: 'last4', staff: true, manager: true },
  correction: { fields: ['name', 'dateOfBirth', 'email', 'phone', 'shippingAddress'], staffCard: 'none', managerCard: 'none', staff: true, manager: true },
  deletion_request: { fields: ['name', 'dateOfBirth'], staffCard: 'none', managerCard: 'none', staff: true, manager: true },
  legal: {
    fields: ['name', 'dateOfBirth', 'email', 'phone', 'shippingAddress', 'orders', 'orders.billing', 'orders.cardExpiry', 'orders.licenceKeys', 'consents'],
    staffCard: '-',
    managerCard: 'first6last4',
    staff: false,
    manager: true,
  },
  break_glass: {
    fields: ['name', 'dateOfBirth', 'email', 'phone', 'shippingAddress', 'orders', 'orders.billing', 'consents'],
    staffCard: 'last4',
    managerCard: 'last4',
    staff: true,
    manager: true,
  },
};

/** Record keys each field group adds to an opened record. */
const KEYS: Partial<Record<RecordField, string[]>> = {
  name: ['name'],
  dateOfBirth: ['dateOfBirth'],
  email: ['email'],
  phone: ['phone'],
  shippingAddress: ['shippingAddress'],
  orders: ['orders'],
  consents: ['consents', 'consentHistory'],
};
const ALWAYS = ['createdAt', 'fields', 'id', 'kind', 'orderCount', 'policyVersion', 'purpose', 'quarantine', 'status', 'updatedAt', 'version'];

describe('need-to-know table (pure)', () => {
  test('matches the agreed table', () => {
    for (const purpose of RECORD_PURPOSES) {
      const e = EXPECTED[purpose];
      assert.deepEqual([...NEED_TO_KNOW[purpose].fields], e.fields, purpose);
      const staff = recordView(purpose, 'staff');
      const manager = recordView(purpose, 'manager');
      assert.equal(staff !== null, e.staff, `staff ${purpose}`);
      assert.equal(manager !== null, e.manager, `manager ${purpose}`);
      if (staff) assert.equal(staff.card, e.staffCard, `staff card ${purpose}`);
      if (manager) assert.equal(manager.card, e.managerCard, `manager card ${purpose}`);
    }
  });

  test('no purpose ever shows a full card number, and only legal shows full licence keys', () => {
    for (const purpose of RECORD_PURPOSES) {
      assert.notEqual(NEED_TO_KNOW[purpose].card as string, 'full');
      assert.equal(NEED_TO_KNOW[purpose].fields.includes('orders.licenceKeys'), purpose === 'legal', purpose);
    }
  });

  test('IT administrators and auditors may open no record for any purpose', () => {
    for (const role of ['it_admin', 'auditor'] as const) {
      assert.deepEqual(purposesFor(role), []);
      for (const purpose of RECORD_PURPOSES) assert.equal(recordView(purpose, role), null);
    }
    assert.deepEqual(purposesFor('staff'), ['order_processing', 'customer_support', 'correction', 'deletion_request', 'break_glass']);
    assert.deepEqual(purposesFor('manager'), [...RECORD_PURPOSES]);
    assert.equal(ROLES.length, 4, 'a new role must be added to this table');
  });
});

describe('need-to-know enforced when opening a record', () => {
  let t: CustomerTestCore;
  let customerId: string;
  before(async () => {
    t = await startCustomerCore();
    customerId = (await t.as('staff', 'customers.create', sampleCustomer({ consents: { newsletter: true }, consentChannel: 'order_form' }))).customer.id;
    await t.as('staff', 'orders.create', sampleOrder(customerId));
  });
  after(async () => t.cleanup());

  for (const purpose of RECORD_PURPOSES) {
    for (const who of ['staff', 'manager'] as const) {
      test(`${who} / ${purpose}`, async () => {
        const e = EXPECTED[purpose];
        const input = { customerId, purpose, ...(purpose === 'break_glass' ? { justification: 'Checking a complaint forwarded by the CEO office' } : {}) };
        if (!e[who]) {
          assert.match(expectError(await t.try(who, 'customers.open', input), 'FORBIDDEN'), /purpose/);
          return;
        }
        const record = await t.as(who, 'customers.open', input);
        const expectedKeys = [...ALWAYS, ...e.fields.flatMap((f) => KEYS[f] ?? []), ...(purpose === 'break_glass' ? ['breakGlassReviewId'] : [])];
        assert.deepEqual(Object.keys(record).sort(), expectedKeys.sort());
        assert.deepEqual(record.fields, e.fields);
        assert.equal(record.orderCount, 1, 'the order count is always shown');
        const text = JSON.stringify(record);
        assert.equal(text.includes('jane.doe@example.com'), e.fields.includes('email'));
        assert.equal(text.includes('7946'), e.fields.includes('phone'));
        assert.equal(text.includes('1980-05-17'), e.fields.includes('dateOfBirth'));
        assert.equal(text.includes('Example Street'), e.fields.includes('shippingAddress') || e.fields.includes('orders.billing'));
        assert.ok(!text.includes('4111111111111111'), 'never the full card number');
        if (record.orders) {
          const [order] = record.orders;
          assert.equal('billing' in order, e.fields.includes('orders.billing'));
          assert.equal('expiryYear' in order.card, e.fields.includes('orders.cardExpiry'));
          const card = who === 'staff' ? e.staffCard : e.managerCard;
          assert.equal(order.card.first6 !== null, card === 'first6last4');
        }
      });
    }
  }
});
