import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN, startCore, type TestCore } from '../support/core.ts';

const PASSWORD = 'governance test passphrase';
const BO = { username: 'bo.admin', displayName: 'Bo Admin', role: 'it_admin', password: PASSWORD };
const REASON = 'Joined the support team as its manager';

interface Entry {
  id: string;
  username: string;
  role: string;
  status: string;
  mustChangePassword: boolean;
  awaitingRole: string | null;
  awaitingReset: boolean;
}
interface Info {
  mustChangePassword: boolean;
  passwordReset: { byName: string | null; at: string } | null;
  minPasswordLength: number;
  role: string;
}

async function code(t: TestCore, channel: string, input: unknown, senderId = 'ada'): Promise<string> {
  const result = await t.core.handle(t.caller(senderId), channel, input);
  return result.ok ? 'ok' : result.error.code;
}

describe('account governance', () => {
  let t: TestCore;
  const entry = async (username: string) => (await t.call<{ accounts: Entry[] }>('accounts.list', {}, 'ada')).accounts.find((a) => a.username === username)!;
  const auditOf = async (action: string) => {
    const db = t.openDb();
    try {
      const rows = await db('audit_events').where({ action }).orderBy('seq');
      return rows.map((r: { details: string; outcome: string }) => ({ outcome: r.outcome, details: JSON.parse(r.details) as Record<string, unknown> }));
    } finally {
      await db.destroy();
    }
  };
  const approve = (id: string, senderId: string) => t.core.handle(t.caller(senderId), 'approvals.decide', { id, decision: 'approve' });

  before(async () => {
    t = await startCore();
    await t.call('session.setup', ADMIN, 'ada');
  });
  after(() => t.cleanup());

  test('the sole IT administrator grants roles directly, audited as such', async () => {
    const listed = await t.call<{ grantsNeedApproval: boolean }>('accounts.list', {}, 'ada');
    assert.equal(listed.grantsNeedApproval, false);
    const mia = await t.call<{ id: string; status: string; approvalId: string | null }>(
      'accounts.create',
      { username: 'mia.manager', displayName: 'Mia Manager', role: 'manager', password: PASSWORD },
      'ada',
    );
    assert.deepEqual([mia.status, mia.approvalId], ['active', null]);
    const bo = await t.call<{ approvalId: string | null }>('accounts.create', BO, 'ada');
    assert.equal(bo.approvalId, null);
    const created = await auditOf('account.created');
    assert.deepEqual(created.map((e) => e.details.grant), ['sole_admin', 'sole_admin']);
    await t.call('session.login', { username: BO.username, password: PASSWORD }, 'bo');
  });

  test('with a second IT administrator, a new manager account waits disabled for the other one to approve', async () => {
    assert.equal((await t.call<{ grantsNeedApproval: boolean }>('accounts.list', {}, 'ada')).grantsNeedApproval, true);
    const input = { username: 'max.manager', displayName: 'Max Manager', role: 'manager', password: PASSWORD };
    // Without a reason for the approver: refused, nothing created.
    assert.equal(await code(t, 'accounts.create', input), 'INVALID_INPUT');
    assert.equal(await entry('max.manager'), undefined);

    const held = await t.call<{ id: string; status: string; approvalId: string }>('accounts.create', { ...input, reason: REASON }, 'ada');
    assert.equal(held.status, 'disabled');
    assert.ok(held.approvalId);
    assert.deepEqual(await entry('max.manager').then((e) => [e.status, e.awaitingRole]), ['disabled', 'manager']);
    // Nobody can use it yet, and the requester cannot approve their own grant (or enable it around the approval).
    assert.equal(await code(t, 'session.login', { username: 'max.manager', password: PASSWORD }, 'max'), 'INVALID_CREDENTIALS');
    const own = await approve(held.approvalId, 'ada');
    assert.equal(!own.ok && own.error.code, 'FORBIDDEN');
    assert.equal(await code(t, 'accounts.update', { id: held.id, status: 'active', reason: REASON }), 'CONFLICT');
    // A manager holds approvals.decide but not accounts.manage: not theirs to decide.
    await t.call('session.login', { username: 'mia.manager', password: PASSWORD }, 'mia');
    const byManager = await approve(held.approvalId, 'mia');
    assert.equal(!byManager.ok && byManager.error.code, 'FORBIDDEN');

    const approved = await approve(held.approvalId, 'bo');
    assert.equal(approved.ok, true, JSON.stringify(approved));
    assert.deepEqual(await entry('max.manager').then((e) => [e.status, e.role, e.awaitingRole]), ['active', 'manager', null]);
    await t.call('session.login', { username: 'max.manager', password: PASSWORD }, 'max');
    const created = (await auditOf('account.created')).at(-1)!;
    assert.deepEqual(created.details, { userId: held.id, role: 'manager', approvalId: held.approvalId });
  });

  test('a role change to manager waits for approval; the person keeps their old role until then', async () => {
    const sam = await t.call<{ id: string }>('accounts.create', { username: 'sam.staff', displayName: 'Sam Staff', role: 'staff', password: PASSWORD }, 'ada');
    await t.call('session.login', { username: 'sam.staff', password: PASSWORD }, 'sam');
    const held = await t.call<{ role: string; approvalId: string }>('accounts.update', { id: sam.id, role: 'manager', reason: REASON }, 'ada');
    assert.equal(held.role, 'staff');
    assert.equal(await code(t, 'session.activity', {}, 'sam'), 'ok');
    // One open request per account.
    assert.equal(await code(t, 'accounts.update', { id: sam.id, role: 'it_admin', reason: REASON }), 'CONFLICT');
    assert.equal((await approve(held.approvalId, 'bo')).ok, true);
    assert.equal((await entry('sam.staff')).role, 'manager');
    // The session started as staff ends at its next call.
    assert.equal(await code(t, 'session.activity', {}, 'sam'), 'NOT_AUTHENTICATED');
    // Taking a role away needs nobody's approval.
    const demoted = await t.call<{ role: string; approvalId: string | null }>('accounts.update', { id: sam.id, role: 'staff' }, 'ada');
    assert.deepEqual([demoted.role, demoted.approvalId], ['staff', null]);
  });

  test('a denied grant changes nothing; re-enabling a disabled manager is a grant too; nobody grants themselves', async () => {
    const sam = await entry('sam.staff');
    const held = await t.call<{ approvalId: string }>('accounts.update', { id: sam.id, role: 'manager', reason: REASON }, 'ada');
    const denied = await t.core.handle(t.caller('bo'), 'approvals.decide', { id: held.approvalId, decision: 'deny', reason: 'Not agreed with the team lead' });
    assert.equal(denied.ok, true);
    assert.deepEqual(await entry('sam.staff').then((e) => [e.role, e.awaitingRole]), ['staff', null]);

    // A direct change made while a grant waits supersedes it: approving the old request afterwards changes nothing.
    const stale = await t.call<{ approvalId: string }>('accounts.update', { id: sam.id, role: 'manager', reason: REASON }, 'ada');
    await t.call('accounts.update', { id: sam.id, role: 'auditor' }, 'ada');
    const late = await approve(stale.approvalId, 'bo');
    assert.equal(!late.ok && late.error.code, 'CONFLICT');
    assert.deepEqual(await entry('sam.staff').then((e) => [e.role, e.awaitingRole]), ['auditor', null]);
    await t.call('approvals.withdraw', { id: stale.approvalId }, 'ada');
    await t.call('accounts.update', { id: sam.id, role: 'staff' }, 'ada');

    const max = await entry('max.manager');
    await t.call('accounts.update', { id: max.id, status: 'disabled' }, 'ada');
    assert.equal(await code(t, 'accounts.update', { id: max.id, status: 'active' }), 'INVALID_INPUT');
    const enable = await t.call<{ status: string; approvalId: string }>('accounts.update', { id: max.id, status: 'active', reason: REASON }, 'ada');
    assert.equal(enable.status, 'disabled');
    assert.equal((await approve(enable.approvalId, 'bo')).ok, true);
    assert.equal((await entry('max.manager')).status, 'active');

    // An IT administrator asking for the manager role for themselves: filed, and only Bo may decide it.
    const me = await entry(ADMIN.username);
    const self = await t.call<{ approvalId: string }>('accounts.update', { id: me.id, role: 'manager', reason: 'I will cover for the support manager' }, 'ada');
    const selfApproval = await approve(self.approvalId, 'ada');
    assert.equal(!selfApproval.ok && selfApproval.error.code, 'FORBIDDEN');
    await t.call('approvals.withdraw', { id: self.approvalId }, 'ada');
    assert.equal((await entry(ADMIN.username)).role, 'it_admin');
  });

  test("a staff member's reset gives a one-time code that only lets them set their own password; they are told who and when", async () => {
    const sam = await entry('sam.staff');
    await t.call('session.login', { username: 'sam.staff', password: PASSWORD }, 'sam');
    assert.equal(await code(t, 'accounts.resetPassword', { id: (await entry(ADMIN.username)).id }), 'FORBIDDEN');
    const reset = await t.call<{ oneTimeCode: string; approvalId: string | null; mustChangePassword: boolean }>('accounts.resetPassword', { id: sam.id }, 'ada');
    assert.match(reset.oneTimeCode, /^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    assert.deepEqual([reset.approvalId, reset.mustChangePassword], [null, true]);
    assert.equal(await code(t, 'session.activity', {}, 'sam'), 'NOT_AUTHENTICATED');
    assert.equal(await code(t, 'session.login', { username: 'sam.staff', password: PASSWORD }, 'sam'), 'INVALID_CREDENTIALS');

    const info = await t.call<Info>('session.login', { username: 'sam.staff', password: reset.oneTimeCode }, 'sam');
    assert.equal(info.mustChangePassword, true);
    assert.equal(info.passwordReset?.byName, ADMIN.displayName);
    assert.ok(info.passwordReset && Date.now() - Date.parse(info.passwordReset.at) < 60_000);
    // Nothing else until then — not even reading their own approvals or a customer list.
    for (const [channel, input] of [['customers.list', {}], ['approvals.list', {}], ['session.reauthenticate', { password: reset.oneTimeCode }]] as const) {
      assert.equal(await code(t, channel, input, 'sam'), 'PASSWORD_CHANGE_REQUIRED', channel);
    }
    assert.equal(await code(t, 'session.activity', {}, 'sam'), 'ok');
    // Same rules as everywhere; a wrong current password is a counted failure.
    assert.equal(await code(t, 'session.changePassword', { currentPassword: reset.oneTimeCode, newPassword: 'short' }, 'sam'), 'INVALID_INPUT');
    assert.equal(await code(t, 'session.changePassword', { currentPassword: reset.oneTimeCode, newPassword: 'iTechno summer 2026!' }, 'sam'), 'INVALID_INPUT');
    assert.equal(await code(t, 'session.changePassword', { currentPassword: reset.oneTimeCode, newPassword: reset.oneTimeCode }, 'sam'), 'INVALID_INPUT');
    assert.equal(await code(t, 'session.changePassword', { currentPassword: 'not the code at all', newPassword: 'sam chooses this one' }, 'sam'), 'INVALID_CREDENTIALS');
    const changed = await t.call<Info>('session.changePassword', { currentPassword: reset.oneTimeCode, newPassword: 'sam chooses this one' }, 'sam');
    assert.deepEqual([changed.mustChangePassword, changed.passwordReset], [false, null]);
    assert.equal(await code(t, 'customers.list', {}, 'sam'), 'ok');
    assert.equal(await code(t, 'session.login', { username: 'sam.staff', password: reset.oneTimeCode }, 'sam2'), 'INVALID_CREDENTIALS');
    await t.call('session.login', { username: 'sam.staff', password: 'sam chooses this one' }, 'sam2');

    const failures = await auditOf('auth.password_change');
    assert.deepEqual(failures.map((e) => [e.outcome, e.details.reason]), [['failed', 'bad_password']]);
    const changes = await auditOf('account.password_changed');
    assert.deepEqual(changes.at(-1)!.details, { userId: sam.id, afterReset: true });
    // The code is nowhere: not in the audit trail, not in the database in clear.
    const db = t.openDb();
    try {
      const events = await db('audit_events').select('details');
      assert.ok(events.every((e: { details: string }) => !e.details.includes(reset.oneTimeCode)));
      const users = await db('users').select('password_hash');
      assert.ok(users.every((u: { password_hash: string }) => !u.password_hash.includes(reset.oneTimeCode)));
    } finally {
      await db.destroy();
    }
  });

  test("a manager's reset needs a second IT administrator: the code works only once approved, the old password until then", async () => {
    const mia = await entry('mia.manager');
    assert.equal(await code(t, 'accounts.resetPassword', { id: mia.id }), 'INVALID_INPUT');
    const staged = await t.call<{ oneTimeCode: string; approvalId: string; mustChangePassword: boolean }>(
      'accounts.resetPassword',
      { id: mia.id, reason: 'Forgot her password after the holidays' },
      'ada',
    );
    assert.ok(staged.approvalId);
    assert.equal(staged.mustChangePassword, false);
    assert.equal((await entry('mia.manager')).awaitingReset, true);
    assert.equal(await code(t, 'session.login', { username: 'mia.manager', password: staged.oneTimeCode }, 'mia'), 'INVALID_CREDENTIALS');
    await t.call('session.login', { username: 'mia.manager', password: PASSWORD }, 'mia');
    assert.equal(await code(t, 'accounts.resetPassword', { id: mia.id, reason: 'Asking a second time over' }), 'CONFLICT');
    assert.equal((await approve(staged.approvalId, 'ada')).ok, false);

    assert.equal((await approve(staged.approvalId, 'bo')).ok, true);
    assert.equal(await code(t, 'session.activity', {}, 'mia'), 'NOT_AUTHENTICATED');
    assert.equal(await code(t, 'session.login', { username: 'mia.manager', password: PASSWORD }, 'mia'), 'INVALID_CREDENTIALS');
    const info = await t.call<Info>('session.login', { username: 'mia.manager', password: staged.oneTimeCode }, 'mia');
    assert.equal(info.mustChangePassword, true);
    // Told who asked for the reset.
    assert.equal(info.passwordReset?.byName, ADMIN.displayName);
    assert.equal(await code(t, 'orders.revealCard', { orderId: staged.approvalId, reason: 'Chargeback dispute with the bank' }, 'mia'), 'PASSWORD_CHANGE_REQUIRED');
    await t.call('session.changePassword', { currentPassword: staged.oneTimeCode, newPassword: 'mia picks her own now' }, 'mia');
    assert.equal((await entry('mia.manager')).awaitingReset, false);
  });

  test('the office minimum password length applies to new passwords, never below the floor', async () => {
    assert.equal(await code(t, 'settings.update', { minPasswordLength: 8 }), 'INVALID_INPUT');
    await t.call('settings.update', { minPasswordLength: 24 }, 'ada');
    const tooShort = { username: 'len.staff', displayName: 'Len Staff', role: 'staff', password: 'twenty chars exactly' };
    assert.equal(await code(t, 'accounts.create', tooShort), 'INVALID_INPUT');
    await t.call('accounts.create', { ...tooShort, password: 'a passphrase of twenty-four+' }, 'ada');
    const info = await t.call<Info>('session.login', { username: 'len.staff', password: 'a passphrase of twenty-four+' }, 'len');
    assert.equal(info.minPasswordLength, 24);
    assert.equal(await code(t, 'session.changePassword', { currentPassword: 'a passphrase of twenty-four+', newPassword: 'only twenty characters' }, 'len'), 'INVALID_INPUT');
    await t.call('settings.update', { minPasswordLength: 12 }, 'ada');
  });

  test('the last active IT administrator cannot be removed, also through an approved grant', async () => {
    const bo = await entry(BO.username);
    await t.call('accounts.update', { id: bo.id, status: 'disabled' }, 'ada');
    const me = await entry(ADMIN.username);
    assert.equal(await code(t, 'accounts.update', { id: me.id, status: 'disabled' }), 'CONFLICT');
    assert.equal(await code(t, 'accounts.update', { id: me.id, role: 'staff' }), 'CONFLICT');
    // Alone again: re-enabling the other administrator is a direct, audited grant.
    const back = await t.call<{ status: string; approvalId: string | null }>('accounts.update', { id: bo.id, status: 'active' }, 'ada');
    assert.deepEqual([back.status, back.approvalId], ['active', null]);
    assert.equal((await auditOf('account.updated')).at(-1)!.details.grant, 'sole_admin');
  });
});
