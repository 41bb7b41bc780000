import { requireSession, type ChannelHandlers, type RouterSession } from '../../platform/ipc/router.node.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import type { Approval, approvalsChannels } from './approvals.contract.std.ts';
import type { ApprovalRecord, ApprovalService } from './approvalService.node.ts';

export function approvalsHandlers(approvals: ApprovalService, staff: StaffDirectory): ChannelHandlers<typeof approvalsChannels> {
  // Staff names and subject labels are resolved for display, never stored with the request.
  const present = async (q: Queryable, session: RouterSession, list: ApprovalRecord[]): Promise<Approval[]> => {
    const nameOf = await staffNameResolver(staff, q);
    const decidable = new Set(approvals.kinds.decidableBy(session.role));
    const labels = new Map<string, ReadonlyMap<string, string>>();
    for (const kind of new Set(list.map((a) => a.kind))) {
      const describe = approvals.kinds.find(kind)?.subjectLabels;
      if (describe) labels.set(kind, await describe(q, [...new Set(list.filter((a) => a.kind === kind).map((a) => a.subjectId))]));
    }
    return list.map((a) => ({
      ...a,
      subjectLabel: labels.get(a.kind)?.get(a.subjectId) ?? null,
      requesterName: nameOf(a.requesterId),
      deciderName: nameOf(a.deciderId),
      canDecide: a.status === 'pending' && a.requesterId !== session.userId && decidable.has(a.kind),
      canWithdraw: a.status === 'pending' && a.requesterId === session.userId,
    }));
  };
  return {
    'approvals.list': async (input, ctx) => {
      const session = requireSession(ctx);
      const expired = await approvals.expireDue(ctx.q);
      const { pending, recent } = await approvals.list(ctx.q, { viewerId: session.userId, viewerRole: session.role, recentLimit: input.recentLimit });
      ctx.auditDetails({ pending: pending.length, recent: recent.length, expired: expired.length });
      return { pending: await present(ctx.q, session, pending), recent: await present(ctx.q, session, recent) };
    },
    'approvals.decide': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ approvalId: input.id, decision: input.decision });
      const decided = await approvals.decide(ctx.q, {
        id: input.id,
        deciderId: session.userId,
        deciderRole: session.role,
        decision: input.decision,
        reason: input.reason ?? null,
      });
      ctx.auditDetails({ kind: decided.kind, subjectId: decided.subjectId, requesterId: decided.requesterId });
      const [approval] = await present(ctx.q, session, [decided]);
      return { approval: approval! };
    },
    'approvals.withdraw': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ approvalId: input.id });
      const withdrawn = await approvals.withdraw(ctx.q, { id: input.id, requesterId: session.userId });
      ctx.auditDetails({ kind: withdrawn.kind, subjectId: withdrawn.subjectId });
      const [approval] = await present(ctx.q, session, [withdrawn]);
      return { approval: approval! };
    },
  };
}
