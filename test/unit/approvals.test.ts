import assert from 'node:assert/strict';
import { CUSTOMER_KEYS } from '../../main/features/customers/customerStore.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { clockFrom } from '../../main/platform/clock.std.ts';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import type { Core } from '../../main/core.contract.std.ts';
import { openCore } from '../../main/core.node.ts';
import { ApprovalKinds, type ApprovalKind } from '../../main/features/approvals/approvalKinds.node.ts';
import { ApprovalService } from '../../main/features/approvals/approvalService.node.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { AppError } from '../../main/platform/ipc/errors.std.ts';
import { type Db } from '../../main/platform/store/database.node.ts';
import { ADMIN, FAST_PASSWORDS } from '../support/core.ts';
import { expectError, PASSWORD, sampleCustomer, startCustomerCore, USERS, type CustomerTestCore } from '../support/customers.ts';
import { appFiles, plaintextHits } from '../support/plaintextScan.ts';

const HOUR = 3_600_000;
const HOOK_PREFIX = 'approval_hook:';

/**
 * Test kinds only: no production kind exists yet. "test.disclosure" is decided by managers (customers.legal),
 * "test.account" by IT administrators (accounts.manage). The disclosure hook writes a marker row in the same
 * transaction, or throws when asked to.
 */
const disclosurePayload = z.object({ recipientId: z.string().uuid(), mode: z.enum(['ok', 'explode']) }).strict();
const disclosure: ApprovalKind<typeof disclosurePayload> = {
  name: 'test.disclosure',
  label: 'Test disclosure',
  permission: 'customers.legal',
  payload: disclosurePayload,
  expiresInMs: 24 * HOUR,
  async onApproved(q, request) {
    await q('meta').insert({ key: `${HOOK_PREFIX}${request.id}`, value: request.payload.mode });
    if (request.payload.mode === 'explode') throw new AppError('CONFLICT', 'The disclosure could not be prepared.');
  },
  async subjectLabels(_q, ids) {
    return new Map(ids.map((id) => [id, 'Subject S.']));
  },
};
const account: ApprovalKind = {
  name: 'test.account',
  label: 'Test account change',
  permission: 'accounts.manage',
  payload: z.object({ role: z.enum(['staff', 'manager']) }).strict(),
  expiresInMs: HOUR,
};
/** A request about a customer: its reasons live under that customer's key. */
const erasure: ApprovalKind = {
  name: 'test.erasure',
  label: 'Test erasure',
  permission: 'customers.legal',
  payload: z.object({}).strict(),
  expiresInMs: HOUR,
  subjectIsCustomer: true,
};
const KINDS: ApprovalKind[] = [disclosure, account, erasure];
const kindsRegistry = () => KINDS.reduce((r, k) => r.register(k), new ApprovalKinds());

const REQUEST_REASON = 'Court order 7781-Q about Quentin Zyxwardle';
const DENY_REASON = 'Order names Quentin Zyxwardle but the address differs';

