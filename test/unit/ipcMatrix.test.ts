import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CHANNEL_NAMES, type ChannelName } from '../../main/api.std.ts';
import { ROLES, type Role } from '../../main/platform/ipc/roles.std.ts';
import { ADMIN, startCore, type TestCore } from '../support/core.ts';
import { sampleCustomer, sampleOrder } from '../support/customers.ts';
import { tableCounts } from '../support/snapshot.ts';

type Who = Role | 'none';
const EVERYONE: Who[] = ['none', ...ROLES];
const SIGNED_IN: Who[] = [...ROLES];
const STAFF_AND_MANAGERS: Who[] = ['staff', 'manager'];

/**
 * Written out by hand, not derived from the permission table, so a change to who may do what fails here
 * until someone decides it on purpose. A channel missing from this table fails the suite.
 */
const EXPECTED: Record<ChannelName, { allowed: Who[]; sample: () => unknown }> = {
  'session.status': { allowed: EVERYONE, sample: () => ({}) },
  'session.setup': { allowed: EVERYONE, sample: () => ({ username: 'late.setup', displayName: 'Late', password: 'another long passphrase' }) },
  'session.login': { allowed: EVERYONE, sample: () => ({ username: 'nobody.here', password: 'wrong' }) },
  'session.logout': { allowed: SIGNED_IN, sample: () => ({}) },
  'session.lock': { allowed: SIGNED_IN, sample: () => ({}) },
  'session.unlock': { allowed: SIGNED_IN, sample: () => ({ password: PASSWORD }) },
  'session.reauthenticate': { allowed: SIGNED_IN, sample: () => ({ password: PASSWORD }) },
  'session.activity': { allowed: SIGNED_IN, sample: () => ({}) },
  // Everyone may change their own password; a wrong current one is answered (INVALID_CREDENTIALS), not refused.
  'session.changePassword': { allowed: SIGNED_IN, sample: () => ({ currentPassword: 'not the current one', newPassword: 'a new long passphrase' }) },
  'accounts.list': { allowed: ['it_admin', 'auditor'], sample: () => ({}) },
  'accounts.create': {
    allowed: ['it_admin'],
    sample: () => ({ username: `u${randomUUID().slice(0, 8)}`, displayName: 'New Person', role: 'staff', password: 'a long enough passphrase' }),
  },
  'accounts.update': { allowed: ['it_admin'], sample: () => ({ id: ids.staff, displayName: 'Renamed Staff' }) },
  // A reset makes a one-time code: aimed at an account no other row of this table signs in with.
  'accounts.resetPassword': { allowed: ['it_admin'], sample: () => ({ id: ids.target }) },
  'audit.list': { allowed: ['it_admin', 'auditor'], sample: () => ({ limit: 5 }) },
  'audit.verify': { allowed: ['it_admin', 'auditor'], sample: () => ({}) },
  'audit.exportHead': { allowed: ['it_admin', 'auditor'], sample: () => ({}) },
  'audit.verifyHead': {
    allowed: ['it_admin', 'auditor'],
    // A well-formed head file of another database: answered with ok: false, not an error.
    sample: () => ({
      file: JSON.stringify({ format: 'itpc-audit-head/1', installId: 'other', seq: 1, hash: 'a'.repeat(64), at: '2026-01-01T00:00:00.000Z', keyVersion: 1, signed: 'x', publicKey: 'x', signature: 'x' }),
    }),
  },
  'settings.get': { allowed: ['it_admin'], sample: () => ({}) },
  'settings.update': { allowed: ['it_admin'], sample: () => ({ idleLockMinutes: 10, retentionDays: 365, requestDeadlineDays: 30 }) },
  // Customer records: staff and managers only; IT and auditors never see customer PII.
  'customers.search': { allowed: STAFF_AND_MANAGERS, sample: () => ({ by: 'email', value: 'jane.doe@example.com' }) },
  'customers.list': { allowed: STAFF_AND_MANAGERS, sample: () => ({ limit: 10 }) },
  'customers.open': { allowed: STAFF_AND_MANAGERS, sample: () => ({ customerId: ids.customer, purpose: 'customer_support' }) },
  'customers.create': { allowed: STAFF_AND_MANAGERS, sample: () => sampleCustomer({ email: `m${randomUUID().slice(0, 8)}@example.com` }) },
  'customers.correct': {
    allowed: STAFF_AND_MANAGERS,
    sample: () => ({ customerId: ids.customer, changes: { phone: '+44 20 7946 0999' }, reason: 'Customer called', source: 'customer_request' }),
  },
  'customers.corrections': { allowed: STAFF_AND_MANAGERS, sample: () => ({ customerId: ids.customer }) },
  'customers.setConsent': {
    allowed: STAFF_AND_MANAGERS,
    sample: () => ({ customerId: ids.customer, purpose: 'newsletter', granted: true, channel: 'phone' }),
  },
  'customers.setStatus': { allowed: STAFF_AND_MANAGERS, sample: () => ({ customerId: ids.customer, status: 'active' }) },
  'customers.importPreview': { allowed: ['manager'], sample: () => ({ csv: 'email\nx@example.com\n' }) },
  'customers.importRun': { allowed: ['manager'], sample: () => ({ taskId: randomUUID(), csv: 'email\nx@example.com\n', mapping: { email: 'email' }, dryRun: true }) },
  'customers.importCancel': { allowed: ['manager'], sample: () => ({ taskId: randomUUID() }) },
  'orders.create': { allowed: STAFF_AND_MANAGERS, sample: () => sampleOrder(ids.customer) },
  'orders.revealCard': { allowed: ['manager'], sample: () => ({ orderId: ids.order, reason: 'Chargeback dispute with the bank' }) },
  'orders.resendLicence': { allowed: STAFF_AND_MANAGERS, sample: () => ({ orderId: ids.order, itemId: ids.licenceItem }) },
  'breakglass.list': { allowed: ['manager'], sample: () => ({}) },
  'breakglass.review': { allowed: ['manager'], sample: () => ({ reviewId: ids.review, decision: 'justified', note: 'Confirmed with the team lead' }) },
  // Approvals: anyone signed in sees their own requests (and the kinds they may decide) and withdraws their own;
  // deciding needs approvals.decide plus the kind's own permission (checked by the service).
  'approvals.list': { allowed: SIGNED_IN, sample: () => ({}) },
  'approvals.decide': { allowed: ['manager', 'it_admin'], sample: () => ({ id: randomUUID(), decision: 'deny', reason: 'Not enough evidence attached' }) },
  'approvals.withdraw': { allowed: SIGNED_IN, sample: () => ({ id: randomUUID() }) },
  // This workstation's database connection and enrolment packages: IT only (save and create also need re-entry).
  'workstation.connection.get': { allowed: ['it_admin'], sample: () => ({}) },
  'workstation.connection.save': { allowed: ['it_admin'], sample: () => ({ connection: { engine: 'sqlite' } }) },
  'workstation.connection.test': { allowed: ['it_admin'], sample: () => ({ connection: { engine: 'sqlite' } }) },
  'workstation.enrolment.create': { allowed: ['it_admin'], sample: () => ({ expiresInHours: 24 }) },
  // The recovery screen's channels are public: on an open console status says `open` and enrol refuses (CONFLICT).
  'workstation.recovery.status': { allowed: EVERYONE, sample: () => ({}) },
  'workstation.recovery.enrol': { allowed: EVERYONE, sample: () => ({ packageText: '{}', passphrase: 'not a real passphrase' }) },
};

