import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cardBrand, cardExpiryProblem, luhnValid, maskCard } from '../../main/features/orders/card.std.ts';
import { expectError, nextYear, sampleCustomer, sampleOrder, startCustomerCore, VALID_CARD, type CustomerTestCore } from '../support/customers.ts';

describe('card rules (pure)', () => {
  test('Luhn', () => {
    for (const good of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4242424242424242']) assert.ok(luhnValid(good), good);
    for (const bad of ['4111111111111112', '1234567890123', '', '41111111111', 'abcd1111111111111']) assert.ok(!luhnValid(bad), bad);
  });
  test('brand and masking', () => {
    assert.equal(cardBrand('4111111111111111'), 'visa');
    assert.equal(cardBrand('5555555555554444'), 'mastercard');
    assert.equal(cardBrand('378282246310005'), 'amex');
    const card = { brand: 'visa' as const, first6: '411111', last4: '1111', length: 16 };
    assert.deepEqual(maskCard(card, 'last4'), { brand: 'visa', first6: null, last4: '1111', masked: '•••• 1111' });
    assert.equal(maskCard(card, 'first6last4').masked, '411111••••••1111');
  });
  test('expiry: month 1–12, not in the past, valid through the end of the month', () => {
    const now = Date.UTC(2030, 5, 30, 23, 0); // 30 June 2030
    assert.equal(cardExpiryProblem(6, 2030, now), null);
    assert.match(cardExpiryProblem(5, 2030, now)!, /expired/);
    assert.match(cardExpiryProblem(12, 2029, now)!, /expired/);
    assert.match(cardExpiryProblem(13, 2031, now)!, /1–12/);
    assert.match(cardExpiryProblem(0, 2031, now)!, /1–12/);
  });
});

describe('orders', () => {
  let t: CustomerTestCore;
  let customerId: string;
  let orderId: string;
  let licenceItemId: string;
  before(async () => {
    t = await startCustomerCore();
    customerId = (await t.as('staff', 'customers.create', sampleCustomer())).customer.id;
  });
  after(async () => t.cleanup());

  test('staff place an order: card stored encrypted, shown masked; licence keys generated', async () => {
    const { order } = await t.as('staff', 'orders.create', sampleOrder(customerId));
    orderId = order.id;
    assert.deepEqual(order.card, { brand: 'visa', last4: '1111', first6: null, masked: '•••• 1111' });
    assert.equal(order.items.length, 2);
    const licence = order.items.find((i: { kind: string }) => i.kind === 'licence');
    licenceItemId = licence.id;
    assert.match(licence.licenceKey, /^•••••-•••••-•••••-•••••-[0-9A-Z]{5}$/);
    assert.equal(licence.licenceKeyMasked, true);
    assert.equal(order.items.find((i: { kind: string }) => i.kind === 'product').licenceKey, null);
    assert.ok(!('billing' in order));
    const events = await t.as('admin', 'audit.list', { action: 'order.created' });
    assert.deepEqual(Object.keys(events.events[0].details).sort(), ['cardBrand', 'customerId', 'items', 'licences', 'orderId']);
  });

  test('order processing view: staff see last 4, managers first 6 + last 4; expiry and billing shown', async () => {
    const staff = await t.as('staff', 'customers.open', { customerId, purpose: 'order_processing' });
    assert.equal(staff.orders[0].card.masked, '•••• 1111');
    assert.equal(staff.orders[0].card.first6, null);
    assert.equal(staff.orders[0].card.expiryYear, nextYear());
    assert.equal(staff.orders[0].billing.name, 'Jane Doe');
    const manager = await t.as('manager', 'customers.open', { customerId, purpose: 'order_processing' });
    assert.equal(manager.orders[0].card.masked, '411111••••••1111');
    assert.equal(manager.orders[0].card.first6, '411111');
    assert.ok(!JSON.stringify(manager).includes('4111111111111111'));
    const support = await t.as('manager', 'customers.open', { customerId, purpose: 'customer_support' });
    assert.equal(support.orders[0].card.first6, null, 'customer support shows last 4 only, even to a manager');
    assert.equal(support.orders[0].card.expiryMonth, undefined);
    assert.equal(support.orders[0].billing, undefined);
  });

  test('legal view shows full licence keys but never the full card number', async () => {
    const legal = await t.as('manager', 'customers.open', { customerId, purpose: 'legal' });
    const licence = legal.orders[0].items.find((i: { kind: string }) => i.kind === 'licence');
    assert.match(licence.licenceKey, /^([0-9A-Z]{5}-){4}[0-9A-Z]{5}$/);
    assert.equal(licence.licenceKeyMasked, false);
    assert.ok(!JSON.stringify(legal).includes('4111111111111111'));
  });

  test('card reveal: staff are refused with "not permitted"', async () => {
    const message = expectError(await t.try('staff', 'orders.revealCard', { orderId, reason: 'Customer disputes the charge' }), 'FORBIDDEN');
    assert.match(message, /not permitted/);
    assert.equal(await t.count('card_reveals'), 0);
  });

  test('card reveal: managers need a reason of 10+ characters and a fresh re-authentication', async () => {
    expectError(await t.try('manager', 'orders.revealCard', { orderId, reason: 'because' }), 'INVALID_INPUT');
    t.clock.advance(6 * 60_000); // the sign-in grace period has passed
    expectError(await t.try('manager', 'orders.revealCard', { orderId, reason: 'Chargeback investigation #4411' }), 'REAUTH_REQUIRED');
    await t.reauth('manager');
    const revealed = await t.as('manager', 'orders.revealCard', { orderId, reason: 'Chargeback investigation #4411' });
    assert.deepEqual(revealed, { orderId, number: VALID_CARD.replace(/ /g, ''), expiryMonth: 12, expiryYear: nextYear(), hideAfterSeconds: 30 });
    assert.equal(await t.count('card_reveals'), 1);
    const events = await t.as('admin', 'audit.list', { action: 'card.reveal' });
    const ok = events.events.find((e: { outcome: string }) => e.outcome === 'ok');
    assert.deepEqual(ok.details, { customerId, orderId });
    assert.equal(ok.actorId, t.userId.manager);
    assert.ok(!JSON.stringify(events).includes('Chargeback'), 'the reason is never in the audit log');
  });

  test('licence re-send is recorded and counted', async () => {
    const first = await t.as('staff', 'orders.resendLicence', { orderId, itemId: licenceItemId });
    assert.equal(first.resendCount, 1);
    const second = await t.as('staff', 'orders.resendLicence', { orderId, itemId: licenceItemId });
    assert.equal(second.resendCount, 2);
    const record = await t.as('staff', 'customers.open', { customerId, purpose: 'customer_support' });
    const item = record.orders[0].items.find((i: { id: string }) => i.id === licenceItemId);
    assert.equal(item.resendCount, 2);
    assert.equal(item.lastResentAt, second.resentAt);
    const events = await t.as('admin', 'audit.list', { action: 'licence.resent' });
    assert.equal(events.total, 2);
    const product = record.orders[0].items.find((i: { kind: string }) => i.kind === 'product');
    expectError(await t.try('staff', 'orders.resendLicence', { orderId, itemId: product.id }), 'CONFLICT');
  });

  test('orders for an unknown or closed customer are refused', async () => {
    expectError(await t.try('staff', 'orders.create', sampleOrder('00000000-0000-4000-8000-000000000000')), 'NOT_FOUND');
    const closed = (await t.as('staff', 'customers.create', sampleCustomer({ email: 'gone@example.com' }))).customer.id;
    await t.as('staff', 'customers.setStatus', { customerId: closed, status: 'closed' });
    expectError(await t.try('staff', 'orders.create', sampleOrder(closed)), 'CONFLICT');
  });

  test('an order re-linked to another customer in the file can no longer be read', async () => {
    const other = (await t.as('staff', 'customers.create', sampleCustomer({ email: 'other.person@example.com' }))).customer.id;
    const { order } = await t.as('staff', 'orders.create', sampleOrder(customerId));
    const db = t.openDb();
    await db('orders').where({ id: order.id }).update({ customer_id: other });
    await db.destroy();
    await t.reauth('manager');
    const reveal = await t.try('manager', 'orders.revealCard', { orderId: order.id, reason: 'Chargeback investigation' });
    assert.equal(reveal.ok, false);
    const opened = await t.try('manager', 'customers.open', { customerId: other, purpose: 'order_processing' });
    assert.equal(opened.ok, false, 'the moved order does not open under the other customer');
  });

  test('auditors and IT administrators cannot place orders or reveal cards', async () => {
    for (const who of ['admin', 'auditor'] as const) {
      expectError(await t.try(who, 'orders.create', sampleOrder(customerId)), 'FORBIDDEN');
      expectError(await t.try(who, 'orders.revealCard', { orderId, reason: 'Chargeback investigation' }), 'FORBIDDEN');
    }
  });
});
