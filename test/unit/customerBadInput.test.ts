import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CARD_SECURITY_CODE_REFUSED } from '../../main/shared/cardSecurityCode.std.ts';
import { expectError, nextYear, sampleCustomer, sampleOrder, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';

/**
 * Bad input at the IPC boundary: each is refused with a clear message that does not repeat the value,
 * and nothing at all is stored (row counts of every customer table are unchanged).
 */
describe('bad input to customer and order channels', () => {
  let t: CustomerTestCore;
  let customerId: string;
  before(async () => {
    t = await startCustomerCore();
    customerId = (await t.as('staff', 'customers.create', sampleCustomer())).customer.id;
  });
  after(async () => t.cleanup());

  async function refused(channel: string, input: unknown, pattern: RegExp, secret?: string): Promise<string> {
    const before = await t.counts();
    const message = expectError(await t.try('staff', channel, input), 'INVALID_INPUT');
    assert.match(message, pattern);
    if (secret) assert.ok(!message.includes(secret), `message repeats the value: ${message}`);
    assert.deepEqual(await t.counts(), before, 'nothing stored');
    return message;
  }

  test('invalid card number (Luhn) is refused', async () => {
    await refused('orders.create', sampleOrder(customerId, { card: { number: '4111 1111 1111 1112', expiryMonth: 1, expiryYear: nextYear() } }), /Luhn/, '1112');
    await refused('orders.create', sampleOrder(customerId, { card: { number: '4111-abcd-1111-1111', expiryMonth: 1, expiryYear: nextYear() } }), /12–19 digits/, 'abcd');
    await refused('orders.create', sampleOrder(customerId, { card: { number: '411111', expiryMonth: 1, expiryYear: nextYear() } }), /12–19 digits/, '411111');
  });

  test('expired card and impossible expiry month are refused', async () => {
    const now = new Date();
    const lastMonth = now.getUTCMonth() === 0 ? { expiryMonth: 12, expiryYear: now.getUTCFullYear() - 1 } : { expiryMonth: now.getUTCMonth(), expiryYear: now.getUTCFullYear() };
    await refused('orders.create', sampleOrder(customerId, { card: { number: '4111111111111111', ...lastMonth } }), /expired/);
    await refused('orders.create', sampleOrder(customerId, { card: { number: '4111111111111111', expiryMonth: 13, expiryYear: nextYear() } }), /1–12/);
    await refused('orders.create', sampleOrder(customerId, { card: { number: '4111111111111111', expiryMonth: 0, expiryYear: nextYear() } }), /1–12/);
    await refused('orders.create', sampleOrder(customerId, { card: { number: '4111111111111111', expiryMonth: 5, expiryYear: 27 } }), /four-digit year/);
  });

  test('a CVV / CVC / security code anywhere in the payload is refused with a clear message', async () => {
    const card = { number: '4111111111111111', expiryMonth: 12, expiryYear: nextYear() };
    const variants: [string, unknown][] = [
      ['card.cvv', sampleOrder(customerId, { card: { ...card, cvv: '123' } })],
      ['card.CVC', sampleOrder(customerId, { card: { ...card, CVC: '123' } })],
      ['card.cvc2', sampleOrder(customerId, { card: { ...card, cvc2: '123' } })],
      ['card.securityCode', sampleOrder(customerId, { card: { ...card, securityCode: '123' } })],
      ['card.security_code', sampleOrder(customerId, { card: { ...card, security_code: '123' } })],
      ['cvv', { ...sampleOrder(customerId), cvv: '123' }],
      ['billing.cvc', sampleOrder(customerId, { billing: { name: 'Jane Doe', address: sampleCustomer().shippingAddress, cvc: '123' } })],
      ['card.cvv (with a type error elsewhere too)', sampleOrder(customerId, { card: { ...card, cvv: '123', expiryMonth: 'twelve' } })],
    ];
    for (const [where, input] of variants) {
      const message = await refused('orders.create', input, /CVV|cvv|CVC|cvc|security/i, '123');
      assert.ok(message.includes(CARD_SECURITY_CODE_REFUSED), `${where}: ${message}`);
    }
    // Any other spelling is still refused, as an unknown field.
    await refused('orders.create', sampleOrder(customerId, { card: { ...card, Cvv2Code: '123' } }), /unknown field\(s\) Cvv2Code/, '123');
    // The clear message itself is what the renderer shows for the common case.
    const message = await refused('orders.create', sampleOrder(customerId, { card: { ...card, cvv: '123' } }), /never collected or stored/);
    assert.match(message, /card\.cvv/);
    await refused('customers.create', sampleCustomer({ email: 'cvv@example.com', cvv: '999' }), /never collected or stored/, '999');
  });

  test('oversize strings are refused', async () => {
    const long = (n: number) => 'x'.repeat(n);
    await refused('customers.create', sampleCustomer({ email: 'big1@example.com', givenName: long(101) }), /givenName: At most 100/);
    await refused('customers.create', sampleCustomer({ email: 'big2@example.com', familyName: long(5000) }), /familyName: At most 100/);
    await refused('customers.create', sampleCustomer({ email: `${long(250)}@example.com` }), /email: At most 254/);
    await refused('customers.create', sampleCustomer({ email: 'big3@example.com', shippingAddress: { ...sampleCustomer().shippingAddress, street: long(201) } }), /street: At most 200/);
    await refused('customers.search', { by: 'email', value: long(255) }, /At most 254/);
    await refused('orders.create', sampleOrder(customerId, { items: [{ sku: 'A1', name: long(121), kind: 'product', quantity: 1 }] }), /At most 120/);
    await refused('orders.create', sampleOrder(customerId, { items: Array.from({ length: 51 }, () => ({ sku: 'A1', name: 'n', kind: 'product', quantity: 1 })) }), /items/);
    await refused('orders.create', sampleOrder(customerId, { items: [{ sku: 'A1', name: 'n', kind: 'product', quantity: 1_000_000 }] }), /quantity/);
    await refused('customers.correct', { customerId, changes: { givenName: 'Janet' }, reason: long(1001), source: 'customer_request' }, /reason: At most 1000/);
  });

  test('control characters and line breaks in single-line fields are refused', async () => {
    for (const bad of ['Ja\u0000ne', 'Ja\u001bne', 'Ja\u2028ne', 'Ja\u0085ne', 'Ja\nne', 'Ja\tne']) {
      await refused('customers.create', sampleCustomer({ email: 'ctl@example.com', givenName: bad }), /givenName: (Contains control characters|Must be a single line)/, bad);
    }
    await refused('customers.create', sampleCustomer({ email: 'ctl\n@example.com' }), /email/);
    await refused('customers.search', { by: 'familyName', value: 'Do\u0007e' }, /control characters/);
    await refused('orders.create', sampleOrder(customerId, { billing: { name: 'Jane\rDoe', address: sampleCustomer().shippingAddress } }), /billing\.name/);
  });

  test('unknown fields are refused, never silently dropped', async () => {
    await refused('customers.create', sampleCustomer({ email: 'u1@example.com', nationalId: 'AB123456C' }), /unknown field\(s\) nationalId/, 'AB123456C');
    await refused('customers.create', sampleCustomer({ email: 'u2@example.com', shippingAddress: { ...sampleCustomer().shippingAddress, gateCode: '4321' } }), /shippingAddress: unknown field\(s\) gateCode/, '4321');
    await refused('orders.create', sampleOrder(customerId, { items: [{ sku: 'A1', name: 'n', kind: 'product', quantity: 1, price: 5 }] }), /items\.0: unknown field\(s\) price/);
    await refused('customers.open', { customerId, purpose: 'customer_support', includeCard: true }, /unknown field\(s\) includeCard/);
    await refused('customers.correct', { customerId, changes: { role: 'admin' }, reason: 'x', source: 'customer_request' }, /changes: unknown field\(s\) role/);
  });

  test('wrong types and enum values are refused', async () => {
    await refused('customers.create', sampleCustomer({ email: 'w1@example.com', dateOfBirth: '17/05/1980' }), /YYYY-MM-DD/, '17/05/1980');
    await refused('customers.create', sampleCustomer({ email: 'w2@example.com', dateOfBirth: '1980-02-30' }), /real calendar date/);
    await refused('customers.create', sampleCustomer({ email: 'w3@example.com', phone: 'call me maybe' }), /phone/, 'call me');
    await refused('customers.create', sampleCustomer({ email: 'w4@example.com', shippingAddress: { ...sampleCustomer().shippingAddress, country: 'United Kingdom' } }), /two-letter country code/, 'United');
    await refused('customers.create', sampleCustomer({ email: 'w5@example.com', kind: 'robot' }), /kind/, 'robot');
    await refused('customers.open', { customerId: 'not-a-uuid', purpose: 'customer_support' }, /customerId: Not a valid id/);
    await refused('customers.open', { customerId, purpose: 'marketing' }, /purpose/);
  });

  test('HTML in order and customer fields is stored and returned verbatim', async () => {
    const name = '<a href="javascript:alert(1)">Jane</a>';
    const { order } = await t.as('staff', 'orders.create', sampleOrder(customerId, { billing: { name, address: sampleCustomer().shippingAddress }, items: [{ sku: 'X-1', name: '<b>Bold</b> & "quoted"', kind: 'product', quantity: 1 }] }));
    assert.equal(order.items[0].name, '<b>Bold</b> & "quoted"');
    const record = await t.as('staff', 'customers.open', { customerId, purpose: 'order_processing' });
    assert.equal(record.orders[0].billing.name, name);
  });
});