const PASSWORD = 'matrix test passphrase';
const ids: Record<Role | 'target' | 'customer' | 'order' | 'licenceItem' | 'review', string> = {
  staff: '', manager: '', it_admin: '', auditor: '', target: '', customer: '', order: '', licenceItem: '', review: '',
};
const DENIED = new Set(['FORBIDDEN', 'NOT_AUTHENTICATED']);
let t: TestCore;
let window = 0;

async function signIn(who: Who): Promise<string> {
  const senderId = `matrix-${(window += 1)}`;
  if (who !== 'none') await t.call('session.login', { username: `matrix.${who}`, password: PASSWORD }, senderId);
  return senderId;
}

before(async () => {
  t = await startCore();
  await t.call('session.setup', ADMIN);
  for (const role of ROLES) {
    const account = await t.call<{ id: string }>('accounts.create', { username: `matrix.${role}`, displayName: `Matrix ${role}`, role, password: PASSWORD });
    ids[role] = account.id;
  }
  ids.target = (await t.call<{ id: string }>('accounts.create', { username: 'matrix.target', displayName: 'Reset Target', role: 'staff', password: PASSWORD })).id;
  const staffWindow = await signIn('staff');
  ids.customer = (await t.call<{ customer: { id: string } }>('customers.create', sampleCustomer(), staffWindow)).customer.id;
  const { order } = await t.call<{ order: { id: string; items: { id: string; kind: string }[] } }>('orders.create', sampleOrder(ids.customer), staffWindow);
  ids.order = order.id;
  ids.licenceItem = order.items.find((item) => item.kind === 'licence')!.id;
  const glass = await t.call<{ breakGlassReviewId: string }>(
    'customers.open',
    { customerId: ids.customer, purpose: 'break_glass', justification: 'Customer on the phone about an unlisted matter' },
    staffWindow,
  );
  ids.review = glass.breakGlassReviewId;
});
after(() => t.cleanup());

