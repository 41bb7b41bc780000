import { z } from 'zod';
import type { Clock } from '../../platform/clock.std.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { roleHolds, type Role } from '../../platform/ipc/roles.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import type { ApprovalKind, ApprovalRecord, ApprovalService } from '../approvals/approvals.port.node.ts';
import type { CustomerDisplayNames } from '../customers/customers.port.node.ts';
import { ALREADY_DELETED, LEDGER_TABLE, type CustomerEraser } from './deletion.node.ts';
import {
  DELETION_CHANNELS,
  DELETION_KIND,
  DELETION_REASONS,
  type DeletionChannel,
  type DeletionReason,
  type DeletionRequestView,
} from './erasure.contract.std.ts';
import { heldMessage, type LegalHolds } from './holds.node.ts';

/** Clear payload of a deletion request: enums only (the note is the sealed reason). */
const deletionPayload = z.object({ reason: z.enum(DELETION_REASONS), channel: z.enum(DELETION_CHANNELS) }).strict();
type DeletionPayload = z.output<typeof deletionPayload>;

/** What a request without a note seals as its reason (the approvals service needs one). */
const NO_NOTE = 'No note was given.';
/** A deletion request stays open this long before it expires. */
const DELETION_EXPIRES_MS = 30 * 24 * 60 * 60_000;

export interface NewDeletionRequest {
  customerId: string;
  reason: DeletionReason;
  channel: DeletionChannel;
  requesterId: string;
  note?: string | undefined;
}

/**
 * The request tracker's side of a deletion (implemented by the subject-requests feature): a customer's own deletion
 * request is tracked against its deadline and closes when the approval is carried out or denied.
 */
export interface DeletionRequestLog {
  /**
   * A deletion was filed: the customer's open tracked deletion request follows it; when the customer asked and none
   * is open, one is logged now.
   */
  filed(q: Queryable, input: { customerId: string; approvalId: string; customerAsked: boolean; channel: DeletionChannel; requesterId: string; at: string }): Promise<void>;
  /** The approval was carried out (`completed`) or denied (`refused`). */
  decided(q: Queryable, approvalId: string, outcome: 'completed' | 'refused', at: string, actorId: string | null): Promise<void>;
}

/**
 * Deletion requests: filed by staff (or by the app for a minor's record), decided by a manager through the
 * approvals service (four eyes, denial with a reason). Approval deletes the customer in the same transaction.
 */
export class DeletionRequests {
  constructor(
    private readonly clock: Clock,
    private readonly approvals: ApprovalService,
    private readonly eraser: CustomerEraser,
    private readonly holds: LegalHolds,
    private readonly names: CustomerDisplayNames,
    private readonly staff: StaffDirectory,
    private readonly log: DeletionRequestLog,
  ) {}

  /** The approval kind: registered by the composition root. */
  kind(): ApprovalKind<typeof deletionPayload> {
    return {
      name: DELETION_KIND,
      label: 'Delete a customer',
      permission: 'erasure.decide',
      payload: deletionPayload,
      expiresInMs: DELETION_EXPIRES_MS,
      subjectIsCustomer: true,
      // The hold is checked again here: one placed after the filing still stops the deletion.
      onApproved: async (q, request) => {
        await this.eraser.erase(
          q,
          request.subjectId,
          {
            reason: request.payload.reason,
            channel: request.payload.channel,
            requesterId: request.requesterId,
            approverId: request.deciderId,
            approvalId: request.id,
            batchId: null,
            requestedAt: request.requestedAt,
            approvedAt: request.decidedAt,
          },
          request.deciderId,
        );
        await this.log.decided(q, request.id, 'completed', request.decidedAt ?? this.clock.nowIso(), request.deciderId);
      },
      onDenied: (q, request) => this.log.decided(q, request.id, 'refused', request.decidedAt ?? this.clock.nowIso(), request.deciderId),
      subjectLabels: (q, ids) => this.names.displayNames(q, ids),
    };
  }

