import { requireSession, type ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import type { ApprovalService } from '../approvals/approvals.port.node.ts';
import type { CustomerDisplayNames } from '../customers/customers.port.node.ts';
import type { CustomerEraser } from './deletion.node.ts';
import type { DeletionRequests } from './deletionRequests.node.ts';
import { DELETION_KIND, RETENTION_BATCH_KIND, type erasureChannels, type LegalHoldView } from './erasure.contract.std.ts';
import type { HoldRecord, LegalHolds } from './holds.node.ts';
import type { Retention } from './retention.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';

export interface ErasureServices {
  requests: DeletionRequests;
  approvals: ApprovalService;
  eraser: CustomerEraser;
  holds: LegalHolds;
  retention: Retention;
  names: CustomerDisplayNames;
  staff: StaffDirectory;
}

/** Audit details name ids, enums and counts; reasons, notes and references stay sealed. */
export function erasureHandlers(s: ErasureServices): ChannelHandlers<typeof erasureChannels> {
  const presentHolds = async (q: Queryable, holds: readonly HoldRecord[]): Promise<LegalHoldView[]> => {
    const labels = await s.names.displayNames(q, holds.map((h) => h.customerId));
    const nameOf = await staffNameResolver(s.staff, q);
    return holds.map((h) => ({ ...h, customerLabel: labels.get(h.customerId) ?? null, placedByName: nameOf(h.placedBy), releasedByName: nameOf(h.releasedBy) }));
  };
  return {
    'erasure.requests': async (input, ctx) => {
      const requests = await s.requests.list(ctx.q, requireSession(ctx), input.limit);
      ctx.auditDetails({ returned: requests.length });
      return { requests };
    },
    'erasure.request': async (input, ctx) => {
      ctx.auditDetails({ approvalId: input.id });
      const request = await s.requests.get(ctx.q, requireSession(ctx), input.id);
      ctx.auditDetails({ customerId: request.customerId });
      return { request };
    },
    'erasure.file': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ customerId: input.customerId, reason: input.reason, channel: input.channel });
      const filed = await s.requests.file(ctx.q, { ...input, requesterId: session.userId });
      ctx.auditDetails({ approvalId: filed.id });
      const [request] = await s.requests.present(ctx.q, session, [filed]);
      return { request: request! };
    },
    'erasure.decide': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ approvalId: input.id, decision: input.decision });
      const kind = (await s.approvals.get(ctx.q, input.id)).kind;
      if (kind !== DELETION_KIND && kind !== RETENTION_BATCH_KIND) throw new AppError('NOT_FOUND', 'No such deletion request or retention batch.');
      const decided = await s.approvals.decide(ctx.q, { id: input.id, deciderId: session.userId, deciderRole: session.role, decision: input.decision, reason: input.reason ?? null });
      ctx.auditDetails({ kind, subjectId: decided.subjectId, requesterId: decided.requesterId, status: decided.status });
      return { id: decided.id, kind, status: decided.status };
    },
    'erasure.holds': async (input, ctx) => {
      const holds = await s.holds.list(ctx.q, input);
      ctx.auditDetails({ customerId: input.customerId ?? null, includeReleased: input.includeReleased, returned: holds.length });
      return { holds: await presentHolds(ctx.q, holds) };
    },
    'erasure.placeHold': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ customerId: input.customerId, endsOn: input.endsOn ?? null });
      const hold = await s.holds.place(ctx.q, input, session.userId);
      ctx.auditDetails({ holdId: hold.id });
      return { hold: (await presentHolds(ctx.q, [hold]))[0]! };
    },
    'erasure.releaseHold': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ holdId: input.id });
      const hold = await s.holds.release(ctx.q, input, session.userId);
      ctx.auditDetails({ customerId: hold.customerId });
      return { hold: (await presentHolds(ctx.q, [hold]))[0]! };
    },
    'erasure.retention': async (_input, ctx) => {
      const review = await s.retention.review(ctx.q, requireSession(ctx));
      ctx.auditDetails({ totalDue: review.totalDue, listed: review.candidates.length, retentionDays: review.retentionDays });
      return review;
    },
    'erasure.proposeRetention': async (_input, ctx) => {
      const batch = await s.retention.propose(ctx.q, requireSession(ctx));
      ctx.auditDetails({ batchId: batch.id, approvalId: batch.approvalId, itemCount: batch.itemCount });
      return { batch };
    },
    'erasure.tombstones': async (input, ctx) => {
      const { rows, total } = await s.eraser.tombstones(ctx.q, input);
      const nameOf = await staffNameResolver(s.staff, ctx.q);
      ctx.auditDetails({ offset: input.offset, returned: rows.length });
      return {
        total,
        tombstones: rows.map((r) => ({
          id: r.id,
          reason: r.reason,
          channel: r.channel,
          requesterId: r.requester_id,
          requesterName: nameOf(r.requester_id),
          approverId: r.approver_id,
          approverName: nameOf(r.approver_id),
          requestedAt: r.requested_at,
          approvedAt: r.approved_at,
          deletedAt: r.deleted_at,
        })),
      };
    },
  };
}
