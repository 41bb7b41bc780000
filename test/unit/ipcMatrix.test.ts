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
  'audit.actions': { allowed: ['it_admin', 'auditor'], sample: () => ({}) },
  'audit.export': { allowed: ['it_admin', 'auditor'], sample: () => ({ outcome: 'denied', from: '2026-01-01' }) },
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
  'settings.managed': { allowed: ['it_admin'], sample: () => ({}) },
  // Customer records: staff and managers only; IT and auditors never see customer PII.
  'customers.search': { allowed: STAFF_AND_MANAGERS, sample: () => ({ by: 'email', value: 'jane.doe@example.com' }) },
  'customers.list': { allowed: STAFF_AND_MANAGERS, sample: () => ({ limit: 10, order: 'oldest' }) },
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
  'minors.reportAsMinor': { allowed: STAFF_AND_MANAGERS, sample: () => ({ customerId: ids.reportedMinor, channel: 'phone' }) },
  'minors.cases': { allowed: ['manager', 'auditor'], sample: () => ({}) },
  'minors.release': { allowed: ['manager'], sample: () => ({ caseId: randomUUID(), reason: 'reported_in_error' }) },
  // Approvals: anyone signed in sees their own requests (and the kinds they may decide) and withdraws their own;
  // deciding needs approvals.decide plus the kind's own permission (checked by the service).
  'approvals.list': { allowed: SIGNED_IN, sample: () => ({}) },
  // Home and tasks (issue #13): every signed-in role gets its own counts and jobs, scoped inside (home.test.ts).
  'home.work': { allowed: SIGNED_IN, sample: () => ({}) },
  'home.markSeen': { allowed: SIGNED_IN, sample: () => ({}) },
  'tasks.list': { allowed: SIGNED_IN, sample: () => ({ limit: 10 }) },
  'approvals.decide': { allowed: ['manager', 'it_admin'], sample: () => ({ id: randomUUID(), decision: 'deny', reason: 'Not enough evidence attached' }) },
  'approvals.withdraw': { allowed: SIGNED_IN, sample: () => ({ id: randomUUID() }) },
  // Data-subject requests: staff and managers file and work them, managers extend, refuse and export (with
  // re-entry); auditors follow the tracker and the recipients list. IT holds none of it.
  'subjectRequests.list': { allowed: ['staff', 'manager', 'auditor'], sample: () => ({}) },
  'subjectRequests.summary': { allowed: ['staff', 'manager', 'auditor'], sample: () => ({}) },
  'subjectRequests.open': {
    allowed: STAFF_AND_MANAGERS,
    sample: () => ({ customerId: ids.customer, type: 'access', channel: 'email', receivedOn: new Date().toISOString().slice(0, 10) }),
  },
  'subjectRequests.start': { allowed: STAFF_AND_MANAGERS, sample: () => ({ requestId: ids.request }) },
  'subjectRequests.extend': { allowed: ['manager'], sample: () => ({ requestId: ids.request, extensionDays: 14, reason: 'Records are spread over two archives' }) },
  'subjectRequests.complete': { allowed: STAFF_AND_MANAGERS, sample: () => ({ requestId: ids.request }) },
  'subjectRequests.refuse': { allowed: ['manager'], sample: () => ({ requestId: ids.request, reason: 'The requester could not prove who they are' }) },
  'subjectRequests.exportAccess': { allowed: ['manager'], sample: () => ({ customerId: ids.customer, format: 'json' }) },
  'subjectRequests.recipients': { allowed: ['staff', 'manager', 'auditor'], sample: () => ({ customerId: ids.customer }) },
  // Deletions (issue #8): staff and managers file and follow requests; only managers decide (with re-entry), hold
  // and run retention; auditors see the tombstone register, never a request or a hold.
  'erasure.requests': { allowed: STAFF_AND_MANAGERS, sample: () => ({}) },
  'erasure.request': { allowed: STAFF_AND_MANAGERS, sample: () => ({ id: randomUUID() }) },
  'erasure.file': { allowed: STAFF_AND_MANAGERS, sample: () => ({ customerId: ids.customer, reason: 'customer_request', channel: 'email' }) },
  'erasure.decide': { allowed: ['manager'], sample: () => ({ id: randomUUID(), decision: 'deny', reason: 'Not enough evidence attached' }) },
  'erasure.holds': { allowed: ['manager'], sample: () => ({}) },
  'erasure.placeHold': { allowed: ['manager'], sample: () => ({ customerId: ids.customer, reason: 'Court order for the matrix test', reference: 'CO-1' }) },
  'erasure.releaseHold': { allowed: ['manager'], sample: () => ({ id: randomUUID() }) },
  'erasure.retention': { allowed: ['manager'], sample: () => ({}) },
  'erasure.proposeRetention': { allowed: ['manager'], sample: () => ({}) },
  'erasure.tombstones': { allowed: ['manager', 'auditor'], sample: () => ({}) },
  // Disclosures: staff and managers ask and see their own; managers decide, release and keep recipients; the
  // register is for managers and auditors. IT never sees it.
  'disclosures.recipients.list': { allowed: STAFF_AND_MANAGERS, sample: () => ({}) },
  'disclosures.recipients.versions': { allowed: STAFF_AND_MANAGERS, sample: () => ({ recipientId: ids.recipient }) },
  'disclosures.recipients.save': { allowed: ['manager'], sample: () => ({ name: 'Parcel Express Ltd', kind: 'shipping', allowedFields: ['name', 'shippingAddress'] }) },
  'disclosures.requests.create': {
    allowed: STAFF_AND_MANAGERS,
    sample: () => ({ customerIds: [ids.customer], recipientId: ids.recipient, kind: 'ecommerce_chain', fields: ['name', 'shippingAddress'], purpose: 'Ship the order to the customer' }),
  },
  'disclosures.requests.list': { allowed: STAFF_AND_MANAGERS, sample: () => ({}) },
  'disclosures.requests.get': { allowed: STAFF_AND_MANAGERS, sample: () => ({ id: randomUUID() }) },
  'disclosures.requests.scan': { allowed: ['manager'], sample: () => ({ id: randomUUID() }) },
  'disclosures.release': { allowed: ['manager'], sample: () => ({ taskId: randomUUID(), requestId: randomUUID(), format: 'csv', encrypt: false }) },
  'disclosures.register.list': { allowed: ['manager', 'auditor'], sample: () => ({}) },
  'disclosures.register.export': { allowed: ['manager', 'auditor'], sample: () => ({ format: 'csv' }) },
  'disclosures.register.correct': { allowed: ['manager'], sample: () => ({ entryId: randomUUID(), note: 'The recipient reported a wrong address' }) },
  'disclosures.forCustomer': { allowed: STAFF_AND_MANAGERS, sample: () => ({ customerId: ids.customer }) },
  // This workstation's database connection and enrolment packages: IT only (save and create also need re-entry).
  'workstation.connection.get': { allowed: ['it_admin'], sample: () => ({}) },
  'workstation.connection.save': { allowed: ['it_admin'], sample: () => ({ connection: { engine: 'sqlite' } }) },
  'workstation.connection.test': { allowed: ['it_admin'], sample: () => ({ connection: { engine: 'sqlite' } }) },
  'workstation.enrolment.create': { allowed: ['it_admin'], sample: () => ({ expiresInHours: 24 }) },
  // The recovery screen's channels are public: on an open console status says `open` and enrol refuses (CONFLICT).
  'workstation.recovery.status': { allowed: EVERYONE, sample: () => ({}) },
  'workstation.recovery.enrol': { allowed: EVERYONE, sample: () => ({ packageText: '{}', passphrase: 'not a real passphrase' }) },
  // Policy versions (issue #10): the policy is public, so every role reads it; staff and managers draft, managers publish.
  'policy.list': { allowed: SIGNED_IN, sample: () => ({}) },
  'policy.get': { allowed: SIGNED_IN, sample: () => ({ id: ids.policy }) },
  'policy.notices': { allowed: SIGNED_IN, sample: () => ({}) },
  'policy.export': { allowed: SIGNED_IN, sample: () => ({ format: 'html' }) },
  'policy.createDraft': { allowed: STAFF_AND_MANAGERS, sample: () => ({}) },
  'policy.saveDraft': { allowed: STAFF_AND_MANAGERS, sample: () => ({ id: randomUUID(), revision: 1, title: 'Privacy Policy', body: 'Text' }) },
  'policy.requestPublication': {
    allowed: STAFF_AND_MANAGERS,
    sample: () => ({ id: randomUUID(), changeSummary: 'Wording', material: false, effectiveDate: '2031-01-01', reason: 'Clarifies the wording only' }),
  },
  'policy.reopenDraft': { allowed: STAFF_AND_MANAGERS, sample: () => ({ id: randomUUID() }) },
  'policy.publish': { allowed: ['manager'], sample: () => ({ id: randomUUID(), changeSummary: 'Wording', material: false, effectiveDate: '2031-01-01' }) },
  'policy.archive': { allowed: ['manager'], sample: () => ({ id: randomUUID() }) },
  // Announcements: staff see them and record acknowledgements; managers prepare them and handle the address files.
  'announcements.list': { allowed: STAFF_AND_MANAGERS, sample: () => ({}) },
  'announcements.audienceCounts': { allowed: STAFF_AND_MANAGERS, sample: () => ({ policyVersionId: ids.policy }) },
  'announcements.recipients': { allowed: STAFF_AND_MANAGERS, sample: () => ({ announcementId: ids.announcement }) },
  'announcements.acknowledge': { allowed: STAFF_AND_MANAGERS, sample: () => ({ announcementId: ids.announcement, customerId: ids.customer }) },
  'announcements.create': {
    allowed: ['manager'],
    sample: () => ({ taskId: randomUUID(), policyVersionId: ids.policy, title: 'Policy update', summary: 'What changed', audience: 'all_active', channel: 'email_batch' }),
  },
  'announcements.exportMailingList': { allowed: ['manager'], sample: () => ({ announcementId: ids.announcement, taskId: randomUUID() }) },
  'announcements.importResults': { allowed: ['manager'], sample: () => ({ announcementId: ids.announcement, csv: 'recipient_id,status\n' }) },
  'audiences.counts': { allowed: ['manager'], sample: () => ({}) },
  'audiences.export': { allowed: ['manager'], sample: () => ({ purpose: 'newsletter', taskId: randomUUID() }) },
  // Backups (issue #11): IT administrators only. On PostgreSQL the allowed calls answer UNAVAILABLE (pg-backup.sh).
  'backup.status': { allowed: ['it_admin'], sample: () => ({}) },
  'backup.create': { allowed: ['it_admin'], sample: () => ({ taskId: randomUUID() }) },
  'backup.cancel': { allowed: ['it_admin'], sample: () => ({ taskId: randomUUID() }) },
  'backup.chooseFolder': { allowed: ['it_admin'], sample: () => ({}) },
  'backup.saveSchedule': { allowed: ['it_admin'], sample: () => ({ enabled: false, folder: null, intervalHours: 24, keep: 7 }) },
  // Needs the password re-entered: an allowed caller is answered REAUTH_REQUIRED, nothing restored.
  'backup.restore': { allowed: ['it_admin'], sample: () => ({ file: 'itpc-backup-20260101-000000Z-abcd.itpcbak', confirm: true }) },
  // Keys (issue #11): IT rotates keys and makes recovery kits; every account may be a custodian and acknowledges
  // only its own share (a kit it does not hold is NOT_FOUND, not a refusal of the role).
  'keys.status': { allowed: ['it_admin'], sample: () => ({}) },
  'keys.rotateKek': { allowed: ['it_admin'], sample: () => ({}) },
  'keys.rotateDomainKey': { allowed: ['it_admin'], sample: () => ({ purpose: 'audit' }) },
  'keys.kit.create': { allowed: ['it_admin'], sample: () => ({ split: false }) },
  'keys.custodian.mine': { allowed: SIGNED_IN, sample: () => ({}) },
  'keys.custodian.acknowledge': { allowed: SIGNED_IN, sample: () => ({ kitId: randomUUID() }) },
};

