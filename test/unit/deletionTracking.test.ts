import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, sampleCustomer, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Tracked {
  id: string;
  type: string;
  status: string;
  channel: string;
  receivedOn: string;
  linkedApprovalId: string | null;
  closedVia: string | null;
}

describe('deletions the customer asked for are tracked requests, closed by the approval', () => {
  let t: CustomerTestCore;
  before(async () => {
    t = await startCustomerCore();
  });
  after(async () => t.cleanup());

  const customer = async (email: string) => (await t.as('staff', 'customers.create', sampleCustomer({ email }))).customer.id as string;
  const tracked = async (customerId: string, state: 'open' | 'closed') =>
    (await t.as('manager', 'subjectRequests.list', { state, customerId })).requests as Tracked[];
  const fileDeletion = async (customerId: string, reason: string, channel: string) =>
    (await t.as('staff', 'erasure.file', { customerId, reason, channel })).request.id as string;

  test('a logged request is linked when its deletion is filed, and completed when a manager approves it', async () => {
    const id = await customer('asked.first@example.com');
    const receivedOn = day(t.clock.now() - 3 * DAY);
    const logged = (await t.as('staff', 'subjectRequests.open', { customerId: id, type: 'deletion', channel: 'email', receivedOn })).request as Tracked;
    const approvalId = await fileDeletion(id, 'customer_request', 'email');
    assert.equal((await tracked(id, 'open'))[0]!.linkedApprovalId, approvalId);
    await t.reauth('manager');
    await t.as('manager', 'erasure.decide', { id: approvalId, decision: 'approve' });
    const [closed] = await tracked(id, 'closed');
    assert.deepEqual([closed!.id, closed!.status, closed!.closedVia, closed!.receivedOn], [logged.id, 'completed', 'approval', receivedOn]);
  });

  test('filed without a logged request: one is logged, received today through the same channel; a denial refuses it', async () => {
    const id = await customer('asked.second@example.com');
    const approvalId = await fileDeletion(id, 'customer_request', 'phone');
    const [opened] = await tracked(id, 'open');
    assert.deepEqual([opened!.type, opened!.channel, opened!.receivedOn, opened!.linkedApprovalId], ['deletion', 'phone', day(t.clock.now()), approvalId]);
    await t.reauth('manager');
    await t.as('manager', 'erasure.decide', { id: approvalId, decision: 'deny', reason: 'The caller could not prove who they are' });
    const [closed] = await tracked(id, 'closed');
    assert.deepEqual([closed!.status, closed!.closedVia], ['refused', 'approval']);
  });

  test('a deletion for another reason (no longer a client) is not a customer request: nothing is logged', async () => {
    const id = await customer('lapsed.client@example.com');
    await fileDeletion(id, 'no_longer_uses', 'letter');
    assert.deepEqual(await tracked(id, 'open'), []);
  });

  test('a minor’s deletion takes over the customer’s open request: approving it completes that request', async () => {
    const id = await customer('asked.minor@example.com');
    const logged = (await t.as('staff', 'subjectRequests.open', { customerId: id, type: 'deletion', channel: 'letter', receivedOn: day(t.clock.now()) })).request as Tracked;
    const { case: found } = await t.as('staff', 'minors.reportAsMinor', { customerId: id, channel: 'parent_or_guardian' });
    assert.equal((await tracked(id, 'open'))[0]!.linkedApprovalId, found.deletionRequestId);
    await t.reauth('manager');
    await t.as('manager', 'erasure.decide', { id: found.deletionRequestId, decision: 'approve' });
    const [closed] = await tracked(id, 'closed');
    assert.deepEqual([closed!.id, closed!.status], [logged.id, 'completed']);
  });

  test('retention skips a closed customer whose request is still open, saying why', async () => {
    const waiting = await customer('closed.waiting@example.com');
    const due = await customer('closed.due@example.com');
    for (const id of [waiting, due]) await t.as('staff', 'customers.setStatus', { customerId: id, status: 'closed' });
    await t.as('staff', 'subjectRequests.open', { customerId: waiting, type: 'access', channel: 'letter', receivedOn: day(t.clock.now()) });
    t.clock.advance(91 * DAY);
    // Three idle months lock the session first.
    await t.as('manager', 'session.unlock', { password: PASSWORD });
    const { candidates } = await t.as('manager', 'erasure.retention', {});
    const skip = (id: string) => candidates.find((c: { customerId: string }) => c.customerId === id)?.skip;
    assert.equal(skip(waiting), 'open_request');
    assert.equal(skip(due), null);
  });
});