  /**
   * Files a request. Refused with nothing stored: NOT_FOUND (no such customer), CONFLICT (already deleted,
   * under a legal hold, or a request already pending).
   */
  async file(q: Queryable, input: NewDeletionRequest): Promise<ApprovalRecord> {
    await dialectOf(q).claimWrite(q);
    const customer = await q('customers').where({ id: input.customerId }).whereNull('import_job_id').first('id');
    if (!customer) {
      if (await this.eraser.isDeleted(q, input.customerId)) throw new AppError('CONFLICT', ALREADY_DELETED);
      throw new AppError('NOT_FOUND', 'No such customer.');
    }
    const hold = await this.holds.activeHold(q, input.customerId);
    if (hold) throw new AppError('CONFLICT', heldMessage(hold));
    if ((await this.approvals.pendingAbout(q, [input.customerId], [DELETION_KIND])).size) {
      throw new AppError('CONFLICT', 'A deletion request for this customer is already waiting for a decision. Nothing was filed.');
    }
    const payload: DeletionPayload = { reason: input.reason, channel: input.channel };
    const filed = await this.approvals.request(q, { kind: DELETION_KIND, subjectId: input.customerId, requesterId: input.requesterId, reason: input.note ?? NO_NOTE, payload });
    await this.log.filed(q, {
      customerId: input.customerId,
      approvalId: filed.id,
      customerAsked: input.reason === 'customer_request',
      channel: input.channel,
      requesterId: input.requesterId,
      at: filed.requestedAt,
    });
    return filed;
  }

  /** The deletion request about this customer still waiting for a decision, or null. */
  pendingFor(q: Queryable, customerId: string): Promise<string | null> {
    return this.approvals.pendingRequestAbout(q, customerId, DELETION_KIND);
  }

  /** Everyone's requests for a decider, otherwise the viewer's own; newest first. */
  async list(q: Queryable, viewer: { userId: string; role: Role }, limit: number): Promise<DeletionRequestView[]> {
    await this.approvals.expireDue(q);
    const mine = roleHolds(viewer.role, 'erasure.decide') ? {} : { requesterId: viewer.userId };
    return this.present(q, viewer, await this.approvals.listKind(q, { kind: DELETION_KIND, limit, ...mine }));
  }

  async get(q: Queryable, viewer: { userId: string; role: Role }, id: string): Promise<DeletionRequestView> {
    const record = await this.approvals.get(q, id);
    const visible = record.kind === DELETION_KIND && (record.requesterId === viewer.userId || roleHolds(viewer.role, 'erasure.decide'));
    if (!visible) throw new AppError('NOT_FOUND', 'No such deletion request.');
    return (await this.present(q, viewer, [record]))[0]!;
  }

  /** Requests as their screens show them: masked labels, staff names, holds, and what the viewer may do. */
  async present(q: Queryable, viewer: { userId: string; role: Role }, records: readonly ApprovalRecord[]): Promise<DeletionRequestView[]> {
    const ids = [...new Set(records.map((r) => r.subjectId))];
    const labels = await this.names.displayNames(q, ids);
    const nameOf = await staffNameResolver(this.staff, q);
    const deleted = new Set((await q(LEDGER_TABLE).whereIn('customer_id', ids).select<{ customer_id: string }[]>('customer_id')).map((r) => r.customer_id));
    const holds = new Map<string, Awaited<ReturnType<LegalHolds['activeHold']>>>();
    for (const id of ids) if (!deleted.has(id)) holds.set(id, await this.holds.activeHold(q, id));
    const decides = this.approvals.kinds.decidableBy(viewer.role).includes(DELETION_KIND);
    return records.map((r) => {
      const payload = r.payload as DeletionPayload;
      return {
        id: r.id,
        customerId: r.subjectId,
        customerLabel: labels.get(r.subjectId) ?? null,
        status: r.status,
        reason: payload.reason,
        channel: payload.channel,
        note: r.requestReason,
        requesterId: r.requesterId,
        requesterName: nameOf(r.requesterId),
        requestedAt: r.requestedAt,
        expiresAt: r.expiresAt,
        deciderId: r.deciderId,
        deciderName: nameOf(r.deciderId),
        decidedAt: r.decidedAt,
        decisionReason: r.decisionReason,
        deleted: deleted.has(r.subjectId),
        hold: holds.get(r.subjectId) ?? null,
        canDecide: r.status === 'pending' && r.requesterId !== viewer.userId && decides && r.expiresAt > this.clock.nowIso(),
        canWithdraw: r.status === 'pending' && r.requesterId === viewer.userId,
      };
    });
  }
}