describe('approvals (four eyes)', () => {
  let t: CustomerTestCore;
  let side: Db;
  let service: ApprovalService;
  const subjectId = randomUUID();

  const file = (who: keyof typeof USERS | 'admin', overrides: Partial<{ kind: string; payload: unknown; reason: string }> = {}) =>
    service.request(side, {
      kind: 'test.disclosure',
      subjectId,
      requesterId: t.userId[who],
      reason: REQUEST_REASON,
      payload: { recipientId: randomUUID(), mode: 'ok' },
      ...overrides,
    });
  const statusOf = async (id: string) => (await side('approvals').where({ id }).first<{ status: string }>())!.status;
  const hookRan = async (id: string) => (await side('meta').where({ key: `${HOOK_PREFIX}${id}` }).first()) !== undefined;

  before(async () => {
    t = await startCustomerCore({ approvalKinds: KINDS });
    // Requests are filed by the features that own a kind (none yet), so the test files them through the service
    // on its own connection to the same file.
    side = t.openDb();
    const ring = await unlockKeyRing(side, t.vault, new Date().toISOString());
    service = new ApprovalService(() => ring, clockFrom(t.clock.now), kindsRegistry(), new SubjectKeys(() => ring, CUSTOMER_KEYS));
  });
  after(async () => {
    await side.destroy();
    await t.cleanup();
  });

  test('a request is queued for those who may decide it, and shown to its requester', async () => {
    const filed = await file('staff');
    assert.equal(filed.status, 'pending');
    const mine = await t.as('staff', 'approvals.list', {});
    const asRequester = mine.pending.find((a: { id: string }) => a.id === filed.id);
    assert.equal(asRequester.canWithdraw, true);
    assert.equal(asRequester.canDecide, false);

    const { pending } = await t.as('manager', 'approvals.list', {});
    const queued = pending.find((a: { id: string }) => a.id === filed.id);
    assert.equal(queued.kind, 'test.disclosure');
    assert.equal(queued.kindLabel, 'Test disclosure');
    assert.equal(queued.subjectLabel, 'Subject S.');
    assert.equal(queued.requesterName, 'Sam Staff');
    assert.equal(queued.requestReason, REQUEST_REASON);
    assert.equal(queued.canDecide, true);
    assert.equal(queued.canWithdraw, false);
    assert.equal(queued.payload.mode, 'ok');

    // Auditors and IT administrators hold no customers.legal: they do not see the disclosure queue.
    for (const who of ['auditor', 'admin'] as const) {
      const seen = await t.as(who, 'approvals.list', {});
      assert.equal(seen.pending.some((a: { id: string }) => a.id === filed.id), false, who);
    }
    const events = await t.as('admin', 'audit.list', { action: 'approvals.listed', limit: 1 });
    assert.ok(!JSON.stringify(events).includes('Zyxwardle'));
  });

  test('approve: one decision by someone else, the hook runs in the same transaction, audited without reasons', async () => {
    const filed = await file('staff');
    await t.reauth('manager');
    const { approval } = await t.as('manager', 'approvals.decide', { id: filed.id, decision: 'approve' });
    assert.equal(approval.status, 'approved');
    assert.equal(approval.deciderId, t.userId.manager);
    assert.equal(approval.deciderName, 'Mia Manager');
    assert.equal(approval.decisionReason, null);
    assert.ok(approval.decidedAt);
    assert.equal(approval.canDecide, false);
    assert.ok(await hookRan(filed.id));
    const again = expectError(await t.try('manager2', 'approvals.decide', { id: filed.id, decision: 'deny', reason: DENY_REASON }), 'CONFLICT');
    assert.match(again, /already approved/);

    const { events } = await t.as('admin', 'audit.list', { action: 'approval.decided' });
    const ok = events.find((e: { outcome: string; details: { approvalId: string } }) => e.outcome === 'ok' && e.details.approvalId === filed.id);
    assert.deepEqual(ok.details, { approvalId: filed.id, decision: 'approve', kind: 'test.disclosure', requesterId: t.userId.staff, subjectId });
    const failed = events.find((e: { outcome: string; details: { approvalId: string } }) => e.outcome === 'failed' && e.details.approvalId === filed.id);
    assert.equal(failed.details.code, 'CONFLICT');
    const { recent } = await t.as('manager2', 'approvals.list', {});
    assert.equal(recent.find((a: { id: string }) => a.id === filed.id)?.status, 'approved');
  });

  test('deny needs a reason; the reason is kept encrypted and shown to those who may see the request', async () => {
    const filed = await file('staff');
    await t.reauth('manager');
    const missing = expectError(await t.try('manager', 'approvals.decide', { id: filed.id, decision: 'deny' }), 'INVALID_INPUT');
    assert.match(missing, /reason/);
    expectError(await t.try('manager', 'approvals.decide', { id: filed.id, decision: 'deny', reason: 'no' }), 'INVALID_INPUT');
    await assert.rejects(
      service.decide(side, { id: filed.id, deciderId: t.userId.manager, deciderRole: 'manager', decision: 'deny', reason: null }),
      (e: AppError) => e.code === 'INVALID_INPUT',
    );
    assert.equal(await statusOf(filed.id), 'pending');
    const { approval } = await t.as('manager', 'approvals.decide', { id: filed.id, decision: 'deny', reason: DENY_REASON });
    assert.equal(approval.status, 'denied');
    assert.equal(approval.decisionReason, DENY_REASON);
    assert.equal(await hookRan(filed.id), false, 'a denial runs no hook');
    const mine = await t.as('staff', 'approvals.list', {});
    assert.equal(mine.recent.find((a: { id: string }) => a.id === filed.id)?.decisionReason, DENY_REASON);
  });

  test('nobody decides their own request', async () => {
    const filed = await file('manager');
    await t.reauth('manager');
    const message = expectError(await t.try('manager', 'approvals.decide', { id: filed.id, decision: 'approve' }), 'FORBIDDEN');
    assert.match(message, /your own request/);
    await assert.rejects(
      service.decide(side, { id: filed.id, deciderId: t.userId.manager, deciderRole: 'manager', decision: 'approve' }),
      (e: AppError) => e.code === 'FORBIDDEN',
    );
    assert.equal(await statusOf(filed.id), 'pending');
    const listed = (await t.as('manager', 'approvals.list', {})).pending.find((a: { id: string }) => a.id === filed.id);
    assert.equal(listed.canDecide, false);
  });

  test('the decider must hold the kind\'s permission as well as approvals.decide', async () => {
    const disclosureRequest = await file('staff');
    await t.reauth('admin');
    // IT administrators hold approvals.decide but not customers.legal.
    assert.match(expectError(await t.try('admin', 'approvals.decide', { id: disclosureRequest.id, decision: 'approve' }), 'FORBIDDEN'), /not permitted/);
    // Staff hold neither: the router refuses before the service.
    expectError(await t.try('staff2', 'approvals.decide', { id: disclosureRequest.id, decision: 'approve' }), 'FORBIDDEN');
    const accountRequest = await file('staff', { kind: 'test.account', payload: { role: 'manager' } });
    await t.reauth('manager');
    expectError(await t.try('manager', 'approvals.decide', { id: accountRequest.id, decision: 'approve' }), 'FORBIDDEN');
    assert.equal(await statusOf(disclosureRequest.id), 'pending');
    assert.equal(await statusOf(accountRequest.id), 'pending');
    const { approval } = await t.as('admin', 'approvals.decide', { id: accountRequest.id, decision: 'approve' });
    assert.equal(approval.status, 'approved');
    expectError(await t.try('manager', 'approvals.decide', { id: randomUUID(), decision: 'approve' }), 'NOT_FOUND');
  });

  test('deciding needs a fresh password re-entry', async () => {
    const filed = await file('staff');
    // Past the re-entry window, within the idle lock.
    t.clock.advance(6 * 60_000);
    await t.as('manager', 'session.activity', {});
    expectError(await t.try('manager', 'approvals.decide', { id: filed.id, decision: 'approve' }), 'REAUTH_REQUIRED');
    assert.equal(await statusOf(filed.id), 'pending');
  });

  test('withdraw: only the requester, only while pending', async () => {
    const filed = await file('staff');
    assert.match(expectError(await t.try('staff2', 'approvals.withdraw', { id: filed.id }), 'FORBIDDEN'), /made a request/);
    const { approval } = await t.as('staff', 'approvals.withdraw', { id: filed.id });
    assert.equal(approval.status, 'withdrawn');
    assert.equal(approval.canWithdraw, false);
    assert.match(expectError(await t.try('staff', 'approvals.withdraw', { id: filed.id }), 'CONFLICT'), /already withdrawn/);
    await t.reauth('manager');
    assert.match(expectError(await t.try('manager', 'approvals.decide', { id: filed.id, decision: 'approve' }), 'CONFLICT'), /withdrawn/);
    const decided = await file('staff');
    await t.as('manager', 'approvals.decide', { id: decided.id, decision: 'approve' });
    expectError(await t.try('staff', 'approvals.withdraw', { id: decided.id }), 'CONFLICT');
    const { events } = await t.as('admin', 'audit.list', { action: 'approval.withdrawn' });
    assert.deepEqual(events.find((e: { outcome: string }) => e.outcome === 'ok').details, { approvalId: filed.id, kind: 'test.disclosure', subjectId });
  });

  test('bad requests are refused with INVALID_INPUT and nothing is stored', async () => {
    const before = await t.count('approvals');
    const bad: [string, Parameters<typeof file>[1]][] = [
      ['unknown kind', { kind: 'test.nope' }],
      ['extra payload field', { payload: { recipientId: randomUUID(), mode: 'ok', note: 'Quentin' } }],
      ['payload id not a uuid', { payload: { recipientId: 'Quentin Zyxwardle', mode: 'ok' } }],
      ['payload enum out of range', { payload: { recipientId: randomUUID(), mode: 'other' } }],
      ['payload not an object', { payload: 'text' }],
      ['reason missing', { reason: '' }],
      ['reason too short', { reason: 'short' }],
      ['reason with control characters', { reason: `${REQUEST_REASON}\u0007` }],
    ];
    for (const [label, overrides] of bad) {
      await assert.rejects(file('staff', overrides), (e: AppError) => e instanceof AppError && e.code === 'INVALID_INPUT', label);
    }
    await assert.rejects(service.request(side, { kind: 'test.disclosure', subjectId: 'x', requesterId: t.userId.staff, reason: REQUEST_REASON, payload: { recipientId: randomUUID(), mode: 'ok' } }), (e: AppError) => e.code === 'INVALID_INPUT');
    assert.equal(await t.count('approvals'), before);
  });

  test('a kind whose payload could carry free text, or is not strict, cannot be registered', () => {
    const base = { label: 'x', permission: 'customers.legal', expiresInMs: HOUR } as const;
    assert.throws(() => new ApprovalKinds().register({ ...base, name: 'test.text', payload: z.object({ note: z.string() }).strict() }), /uuid/);
    assert.throws(() => new ApprovalKinds().register({ ...base, name: 'test.loose', payload: z.object({ id: z.string().uuid() }) }), /strict/);
    assert.throws(() => new ApprovalKinds().register({ ...base, name: 'test.any', payload: z.object({ x: z.any() }).strict() }), /ids, enums/);
    assert.throws(() => new ApprovalKinds().register({ ...base, name: 'Bad Name', payload: z.object({}).strict() }), /lower-case/);
    assert.throws(() => kindsRegistry().register(disclosure), /twice/);
    assert.doesNotThrow(() =>
      new ApprovalKinds().register({
        ...base,
        name: 'test.ok',
        payload: z.object({ ids: z.array(z.string().uuid()), n: z.number().int(), on: z.boolean().optional(), k: z.literal('a').nullable() }).strict(),
      }),
    );
  });

  test('a failing onApproved hook rolls the approval back: still pending, no side effect', async () => {
    const filed = await file('staff', { payload: { recipientId: randomUUID(), mode: 'explode' } });
    await t.reauth('manager');
    expectError(await t.try('manager', 'approvals.decide', { id: filed.id, decision: 'approve' }), 'CONFLICT');
    assert.equal(await statusOf(filed.id), 'pending');
    assert.equal(await hookRan(filed.id), false, 'the hook\'s own write was rolled back');
    // Same through the service on a plain connection: it opens its own transaction.
    await assert.rejects(service.decide(side, { id: filed.id, deciderId: t.userId.manager2, deciderRole: 'manager', decision: 'approve' }));
    assert.equal(await statusOf(filed.id), 'pending');
    assert.equal(await hookRan(filed.id), false);
    const { approval } = await t.as('manager', 'approvals.decide', { id: filed.id, decision: 'deny', reason: DENY_REASON });
    assert.equal(approval.status, 'denied');
  });

  test('two managers deciding at once on one core: exactly one wins', async () => {
    await t.reauth('manager');
    await t.reauth('manager2');
    for (let i = 0; i < 5; i += 1) {
      const filed = await file('staff');
      const results = await Promise.all([
        t.try('manager', 'approvals.decide', { id: filed.id, decision: 'approve' }),
        t.try('manager2', 'approvals.decide', { id: filed.id, decision: 'deny', reason: DENY_REASON }),
      ]);
      assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(results));
      const lost = results.find((r) => !r.ok)!;
      assert.equal(lost.ok ? null : lost.error.code, 'CONFLICT');
      const winner = results.find((r) => r.ok)!;
      assert.equal(await statusOf(filed.id), winner.ok ? (winner.value as { approval: { status: string } }).approval.status : null);
    }
  });

  test('two managers deciding at once on two cores (two connections to one file): exactly one wins', async () => {
    const other: Core = await openCore({ dataDir: t.dataDir, vault: t.vault, passwordCost: FAST_PASSWORDS, clock: t.clock, approvalKinds: KINDS, database: t.database });
    try {
      const caller = { senderId: 'other-window', trusted: true as const };
      const login = await other.handle(caller, 'session.login', { username: USERS.manager2.username, password: PASSWORD });
      assert.ok(login.ok);
      await t.reauth('manager');
      for (let i = 0; i < 5; i += 1) {
        const filed = await file('staff');
        const results = await Promise.all([
          t.try('manager', 'approvals.decide', { id: filed.id, decision: 'approve' }),
          other.handle(caller, 'approvals.decide', { id: filed.id, decision: 'deny', reason: DENY_REASON }),
        ]);
        assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(results));
        const lost = results.find((r) => !r.ok)!;
        assert.equal(lost.ok ? null : lost.error.code, 'CONFLICT');
      }
    } finally {
      await other.close();
    }
  });

  test('two connections deciding through the service at once: exactly one wins, the loser changes nothing', async () => {
    const second = t.openDb();
    try {
      const ring = await unlockKeyRing(second, t.vault, new Date().toISOString());
      const secondService = new ApprovalService(() => ring, clockFrom(t.clock.now), kindsRegistry(), new SubjectKeys(() => ring, CUSTOMER_KEYS));
      for (let i = 0; i < 5; i += 1) {
        const filed = await file('staff');
        const results = await Promise.allSettled([
          service.decide(side, { id: filed.id, deciderId: t.userId.manager, deciderRole: 'manager', decision: 'approve' }),
          secondService.decide(second, { id: filed.id, deciderId: t.userId.manager2, deciderRole: 'manager', decision: 'deny', reason: DENY_REASON }),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1);
        const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        assert.equal((lost.reason as AppError).code, 'CONFLICT');
        const row = await side('approvals').where({ id: filed.id }).first<{ status: string; decider_id: string }>();
        const winner = (won[0] as PromiseFulfilledResult<{ status: string; deciderId: string }>).value;
        assert.deepEqual([row!.status, row!.decider_id], [winner.status, winner.deciderId]);
        assert.equal(await hookRan(filed.id), winner.status === 'approved');
      }
    } finally {
      await second.destroy();
    }
  });

  test('reasons never reach the database file, WAL or logs in clear', async () => {
    await file('staff');
    const hits = plaintextHits(appFiles(t.dataDir), ['Zyxwardle', 'Court order 7781-Q', 'address differs']);
    assert.deepEqual(hits, []);
  });

  test('expiry: an expired request cannot be decided or withdrawn, and the list marks it expired', async () => {
    const filed = await file('staff');
    t.clock.advance(25 * HOUR);
    // A day later every session has idle-locked: unlocking is also the password re-entry.
    for (const who of ['manager', 'staff', 'admin'] as const) await t.as(who, 'session.unlock', { password: who === 'admin' ? ADMIN.password : PASSWORD });
    assert.match(expectError(await t.try('manager', 'approvals.decide', { id: filed.id, decision: 'approve' }), 'CONFLICT'), /expired/);
    assert.match(expectError(await t.try('staff', 'approvals.withdraw', { id: filed.id }), 'CONFLICT'), /expired/);
    assert.equal(await statusOf(filed.id), 'pending', 'not yet swept');
    const { pending, recent } = await t.as('manager', 'approvals.list', { recentLimit: 200 });
    assert.equal(pending.some((a: { id: string }) => a.id === filed.id), false);
    const expired = recent.find((a: { id: string }) => a.id === filed.id);
    assert.equal(expired.status, 'expired');
    assert.equal(expired.deciderId, null);
    assert.equal(await statusOf(filed.id), 'expired');
    assert.deepEqual(await service.expireDue(side), []);
    const { events } = await t.as('admin', 'audit.list', { action: 'approvals.listed', limit: 1 });
    assert.ok(events[0].details.expired >= 1);
  });
  test("a request about a customer keeps its reasons under the customer's key: re-pointed it cannot be decided, erased it lists without them", async () => {
    const customerId = (await t.as('staff', 'customers.create', sampleCustomer({ email: 'erasure.subject@example.com' }))).customer.id as string;
    const other = (await t.as('staff', 'customers.create', sampleCustomer({ email: 'erasure.other@example.com' }))).customer.id as string;
    const filed = await service.request(side, { kind: 'test.erasure', subjectId: customerId, requesterId: t.userId.staff, reason: REQUEST_REASON, payload: {} });
    const stored = await side('approvals').where({ id: filed.id }).first<{ dek: Buffer }>('dek');
    assert.equal(stored.dek[0], 0x03, 'wrapped by the customer key');
    const queued = (await t.as('manager', 'approvals.list', {})).pending.find((a: { id: string }) => a.id === filed.id);
    assert.equal(queued.requestReason, REQUEST_REASON);

    await side('approvals').where({ id: filed.id }).update({ subject_id: other });
    await t.reauth('manager');
    const retargeted = await t.try('manager', 'approvals.decide', { id: filed.id, decision: 'approve' });
    assert.equal(retargeted.ok, false, 'a re-pointed request does not open, so it cannot be approved');
    assert.equal(await statusOf(filed.id), 'pending');
    await side('approvals').where({ id: filed.id }).update({ subject_id: customerId });

    const ring = await unlockKeyRing(side, t.vault, new Date().toISOString());
    await new SubjectKeys(() => ring, CUSTOMER_KEYS).destroy(side, customerId);
    const afterErasure = (await t.as('manager', 'approvals.list', {})).pending.find((a: { id: string }) => a.id === filed.id);
    assert.match(afterErasure.requestReason, /erased/);
    assert.equal(afterErasure.kind, 'test.erasure', 'the request itself stays as evidence');
  });
});