const PASSWORD = 'matrix test passphrase';
type SeededId = 'target' | 'customer' | 'order' | 'licenceItem' | 'review' | 'request' | 'reportedMinor' | 'policy' | 'announcement' | 'recipient';
const ids: Record<Role | SeededId, string> = {
  staff: '', manager: '', it_admin: '', auditor: '', target: '', customer: '', order: '', licenceItem: '', review: '', request: '', reportedMinor: '', policy: '', announcement: '', recipient: '',
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
  const request = await t.call<{ request: { id: string } }>(
    'subjectRequests.open',
    { customerId: ids.customer, type: 'access', channel: 'letter', receivedOn: new Date().toISOString().slice(0, 10) },
    staffWindow,
  );
  ids.request = request.request.id;
  // Its own record, so quarantining it leaves the one the other channels use alone.
  ids.reportedMinor = (await t.call<{ customer: { id: string } }>('customers.create', sampleCustomer({ email: 'minor.matrix@example.com' }), staffWindow)).customer.id;
  const managerWindow = await signIn('manager');
  ids.policy = (await t.call<{ versions: { id: string }[] }>('policy.list', {}, managerWindow)).versions[0]!.id;
  const made = await t.call<{ announcement: { id: string } }>(
    'announcements.create',
    { taskId: randomUUID(), policyVersionId: ids.policy, title: 'Policy update', summary: 'What changed', audience: 'all_active', channel: 'letter_list' },
    managerWindow,
  );
  ids.announcement = made.announcement.id;
  const recipient = await t.call<{ recipient: { id: string } }>(
    'disclosures.recipients.save',
    { name: 'Matrix Couriers', kind: 'shipping', allowedFields: ['name', 'shippingAddress'] },
    await signIn('manager'),
  );
  ids.recipient = recipient.recipient.id;
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
