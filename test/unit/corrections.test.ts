import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError, sampleCustomer, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';

describe('corrections', () => {
  let t: CustomerTestCore;
  let id: string;
  before(async () => {
    t = await startCustomerCore();
    id = (await t.as('staff', 'customers.create', sampleCustomer())).customer.id;
  });
  after(async () => t.cleanup());

  const search = async (by: string, value: string) =>
    (await t.as('staff', 'customers.search', { by, value })).rows.map((r: { id: string }) => r.id) as string[];

  test('correct email, phone, postal code and family name; blind indexes follow the change', async () => {
    const result = await t.as('staff', 'customers.correct', {
      customerId: id,
      changes: { email: 'jane.smith@example.org', phone: '+44 113 496 0000', familyName: 'Smith', shippingAddress: { postalCode: 'LS2 9JT', city: 'Leeds' } },
      reason: 'Customer married and moved; confirmed by phone',
      source: 'customer_request',
    });
    assert.deepEqual(result.fields.sort(), ['email', 'familyName', 'phone', 'shippingAddress.postalCode']);
    assert.equal(result.customer.displayName, 'Jane S.');
    assert.deepEqual(await search('email', 'jane.doe@example.com'), []);
    assert.deepEqual(await search('email', 'JANE.SMITH@example.org'), [id]);
    assert.deepEqual(await search('phone', '441134960000'), [id]);
    assert.deepEqual(await search('phone', '+44 20 7946 0018'), []);
    assert.deepEqual(await search('postalCode', 'ls2 9jt'), [id]);
    assert.deepEqual(await search('postalCode', 'LS1 4AB'), []);
    assert.deepEqual(await search('familyName', 'smith'), [id]);
    assert.deepEqual(await search('familyName', 'doe'), []);
    const record = await t.as('staff', 'customers.open', { customerId: id, purpose: 'correction' });
    assert.equal(record.email, 'jane.smith@example.org');
    assert.equal(record.shippingAddress.postalCode, 'LS2 9JT');
    assert.equal(record.shippingAddress.street, '1 Example Street', 'untouched fields are kept');
  });

  test('audit names the fields and source only', async () => {
    const events = await t.as('admin', 'audit.list', { action: 'customer.corrected' });
    const [event] = events.events;
    assert.deepEqual(event.details.fields.sort(), ['email', 'familyName', 'phone', 'shippingAddress.postalCode']);
    assert.equal(event.details.source, 'customer_request');
    assert.equal(event.details.customerId, id);
    // Ids and the timestamp are random / clock-made; masked so a digit run like '496' inside a UUID is no false hit.
    const blob = JSON.stringify(event)
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
      .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '<time>');
    for (const value of ['Smith', 'Doe', 'example', 'LS2', '496', 'married']) assert.ok(!blob.includes(value), value);
  });

  test('history keeps before and after values (encrypted at rest) with reason and source', async () => {
    await t.as('manager', 'customers.correct', {
      customerId: id,
      changes: { dateOfBirth: '1980-05-18', shippingAddress: { region: null } },
      reason: 'Typo in date of birth',
      source: 'staff_found_error',
    });
    const { corrections } = await t.as('staff', 'customers.corrections', { customerId: id });
    assert.equal(corrections.length, 2);
    const [latest, first] = corrections;
    assert.deepEqual(latest.before, { dateOfBirth: '1980-05-17', 'shippingAddress.region': 'West Yorkshire' });
    assert.deepEqual(latest.after, { dateOfBirth: '1980-05-18', 'shippingAddress.region': null });
    assert.equal(latest.source, 'staff_found_error');
    assert.equal(latest.actorId, t.userId.manager);
    assert.equal(latest.actorName, 'Mia Manager');
    assert.equal(first.actorId, t.userId.staff);
    assert.equal(first.actorName, 'Sam Staff');
    assert.equal(first.before.email, 'jane.doe@example.com');
    assert.equal(first.after.email, 'jane.smith@example.org');
    assert.equal(first.reason, 'Customer married and moved; confirmed by phone');
    const views = await t.as('admin', 'audit.list', { action: 'record.view', limit: 1 });
    assert.equal(views.events[0].details.view, 'correction_history');
    assert.equal(views.events[0].details.purpose, 'correction');
    assert.ok(!JSON.stringify(views.events[0].details).includes('Manager'), 'staff names are not in audit details');
  });

  test('the corrector\'s name is resolved when the history is read, so a renamed account shows its new name', async () => {
    await t.reauth('admin');
    await t.as('admin', 'accounts.update', { id: t.userId.manager, displayName: 'Mia Manager-Jones' });
    const { corrections } = await t.as('staff', 'customers.corrections', { customerId: id });
    assert.deepEqual(
      corrections.map((c: { actorId: string; actorName: string }) => [c.actorId, c.actorName]),
      [
        [t.userId.manager, 'Mia Manager-Jones'],
        [t.userId.staff, 'Sam Staff'],
      ],
    );
  });

  test('no-op, impossible dates of birth, and a clash with another customer\'s email are refused; nothing changes', async () => {
    const other = (await t.as('staff', 'customers.create', sampleCustomer({ email: 'other@example.com' }))).customer.id;
    const before = await t.counts();
    expectError(
      await t.try('staff', 'customers.correct', { customerId: id, changes: { familyName: 'Smith' }, reason: 'No change', source: 'staff_found_error' }),
      'INVALID_INPUT',
    );
    // A minor's date of birth is accepted and quarantines the record (minors.test.ts); an impossible one is refused.
    const future = `${new Date().getUTCFullYear() + 1}-01-01`;
    const message = expectError(
      await t.try('staff', 'customers.correct', { customerId: id, changes: { dateOfBirth: future }, reason: 'Customer said so', source: 'customer_request' }),
      'INVALID_INPUT',
    );
    assert.match(message, /in the future/);
    expectError(
      await t.try('staff', 'customers.correct', { customerId: other, changes: { email: 'Jane.Smith@example.org' }, reason: 'Clash', source: 'customer_request' }),
      'CONFLICT',
    );
    expectError(
      await t.try('staff', 'customers.correct', { customerId: id, changes: {}, reason: 'Empty', source: 'customer_request' }),
      'INVALID_INPUT',
    );
    expectError(
      await t.try('staff', 'customers.correct', { customerId: id, changes: { email: 'x@example.com' }, reason: 'No source' }),
      'INVALID_INPUT',
    );
    assert.deepEqual(await t.counts(), before);
    assert.deepEqual(await search('email', 'jane.smith@example.org'), [id]);
  });

  test('a correction made against an older version is refused: CONFLICT naming the fields changed since, nothing saved', async () => {
    const other = (await t.as('staff', 'customers.create', sampleCustomer({ email: 'versioned@example.com' }))).customer.id;
    const seen = await t.as('staff', 'customers.open', { customerId: other, purpose: 'correction' });
    assert.equal(seen.version, 1);
    // Another workstation corrects first.
    await t.as('staff2', 'customers.correct', {
      customerId: other,
      expectedVersion: seen.version,
      changes: { phone: '+44 113 496 0999', shippingAddress: { city: 'York' } },
      reason: 'Customer called with a new number',
      source: 'customer_request',
    });
    const before = await t.counts();
    const refused = await t.try('staff', 'customers.correct', {
      customerId: other,
      expectedVersion: seen.version,
      changes: { givenName: 'Janet' },
      reason: 'Spelling fixed',
      source: 'staff_found_error',
    });
    const message = expectError(refused, 'CONFLICT');
    assert.match(message, /changed by someone else since you opened it: phone, shippingAddress\.city\./);
    assert.doesNotMatch(message, /York|0999|Janet/);
    assert.deepEqual(await t.counts(), before);
    const now = await t.as('staff', 'customers.open', { customerId: other, purpose: 'correction' });
    assert.equal(now.version, 2);
    assert.equal(now.name.givenName, 'Jane');
    assert.equal(now.shippingAddress.city, 'York');
    // Reopened at the current version, the correction goes through.
    await t.as('staff', 'customers.correct', { customerId: other, expectedVersion: now.version, changes: { givenName: 'Janet' }, reason: 'Spelling fixed', source: 'staff_found_error' });
    assert.equal((await t.as('staff', 'customers.open', { customerId: other, purpose: 'correction' })).version, 3);
    for (const bad of [0, -1, 1.5, '2']) {
      expectError(await t.try('staff', 'customers.correct', { customerId: other, expectedVersion: bad, changes: { givenName: 'X' }, reason: 'r', source: 'staff_found_error' }), 'INVALID_INPUT');
    }
  });

  test('auditors and IT administrators cannot correct or read correction history', async () => {
    for (const who of ['admin', 'auditor'] as const) {
      expectError(await t.try(who, 'customers.corrections', { customerId: id }), 'FORBIDDEN');
      expectError(
        await t.try(who, 'customers.correct', { customerId: id, changes: { givenName: 'X' }, reason: 'r', source: 'customer_request' }),
        'FORBIDDEN',
      );
    }
  });
});
