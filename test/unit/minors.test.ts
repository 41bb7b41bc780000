import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError, sampleCustomer, sampleOrder, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';

const minorBirthday = () => `${new Date().getUTCFullYear() - 15}-03-04`;
const adultBirthday = '1990-03-04';

describe('minors: found, quarantined, deleted or released', () => {
  let t: CustomerTestCore;
  before(async () => {
    t = await startCustomerCore();
  });
  after(async () => t.cleanup());

  const listed = async () => (await t.as('staff', 'customers.list', { offset: 0, limit: 200 })).rows.map((r: { id: string }) => r.id) as string[];
  const cases = async (open?: boolean) => t.as('auditor', 'minors.cases', open === undefined ? {} : { open });
  const caseOf = async (customerId: string) => (await cases()).cases.find((c: { customerId: string }) => c.customerId === customerId);
  const create = async (email: string, extra: Record<string, unknown> = {}) =>
    (await t.as('staff', 'customers.create', sampleCustomer({ email, familyName: 'Young', ...extra }))).customer.id as string;

  test('a corrected date of birth under 18: kept, the record quarantined at once and its deletion requested by the corrector', async () => {
    const id = await create('teen.one@example.com');
    const result = await t.as('staff', 'customers.correct', {
      customerId: id,
      changes: { dateOfBirth: minorBirthday() },
      reason: 'Parent phoned: the customer is fifteen',
      source: 'customer_request',
    });
    assert.equal(result.minorFound, true);
    assert.ok(!(await listed()).includes(id), 'gone from the list');
    assert.deepEqual((await t.as('staff', 'customers.search', { by: 'email', value: 'teen.one@example.com' })).rows, []);
    const record = await t.as('staff', 'customers.open', { customerId: id, purpose: 'correction' });
    assert.equal(record.quarantine.reason, 'date_of_birth_under_18');
    expectError(await t.try('staff', 'orders.create', sampleOrder(id)), 'CONFLICT');

    const found = await caseOf(id);
    assert.equal(found.state, 'awaiting_deletion');
    assert.equal(found.reason, 'date_of_birth_under_18');
    assert.equal(found.foundBy, t.userId.staff);
    const request = (await t.as('manager', 'erasure.request', { id: found.deletionRequestId })).request;
    assert.equal(request.status, 'pending');
    assert.equal(request.reason, 'minor');
    assert.equal(request.requesterId, t.userId.staff);

    // The audit event of the correction says a minor was found; it names no value.
    const events = (await t.as('admin', 'audit.list', { action: 'customer.corrected' })).events;
    const event = events.find((e: { details: { customerId?: string } }) => e.details.customerId === id);
    assert.equal(event.details.minorFound, true);
    assert.ok(!JSON.stringify(event).includes(minorBirthday()));
  });

  test('a manager approves the deletion: the case is erased, closed at the deletion time, and nothing identifies the child', async () => {
    const id = await create('teen.two@example.com');
    await t.as('staff', 'customers.correct', { customerId: id, changes: { dateOfBirth: minorBirthday() }, reason: 'Found on review', source: 'staff_found_error' });
    const { deletionRequestId } = await caseOf(id);
    await t.reauth('manager');
    await t.as('manager', 'erasure.decide', { id: deletionRequestId, decision: 'approve' });
    const closed = await caseOf(id);
    assert.equal(closed.state, 'erased');
    assert.ok(closed.closedAt);
    assert.equal(await t.count('minor_cases'), (await cases()).total, 'the case outlives the record');
    const report = JSON.stringify(await cases());
    for (const value of ['Young', 'teen.two', 'Jane', 'Leeds', minorBirthday()]) assert.ok(!report.includes(value), value);
  });

  test('staff report a minor: quarantined and requested; reporting again is CONFLICT with nothing changed', async () => {
    const id = await create('teen.three@example.com');
    const { case: found } = await t.as('staff2', 'minors.reportAsMinor', { customerId: id, channel: 'parent_or_guardian' });
    assert.equal(found.reason, 'reported_minor');
    assert.equal(found.state, 'awaiting_deletion');
    assert.ok(!(await listed()).includes(id));
    const before = { cases: await t.count('minor_cases'), approvals: await t.count('approvals') };
    expectError(await t.try('staff', 'minors.reportAsMinor', { customerId: id, channel: 'phone' }), 'CONFLICT');
    expectError(await t.try('staff', 'minors.reportAsMinor', { customerId: '00000000-0000-4000-8000-000000000000', channel: 'phone' }), 'NOT_FOUND');
    assert.deepEqual({ cases: await t.count('minor_cases'), approvals: await t.count('approvals') }, before);
  });

  test('release: refused while the deletion request waits, to whoever raised the case, and while the date of birth says minor', async () => {
    const reported = await create('teen.four@example.com', { dateOfBirth: adultBirthday });
    const { case: rc } = await t.as('manager', 'minors.reportAsMinor', { customerId: reported, channel: 'phone' });
    await t.reauth('manager2');
    expectError(await t.try('manager2', 'minors.release', { caseId: rc.id, reason: 'age_verified_adult' }), 'CONFLICT');
    await t.as('manager2', 'erasure.decide', { id: rc.deletionRequestId, decision: 'deny', reason: 'Passport checked: the customer is 36' });
    assert.equal((await caseOf(reported)).state, 'needs_decision');
    await t.reauth('manager');
    expectError(await t.try('manager', 'minors.release', { caseId: rc.id, reason: 'age_verified_adult' }), 'FORBIDDEN');
    const released = (await t.as('manager2', 'minors.release', { caseId: rc.id, reason: 'age_verified_adult' })).case;
    assert.equal(released.state, 'released');
    assert.equal(released.releaseReason, 'age_verified_adult');
    assert.ok((await listed()).includes(reported), 'back in the list');
    expectError(await t.try('manager2', 'minors.release', { caseId: rc.id, reason: 'age_verified_adult' }), 'CONFLICT');

    const corrected = await create('teen.five@example.com');
    await t.as('staff', 'customers.correct', { customerId: corrected, changes: { dateOfBirth: minorBirthday() }, reason: 'Customer said so', source: 'customer_request' });
    const cc = await caseOf(corrected);
    await t.as('manager2', 'erasure.decide', { id: cc.deletionRequestId, decision: 'deny', reason: 'Needs a document check first' });
    const message = expectError(await t.try('manager2', 'minors.release', { caseId: cc.id, reason: 'reported_in_error' }), 'CONFLICT');
    assert.match(message, /date of birth on record/);
    assert.equal((await caseOf(corrected)).state, 'needs_decision');
  });

  test('under a legal hold a minor is still quarantined; no deletion request can be filed, so the case waits for a decision', async () => {
    const id = await create('teen.six@example.com');
    await t.as('manager', 'erasure.placeHold', { customerId: id, reason: 'Court order on a related account', reference: 'HC-2026-0042' });
    await t.as('staff', 'minors.reportAsMinor', { customerId: id, channel: 'email' });
    const found = await caseOf(id);
    assert.equal(found.state, 'needs_decision');
    assert.equal(found.deletionRequestId, null);
    assert.ok(!(await listed()).includes(id));
  });

  test('a deletion already waiting (the customer asked) serves the minor case: quarantined all the same, no second request', async () => {
    const id = await create('teen.seven@example.com');
    const waiting = (await t.as('staff2', 'erasure.file', { customerId: id, reason: 'customer_request', channel: 'email' })).request.id;
    const before = await t.count('approvals');
    await t.as('staff', 'customers.correct', { customerId: id, changes: { dateOfBirth: minorBirthday() }, reason: 'Customer said so', source: 'customer_request' });
    const found = await caseOf(id);
    assert.equal(found.deletionRequestId, waiting);
    assert.equal(found.state, 'awaiting_deletion');
    assert.equal(await t.count('approvals'), before, 'no second deletion request');
    assert.ok(!(await listed()).includes(id));
  });

  test('the report: open cases first; filters; counts by state; staff may not read it', async () => {
    const all = await cases();
    assert.deepEqual(all.counts, { awaitingDeletion: 3, needsDecision: 2, erased: 1, released: 1 });
    const states = all.cases.map((c: { state: string }) => c.state);
    assert.ok(states.indexOf('erased') > states.lastIndexOf('needs_decision'), 'open cases come first');
    assert.equal((await cases(true)).total, 5);
    assert.equal((await cases(false)).total, 2);
    expectError(await t.try('staff', 'minors.cases', {}), 'FORBIDDEN');
  });
});