describe('every channel × every role', () => {
  test('every channel has a hand-written expectation', () => {
    assert.deepEqual(CHANNEL_NAMES.filter((c) => !(c in EXPECTED)), []);
  });

  for (const channel of CHANNEL_NAMES) {
    for (const who of EVERYONE) {
      test(`${channel} as ${who}`, async () => {
        const expectation = EXPECTED[channel];
        assert.ok(expectation, `no expectation for ${channel}`);
        const senderId = await signIn(who);
        const before = await tableCounts(t);
        const result = await t.core.handle(t.caller(senderId), channel, expectation.sample());
        const refused = !result.ok && DENIED.has(result.error.code);
        assert.equal(!refused, expectation.allowed.includes(who), `result: ${JSON.stringify(result).slice(0, 200)}`);
        if (refused) {
          const after = await tableCounts(t);
          // A refusal changes nothing but the audit trail of the refusal itself.
          assert.deepEqual({ ...after, audit_events: 0 }, { ...before, audit_events: 0 });
        }
      });
    }
  }
});

describe('malformed payloads', () => {
  const BAD: [string, (sample: unknown) => unknown][] = [
    ['null', () => null],
    ['a string', () => 'text'],
    ['an array', () => []],
    ['an extra field', (s) => ({ ...(s as object), unexpected: 'value' })],
    ['a prototype key', (s) => JSON.parse(`{"__proto__": {"role": "it_admin"}, ${JSON.stringify(s).slice(1)}`.replace(/, }$/, '}'))],
  ];
  for (const channel of CHANNEL_NAMES) {
    test(`${channel} refuses malformed payloads and changes nothing`, async () => {
      const senderId = await signIn('it_admin');
      const before = await tableCounts(t);
      for (const [label, make] of BAD) {
        const payload = make(EXPECTED[channel].sample());
        if (label === 'a prototype key' && Object.keys(payload as object).length === 0) continue;
        const result = await t.core.handle(t.caller(senderId), channel, payload);
        assert.equal(result.ok, false, `${label} accepted`);
        if (!result.ok) {
          assert.equal(result.error.code, 'INVALID_INPUT', `${label}: ${result.error.code}`);
          assert.doesNotMatch(result.error.message, /value|text|it_admin/i, 'the message does not echo input');
        }
      }
      assert.deepEqual(await tableCounts(t), before);
    });
  }
});

describe('transport checks', () => {
  test('an untrusted sender is refused before anything else', async () => {
    const result = await t.core.handle({ senderId: 'x', trusted: false }, 'session.status', {});
    assert.deepEqual(result, { ok: false, error: { code: 'UNTRUSTED_SENDER', message: 'This request did not come from the app window.' } });
  });

  test('unknown and prototype channel names are refused', async () => {
    for (const name of ['nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '']) {
      const result = await t.core.handle(t.caller(), name, {});
      assert.equal(result.ok ? 'ok' : result.error.code, 'UNKNOWN_CHANNEL', name);
    }
  });

  test('a locked session may only unlock or sign out', async () => {
    const senderId = await signIn('it_admin');
    await t.call('session.lock', {}, senderId);
    const blocked = await t.core.handle(t.caller(senderId), 'accounts.list', {});
    assert.equal(blocked.ok ? 'ok' : blocked.error.code, 'SESSION_LOCKED');
    await t.call('session.unlock', { password: PASSWORD }, senderId);
    assert.equal((await t.core.handle(t.caller(senderId), 'accounts.list', {})).ok, true);
  });
});
