import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError, sampleCustomer, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';

describe('customer records', () => {
  let t: CustomerTestCore;
  let janeId: string;
  before(async () => {
    t = await startCustomerCore();
    const created = await t.as('staff', 'customers.create', sampleCustomer());
    janeId = created.customer.id;
  });
  after(async () => t.cleanup());

  test('create returns a minimal masked row only', async () => {
    const created = await t.as('staff', 'customers.create', sampleCustomer({ email: 'row@example.com', givenName: 'Rowan', familyName: 'Åkesson' }));
    assert.deepEqual(Object.keys(created.customer).sort(), ['city', 'createdAt', 'displayName', 'id', 'kind', 'status']);
    assert.equal(created.customer.displayName, 'Rowan Å.');
    assert.equal(created.customer.city, 'Leeds');
    assert.equal(created.customer.status, 'active');
  });

  test('exact search by email, phone, postal code and family name, normalised', async () => {
    const cases: [string, string][] = [
      ['email', '  JANE.DOE@Example.COM '],
      ['phone', '44-20-7946-0018'],
      ['postalCode', 'ls14ab'],
      ['familyName', 'DOE'],
    ];
    for (const [by, value] of cases) {
      const result = await t.as('staff', 'customers.search', { by, value });
      assert.ok(result.rows.some((r: { id: string }) => r.id === janeId), `search by ${by}`);
      for (const row of result.rows) assert.deepEqual(Object.keys(row).sort(), ['city', 'createdAt', 'displayName', 'id', 'kind', 'status']);
    }
    const accents = await t.as('staff', 'customers.search', { by: 'familyName', value: 'akesson' });
    assert.equal(accents.rows.length, 1, 'NFKD: Åkesson matches akesson');
    const none = await t.as('staff', 'customers.search', { by: 'email', value: 'nobody@example.com' });
    assert.deepEqual(none.rows, []);
    expectError(await t.try('staff', 'customers.search', { by: 'phone', value: 'no digits' }), 'INVALID_INPUT');
  });

  test('search audit names the field searched by, never the value', async () => {
    const events = await t.as('admin', 'audit.list', { action: 'customer.search' });
    assert.ok(events.events.length >= 4);
    const blob = JSON.stringify(events.events);
    for (const value of ['jane', 'JANE', '7946', 'ls14ab', 'DOE', 'akesson']) assert.ok(!blob.includes(value), `audit leaks ${value}`);
    assert.ok(events.events.every((e: { details: { by: string } }) => typeof e.details.by === 'string'));
  });

  test('paged list: offset/limit, total, newest first, limit capped at 200', async () => {
    for (let i = 0; i < 7; i += 1) await t.as('staff', 'customers.create', sampleCustomer({ email: `page${i}@example.com`, familyName: `Page${i}` }));
    const total = await t.count('customers');
    const first = await t.as('staff', 'customers.list', { offset: 0, limit: 3 });
    assert.equal(first.total, total);
    assert.equal(first.rows.length, 3);
    const second = await t.as('staff', 'customers.list', { offset: 3, limit: 3 });
    assert.equal(new Set([...first.rows, ...second.rows].map((r: { id: string }) => r.id)).size, 6, 'pages do not overlap');
    const all = await t.as('staff', 'customers.list', { limit: 200 });
    assert.equal(all.rows.length, total);
    expectError(await t.try('staff', 'customers.list', { limit: 201 }), 'INVALID_INPUT');
    expectError(await t.try('staff', 'customers.list', { offset: -1 }), 'INVALID_INPUT');
  });

  test('a second record with the same email is refused', async () => {
    const message = expectError(await t.try('staff', 'customers.create', sampleCustomer({ email: 'Jane.Doe@example.com' })), 'CONFLICT');
    assert.match(message, /already exists/);
    assert.ok(!message.includes('jane'));
  });

  test('a date of birth under 18 is refused with a clear message, nothing stored', async () => {
    const before = await t.counts();
    const now = new Date();
    const minor = `${now.getUTCFullYear() - 17}-01-01`;
    const message = expectError(await t.try('staff', 'customers.create', sampleCustomer({ email: 'kid@example.com', dateOfBirth: minor })), 'INVALID_INPUT');
    assert.match(message, /under 18 are not collected/);
    assert.ok(!message.includes(minor));
    assert.deepEqual(await t.counts(), before);
    expectError(await t.try('staff', 'customers.create', sampleCustomer({ email: 'future@example.com', dateOfBirth: `${now.getUTCFullYear() + 1}-01-01` })), 'INVALID_INPUT');
    // Exactly 18 today is accepted.
    const eighteen = new Date(Date.UTC(now.getUTCFullYear() - 18, now.getUTCMonth(), now.getUTCDate())).toISOString().slice(0, 10);
    await t.as('staff', 'customers.create', sampleCustomer({ email: 'adult@example.com', dateOfBirth: eighteen }));
  });

  test('organisation contacts need an organisation name; persons may not have one', async () => {
    const org = await t.as('staff', 'customers.create', sampleCustomer({ kind: 'organisation_contact', organisationName: 'Acme Ltd', email: 'buyer@acme.test' }));
    assert.equal(org.customer.displayName, 'Jane D. (Acme Ltd)');
    assert.equal(org.customer.kind, 'organisation_contact');
    expectError(await t.try('staff', 'customers.create', sampleCustomer({ kind: 'organisation_contact', email: 'x1@acme.test' })), 'INVALID_INPUT');
    expectError(await t.try('staff', 'customers.create', sampleCustomer({ organisationName: 'Acme', email: 'x2@acme.test' })), 'INVALID_INPUT');
  });

  test('HTML and script in names are stored and returned verbatim, as text', async () => {
    const given = '<script>alert("x")</script>';
    const family = '<img src=x onerror=alert(1)>&amp;';
    const created = await t.as('staff', 'customers.create', sampleCustomer({ givenName: given, familyName: family, email: 'html@example.com' }));
    assert.equal(created.customer.displayName, `${given} <.`);
    const record = await t.as('staff', 'customers.open', { customerId: created.customer.id, purpose: 'correction' });
    assert.equal(record.name.givenName, given);
    assert.equal(record.name.familyName, family);
    const found = await t.as('staff', 'customers.search', { by: 'familyName', value: family });
    assert.equal(found.rows[0].id, created.customer.id);
  });

  test('marketing consents default to no; changes keep when and how, with history', async () => {
    const open = async () => t.as('staff', 'customers.open', { customerId: janeId, purpose: 'customer_support' });
    const initial = await open();
    assert.deepEqual(
      initial.consents.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted]),
      [['newsletter', false], ['productUpgrades', false], ['research', false], ['thirdPartySharing', false]],
    );
    assert.deepEqual(initial.consentHistory, []);
    await t.as('staff', 'customers.setConsent', { customerId: janeId, purpose: 'newsletter', granted: true, channel: 'web_form' });
    await t.as('manager', 'customers.setConsent', { customerId: janeId, purpose: 'newsletter', granted: false, channel: 'email' });
    const { consent } = await t.as('staff', 'customers.setConsent', { customerId: janeId, purpose: 'research', granted: true, channel: 'phone' });
    assert.equal(consent.granted, true);
    assert.equal(consent.channel, 'phone');
    const after = await open();
    const state = Object.fromEntries(after.consents.map((c: { purpose: string }) => [c.purpose, c]));
    assert.equal(state.newsletter.granted, false);
    assert.equal(state.newsletter.channel, 'email');
    assert.ok(state.newsletter.changedAt);
    assert.equal(state.research.granted, true);
    assert.equal(state.thirdPartySharing.granted, false);
    assert.deepEqual(
      after.consentHistory.map((e: { purpose: string; granted: boolean; channel: string }) => [e.purpose, e.granted, e.channel]),
      [['newsletter', true, 'web_form'], ['newsletter', false, 'email'], ['research', true, 'phone']],
    );
    assert.deepEqual(
      after.consentHistory.map((e: { recordedBy: string; actorName: string }) => [e.recordedBy, e.actorName]),
      [
        [t.userId.staff, 'Sam Staff'],
        [t.userId.manager, 'Mia Manager'],
        [t.userId.staff, 'Sam Staff'],
      ],
    );
    // The names are for display only: the consent.changed audit events name ids, never staff names.
    const audited = await t.as('admin', 'audit.list', { action: 'consent.changed', limit: 3 });
    assert.ok(!JSON.stringify(audited.events.map((e: { details: unknown }) => e.details)).match(/Sam Staff|Mia Manager/));
    // 'import' is only written by the CSV import.
    expectError(await t.try('staff', 'customers.setConsent', { customerId: janeId, purpose: 'newsletter', granted: true, channel: 'import' }), 'INVALID_INPUT');
  });

  test('consents given at creation need a channel', async () => {
    expectError(await t.try('staff', 'customers.create', sampleCustomer({ email: 'c1@example.com', consents: { newsletter: true } })), 'INVALID_INPUT');
    const created = await t.as('staff', 'customers.create', sampleCustomer({ email: 'c2@example.com', consents: { newsletter: true, thirdPartySharing: false }, consentChannel: 'order_form' }));
    const record = await t.as('staff', 'customers.open', { customerId: created.customer.id, purpose: 'customer_support' });
    assert.equal(record.consents.find((c: { purpose: string }) => c.purpose === 'newsletter').granted, true);
    assert.equal(record.consents.find((c: { purpose: string }) => c.purpose === 'thirdPartySharing').granted, false);
  });

  test('close and reopen a record', async () => {
    const created = await t.as('staff', 'customers.create', sampleCustomer({ email: 'closing@example.com' }));
    const closed = await t.as('staff', 'customers.setStatus', { customerId: created.customer.id, status: 'closed' });
    assert.equal(closed.customer.status, 'closed');
    const onlyClosed = await t.as('staff', 'customers.list', { status: 'closed' });
    assert.deepEqual(onlyClosed.rows.map((r: { id: string }) => r.id), [created.customer.id]);
    assert.equal(onlyClosed.total, 1);
    const all = await t.count('customers');
    assert.equal((await t.as('staff', 'customers.list', { status: 'active' })).total, all - 1);
    assert.equal((await t.as('staff', 'customers.list', {})).total, all);
    // Closing twice changes nothing.
    assert.equal((await t.as('staff', 'customers.setStatus', { customerId: created.customer.id, status: 'closed' })).customer.status, 'closed');
    assert.equal((await t.as('staff', 'customers.list', { status: 'closed' })).total, 1);
    const reopened = await t.as('staff', 'customers.setStatus', { customerId: created.customer.id, status: 'active' });
    assert.equal(reopened.customer.status, 'active');
  });

  test('opening a record needs a purpose and is audited as record.view with customerId and purpose', async () => {
    expectError(await t.try('staff', 'customers.open', { customerId: janeId }), 'INVALID_INPUT');
    expectError(await t.try('staff', 'customers.open', { customerId: janeId, purpose: 'curiosity' }), 'INVALID_INPUT');
    await t.as('staff', 'customers.open', { customerId: janeId, purpose: 'order_processing' });
    const events = await t.as('admin', 'audit.list', { action: 'record.view', limit: 1 });
    const [event] = events.events;
    assert.equal(event.actorId, t.userId.staff);
    assert.equal(event.details.customerId, janeId);
    assert.equal(event.details.purpose, 'order_processing');
    assert.ok(!JSON.stringify(event).includes('Jane'));
    expectError(await t.try('staff', 'customers.open', { customerId: '00000000-0000-4000-8000-000000000000', purpose: 'customer_support' }), 'NOT_FOUND');
  });

  test('IT administrators and auditors have no access to customer PII', async () => {
    const calls: [string, unknown][] = [
      ['customers.search', { by: 'email', value: 'jane.doe@example.com' }],
      ['customers.list', {}],
      ['customers.open', { customerId: janeId, purpose: 'legal' }],
      ['customers.create', sampleCustomer({ email: 'nope@example.com' })],
      ['customers.corrections', { customerId: janeId }],
      ['customers.importPreview', { csv: 'a,b\n1,2' }],
      ['breakglass.list', {}],
    ];
    for (const who of ['admin', 'auditor'] as const) {
      for (const [channel, input] of calls) {
        const message = expectError(await t.try(who, channel, input), 'FORBIDDEN');
        assert.match(message, /not permitted/);
      }
    }
  });
});
