import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectError, sampleCustomer, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';

const JUSTIFICATION = 'Fraud team phoned about a suspected stolen identity on this account';

describe('break-glass access', () => {
  let t: CustomerTestCore;
  let customerId: string;
  let reviewId: string;
  before(async () => {
    t = await startCustomerCore();
    customerId = (await t.as('staff', 'customers.create', sampleCustomer())).customer.id;
  });
  after(async () => t.cleanup());

  test('needs a written justification of at least 20 characters', async () => {
    const missing = expectError(await t.try('staff', 'customers.open', { customerId, purpose: 'break_glass' }), 'INVALID_INPUT');
    assert.match(missing, /justification/);
    expectError(await t.try('staff', 'customers.open', { customerId, purpose: 'break_glass', justification: 'too short' }), 'INVALID_INPUT');
    expectError(await t.try('staff', 'customers.open', { customerId, purpose: 'break_glass', justification: `${'x'.repeat(25)}\u0007` }), 'INVALID_INPUT');
    // A justification on an ordinary purpose is refused rather than silently dropped.
    expectError(await t.try('staff', 'customers.open', { customerId, purpose: 'customer_support', justification: JUSTIFICATION }), 'INVALID_INPUT');
    assert.equal(await t.count('break_glass_reviews'), 0);
  });

  test('opens the record, audits record.view with purpose break_glass and queues a review', async () => {
    const record = await t.as('staff', 'customers.open', { customerId, purpose: 'break_glass', justification: JUSTIFICATION });
    assert.equal(record.purpose, 'break_glass');
    assert.equal(record.email, 'jane.doe@example.com');
    reviewId = record.breakGlassReviewId;
    assert.ok(reviewId);
    const events = await t.as('admin', 'audit.list', { action: 'record.view', limit: 1 });
    const [event] = events.events;
    assert.equal(event.details.purpose, 'break_glass');
    assert.equal(event.details.customerId, customerId);
    assert.equal(event.details.reviewId, reviewId);
    assert.equal(event.details.flagged, true);
    assert.ok(!JSON.stringify(event).includes('stolen'), 'the justification is not in the audit log');
  });

  test('staff cannot see or work the review queue', async () => {
    assert.match(expectError(await t.try('staff', 'breakglass.list', {}), 'FORBIDDEN'), /not permitted/);
    expectError(await t.try('staff', 'breakglass.review', { reviewId, decision: 'justified', note: 'fine' }), 'FORBIDDEN');
  });

  test('managers list pending reviews with the justification and who opened it', async () => {
    const { reviews, total } = await t.as('manager', 'breakglass.list', {});
    assert.equal(total, 1);
    assert.equal(reviews[0].id, reviewId);
    assert.equal(reviews[0].justification, JUSTIFICATION);
    assert.equal(reviews[0].openedBy, t.userId.staff);
    assert.equal(reviews[0].openedByName, 'Sam Staff');
    // Which record, masked exactly as the customer list shows it.
    assert.equal(reviews[0].customerId, customerId);
    assert.equal(reviews[0].customerDisplayName, 'Jane D.');
    const listed = (await t.as('manager', 'customers.list', {})).rows.find((r: { id: string }) => r.id === customerId);
    assert.equal(reviews[0].customerDisplayName, listed.displayName);
    assert.ok(!JSON.stringify(reviews).includes('Doe'), 'never the full name');
    assert.equal(reviews[0].status, 'pending');
  });

  test('mark justified with a note; audited; cannot be reviewed twice', async () => {
    const { review } = await t.as('manager', 'breakglass.review', { reviewId, decision: 'justified', note: 'Confirmed with the fraud team' });
    assert.equal(review.status, 'justified');
    assert.equal(review.reviewerId, t.userId.manager);
    assert.equal(review.reviewNote, 'Confirmed with the fraud team');
    assert.equal(review.customerDisplayName, 'Jane D.');
    assert.ok(review.reviewedAt);
    expectError(await t.try('manager2', 'breakglass.review', { reviewId, decision: 'escalated', note: 'again' }), 'CONFLICT');
    assert.equal((await t.as('manager', 'breakglass.list', {})).total, 0);
    assert.equal((await t.as('manager', 'breakglass.list', { status: 'justified' })).total, 1);
    const events = await t.as('admin', 'audit.list', { action: 'breakglass.reviewed' });
    const ok = events.events.find((e: { outcome: string }) => e.outcome === 'ok');
    assert.deepEqual(ok.details, { customerId, decision: 'justified', openedBy: t.userId.staff, reviewId });
    assert.ok(!JSON.stringify(events).includes('fraud team'));
  });

  test('escalate; and nobody reviews their own break-glass access', async () => {
    const own = await t.as('manager', 'customers.open', { customerId, purpose: 'break_glass', justification: JUSTIFICATION });
    const self = expectError(await t.try('manager', 'breakglass.review', { reviewId: own.breakGlassReviewId, decision: 'justified', note: 'me' }), 'FORBIDDEN');
    assert.match(self, /own/);
    const { review } = await t.as('manager2', 'breakglass.review', { reviewId: own.breakGlassReviewId, decision: 'escalated', note: 'Ask why not legal' });
    assert.equal(review.status, 'escalated');
    assert.equal(review.openedByName, 'Mia Manager');
    assert.equal(review.reviewerName, 'Max Manager');
  });

  test('auditors and IT administrators cannot break glass', async () => {
    for (const who of ['admin', 'auditor'] as const) {
      expectError(await t.try(who, 'customers.open', { customerId, purpose: 'break_glass', justification: JUSTIFICATION }), 'FORBIDDEN');
    }
  });
});
