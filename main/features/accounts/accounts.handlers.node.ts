import { AppError } from '../../platform/ipc/errors.std.ts';
import { requireSession, type ChannelHandlers, type HandlerContext } from '../../platform/ipc/router.node.ts';
import type { Role } from '../../platform/ipc/roles.std.ts';
import type { SessionEnder } from '../session/sessions.port.node.ts';
import { PASSWORD_RESET, ROLE_GRANT, type ApprovalDesk } from './accountApprovals.node.ts';
import { GRANTED_ROLES, type AccountService, type RoleGrantChange, type User } from './accountService.node.ts';
import type { Account, AccountEntry, accountsChannels } from './accounts.contract.std.ts';

/** The output schema strips the password hash and counters; this keeps the intent explicit too. */
const toAccount = (user: User): Account => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  role: user.role,
  status: user.status,
  lockedUntil: user.lockedUntil,
  createdAt: user.createdAt,
  lastLoginAt: user.lastLoginAt,
  mustChangePassword: user.mustChangePassword,
});

const REASON_NEEDED = new AppError(
  'INVALID_INPUT',
  'reason: Another IT administrator must approve this change: say why it is needed (at least 10 characters).',
);

export function accountsHandlers(accounts: AccountService, sessions: SessionEnder, desk: ApprovalDesk): ChannelHandlers<typeof accountsChannels> {
  /**
   * Whether a change by the caller must wait for a second IT administrator: only when another active one exists
   * (on a first install the sole administrator acts alone, and the audit event says so).
   */
  const needsApproval = async (ctx: HandlerContext): Promise<boolean> => (await accounts.otherActiveAdmins(ctx.q, requireSession(ctx).userId)) > 0;

  /** One open request per account at a time, so an approval always applies to the account as it was asked about. */
  const refuseIfAwaiting = async (ctx: HandlerContext, user: User) => {
    const staged = (await accounts.stagedResets(ctx.q, [user.id])).map((r) => r.approvalId);
    const open = await desk.pendingAmong(ctx.q, [...(user.pendingApprovalId ? [user.pendingApprovalId] : []), ...staged]);
    if (open.size > 0) throw new AppError('CONFLICT', 'A change to this account is already waiting for approval: decide or withdraw it first.');
  };

  /** Files a role grant for approval; returns its id. */
  const fileGrant = async (ctx: HandlerContext, user: User, role: Role, change: RoleGrantChange, reason: string | undefined) => {
    if (!reason) throw REASON_NEEDED;
    await refuseIfAwaiting(ctx, user);
    const { id } = await desk.request(ctx.q, {
      kind: ROLE_GRANT,
      subjectId: user.id,
      requesterId: requireSession(ctx).userId,
      reason,
      payload: { userId: user.id, role, change },
    });
    await accounts.holdForApproval(ctx.q, user.id, id, role);
    return id;
  };

  return {
    'accounts.list': async (_input, ctx) => {
      const users = await accounts.list(ctx.q);
      const staged = await accounts.stagedResets(ctx.q);
      const open = await desk.pendingAmong(ctx.q, [...users.flatMap((u) => (u.pendingApprovalId ? [u.pendingApprovalId] : [])), ...staged.map((r) => r.approvalId)]);
      const resetting = new Set(staged.filter((r) => open.has(r.approvalId)).map((r) => r.userId));
      const entries: AccountEntry[] = users.map((user) => ({
        ...toAccount(user),
        awaitingRole: user.pendingApprovalId && open.has(user.pendingApprovalId) ? user.pendingRole : null,
        awaitingReset: resetting.has(user.id),
      }));
      return { accounts: entries, grantsNeedApproval: await needsApproval(ctx) };
    },
    'accounts.create': async ({ reason, ...input }, ctx) => {
      const governed = GRANTED_ROLES.has(input.role);
      const held = governed && (await needsApproval(ctx));
      if (held && !reason) throw REASON_NEEDED;
      // Held: the account exists but stays disabled (nobody can sign in to it) until a second administrator approves.
      const user = await accounts.create(ctx.q, { ...input, status: held ? 'disabled' : 'active' });
      const approvalId = held ? await fileGrant(ctx, user, input.role, 'create', reason) : null;
      ctx.auditDetails({ userId: user.id, role: user.role, ...(approvalId ? { approvalId } : governed ? { grant: 'sole_admin' } : {}) });
      return { ...toAccount(await accounts.get(ctx.q, user.id)), approvalId };
    },
    'accounts.update': async ({ id, reason, ...changes }, ctx) => {
      const before = await accounts.get(ctx.q, id);
      const newRole = changes.role !== undefined && changes.role !== before.role ? changes.role : null;
      const enabling = changes.status === 'active' && before.status === 'disabled';
      const grantedRole = newRole ?? (enabling ? before.role : null);
      const governed = grantedRole !== null && GRANTED_ROLES.has(grantedRole);
      let approvalId: string | null = null;
      if (governed && (await needsApproval(ctx))) {
        if (newRole && enabling) throw new AppError('INVALID_INPUT', 'Change the role and enable the account one at a time.');
        approvalId = await fileGrant(ctx, before, grantedRole, newRole ? 'role' : 'enable', reason);
        delete changes.role;
        delete changes.status;
      }
      const { user, fields } = await accounts.update(ctx.q, id, changes);
      ctx.auditDetails({
        userId: id,
        fields,
        role: user.role,
        status: user.status,
        ...(approvalId ? { approvalId, awaitingRole: grantedRole } : governed ? { grant: 'sole_admin' } : {}),
      });
      if (user.status === 'disabled') sessions.endUser(id, 'account_disabled');
      else if (fields.includes('role')) sessions.endUser(id, 'role_changed');
      return { ...toAccount(user), approvalId };
    },
    'accounts.resetPassword': async ({ id, reason }, ctx) => {
      const session = requireSession(ctx);
      if (id === session.userId) throw new AppError('FORBIDDEN', 'Use "Change my password" for your own account.');
      const user = await accounts.get(ctx.q, id);
      const { code, hash } = await accounts.newOneTimeCode();
      if (GRANTED_ROLES.has(user.role) && (await needsApproval(ctx))) {
        if (!reason) throw REASON_NEEDED;
        await refuseIfAwaiting(ctx, user);
        const request = await desk.request(ctx.q, { kind: PASSWORD_RESET, subjectId: id, requesterId: session.userId, reason, payload: { userId: id } });
        await accounts.stagePasswordReset(ctx.q, { userId: id, approvalId: request.id, codeHash: hash, requestedBy: session.userId });
        ctx.auditDetails({ userId: id, approvalId: request.id });
        return { ...toAccount(user), approvalId: request.id, oneTimeCode: code };
      }
      const reset = await accounts.resetPassword(ctx.q, id, hash, session.userId);
      ctx.auditDetails({ userId: id, ...(GRANTED_ROLES.has(user.role) ? { grant: 'sole_admin' } : {}) });
      // Whoever knew the old password is signed out everywhere.
      sessions.endUser(id, 'password_reset');
      return { ...toAccount(reset), approvalId: null, oneTimeCode: code };
    },
  };
}
