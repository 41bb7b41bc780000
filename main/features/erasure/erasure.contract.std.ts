import { z } from 'zod';
import { APPROVAL_DECISIONS, APPROVAL_STATUSES, approvalReason } from '../approvals/approvals.contract.std.ts';
import { channel } from '../../platform/ipc/channel.std.ts';
import { id, line, text } from '../../platform/ipc/schemas.std.ts';

/** Why a deletion was asked for (the four), as filed by staff or by the app (a minor's record). */
export const DELETION_REASONS = ['customer_request', 'no_longer_uses', 'minor', 'other'] as const;
export type DeletionReason = (typeof DELETION_REASONS)[number];
/** A tombstone's reason: a filed request's, or the retention sweep, or a ledger re-applied to a restored backup. */
export const TOMBSTONE_REASONS = [...DELETION_REASONS, 'retention', 'restore'] as const;
export type TombstoneReason = (typeof TOMBSTONE_REASONS)[number];
/** How the request reached iTechno (`internal`: staff or the app found it, e.g. a minor's record). */
export const DELETION_CHANNELS = ['email', 'phone', 'letter', 'in_person', 'web_form', 'internal'] as const;
export type DeletionChannel = (typeof DELETION_CHANNELS)[number];

/** Why the retention sweep leaves a closed customer alone. */
export const RETENTION_SKIPS = ['hold', 'open_request'] as const;
export type RetentionSkip = (typeof RETENTION_SKIPS)[number];
/** What the retention job did with one proposed customer. */
export const RETENTION_OUTCOMES = ['deleted', 'skipped_hold', 'skipped_open_request', 'skipped_reopened', 'already_deleted'] as const;
export type RetentionOutcome = (typeof RETENTION_OUTCOMES)[number];

/** Approval kinds this feature registers. */
export const DELETION_KIND = 'customer.deletion';
export const RETENTION_BATCH_KIND = 'customer.retention_batch';
/** At most this many customers go into one retention batch (the next proposal takes the rest). */
export const RETENTION_BATCH_MAX = 10_000;

/** Free text filed with a request ("other" needs it): sealed under the customer's key. */
export const deletionNote = text(2000, 10);
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'A date as YYYY-MM-DD' });

export const holdSummary = z.object({ id, placedAt: z.string(), endsOn: z.string().nullable() });

/** A deletion request as the requester and the managers see it. */
export const deletionRequest = z.object({
  id,
  customerId: id,
  /** Masked ("Jane D."); null once the customer is deleted. */
  customerLabel: z.string().nullable(),
  status: z.enum(APPROVAL_STATUSES),
  reason: z.enum(DELETION_REASONS),
  channel: z.enum(DELETION_CHANNELS),
  /** The filing text (sealed under the customer's key): gone with the customer. */
  note: z.string(),
  requesterId: id,
  requesterName: z.string().nullable(),
  requestedAt: z.string(),
  expiresAt: z.string(),
  deciderId: id.nullable(),
  deciderName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  /** True once the customer's rows are gone (a tombstone exists). */
  deleted: z.boolean(),
  /** An active legal hold on the customer: the request cannot be approved while it lasts. */
  hold: holdSummary.nullable(),
  canDecide: z.boolean(),
  canWithdraw: z.boolean(),
});
export type DeletionRequestView = z.input<typeof deletionRequest>;

export const legalHold = z.object({
  id,
  customerId: id,
  customerLabel: z.string().nullable(),
  placedBy: id,
  placedByName: z.string().nullable(),
  placedAt: z.string(),
  endsOn: z.string().nullable(),
  releasedBy: id.nullable(),
  releasedByName: z.string().nullable(),
  releasedAt: z.string().nullable(),
  reason: z.string(),
  reference: z.string(),
  releaseNote: z.string().nullable(),
  active: z.boolean(),
});
export type LegalHoldView = z.input<typeof legalHold>;

export const tombstone = z.object({
  id,
  reason: z.enum(TOMBSTONE_REASONS),
  channel: z.enum(DELETION_CHANNELS).nullable(),
  requesterId: id.nullable(),
  requesterName: z.string().nullable(),
  approverId: id.nullable(),
  approverName: z.string().nullable(),
  requestedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  deletedAt: z.string(),
});
export type TombstoneView = z.input<typeof tombstone>;

export const retentionCandidate = z.object({
  customerId: id,
  customerLabel: z.string(),
  closedAt: z.string(),
  /** Why it will not be deleted now; null when it goes into the next batch. */
  skip: z.enum(RETENTION_SKIPS).nullable(),
});

export const retentionBatch = z.object({
  id,
  approvalId: id,
  status: z.enum(APPROVAL_STATUSES),
  proposedBy: id,
  proposedByName: z.string().nullable(),
  proposedAt: z.string(),
  deciderName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  retentionDays: z.number(),
  closedBefore: z.string(),
  itemCount: z.number(),
  /** The deletion job, once approved: its state and progress. */
  job: z.object({ state: z.string(), done: z.number(), total: z.number().nullable() }).nullable(),
  outcomes: z.record(z.enum(RETENTION_OUTCOMES), z.number()),
  finishedAt: z.string().nullable(),
  canDecide: z.boolean(),
});
export type RetentionBatchView = z.input<typeof retentionBatch>;

export const erasureChannels = {
  /** Deletion requests, newest first: a manager sees every one, anyone else the ones they filed. */
  'erasure.requests': channel({
    input: z.object({ limit: z.number().int().min(1).max(500).default(200) }).strict(),
    output: z.object({ requests: z.array(deletionRequest) }),
    access: { kind: 'permission', permission: 'erasure.request' },
    audit: 'deletion.listed',
  }),
  /** One request: for its requester and for managers. */
  'erasure.request': channel({
    input: z.object({ id }).strict(),
    output: z.object({ request: deletionRequest }),
    access: { kind: 'permission', permission: 'erasure.request' },
    audit: 'deletion.viewed',
  }),
  /**
   * Files a deletion request on a record, decided by a manager who is someone else. Refused for a customer
   * under a legal hold, already deleted, or with a request still pending. `note` is required for `other`.
   */
  'erasure.file': channel({
    input: z
      .object({ customerId: id, reason: z.enum(DELETION_REASONS), channel: z.enum(DELETION_CHANNELS), note: deletionNote.optional() })
      .strict()
      .refine((v) => v.reason !== 'other' || v.note !== undefined, { message: 'Say what the other reason is (at least 10 characters)', path: ['note'] }),
    output: z.object({ request: deletionRequest }),
    access: { kind: 'permission', permission: 'erasure.request' },
    audit: 'deletion.requested',
  }),
  /**
   * Approves or denies a deletion request or a retention batch (a denial needs a reason). An approved deletion
   * removes the customer in the same transaction; an approved batch starts its deletion job.
   */
  'erasure.decide': channel({
    input: z
      .object({ id, decision: z.enum(APPROVAL_DECISIONS), reason: approvalReason.optional() })
      .strict()
      .refine((v) => v.decision === 'approve' || v.reason !== undefined, { message: 'A denial needs a reason', path: ['reason'] }),
    output: z.object({ id, kind: z.string(), status: z.enum(APPROVAL_STATUSES) }),
    access: { kind: 'permission', permission: 'erasure.decide' },
    reauth: true,
    audit: 'deletion.decided',
  }),
  /** Legal holds: the active ones (with `includeReleased`, released ones too), or one customer's. */
  'erasure.holds': channel({
    input: z.object({ customerId: id.optional(), includeReleased: z.boolean().default(false) }).strict(),
    output: z.object({ holds: z.array(legalHold) }),
    access: { kind: 'permission', permission: 'erasure.hold' },
    audit: 'hold.listed',
  }),
  /** Places a hold: the customer cannot be deleted (by request or retention) until it is released or ends. */
  'erasure.placeHold': channel({
    input: z.object({ customerId: id, reason: text(1000, 10), reference: line(200), endsOn: isoDay.optional() }).strict(),
    output: z.object({ hold: legalHold }),
    access: { kind: 'permission', permission: 'erasure.hold' },
    audit: 'hold.placed',
  }),
  'erasure.releaseHold': channel({
    input: z.object({ id, note: text(1000, 10).optional() }).strict(),
    output: z.object({ hold: legalHold }),
    access: { kind: 'permission', permission: 'erasure.hold' },
    audit: 'hold.released',
  }),
  /** Closed customers past the office's retention period, with why any is skipped, and the batches so far. */
  'erasure.retention': channel({
    input: z.object({}).strict(),
    output: z.object({
      retentionDays: z.number(),
      closedBefore: z.string(),
      candidates: z.array(retentionCandidate),
      /** All due customers (the list shows the oldest 500). */
      totalDue: z.number(),
      batches: z.array(retentionBatch),
    }),
    access: { kind: 'permission', permission: 'erasure.retention' },
    audit: 'retention.reviewed',
  }),
  /** Proposes every due customer that is not skipped (up to RETENTION_BATCH_MAX) as one batch for another manager to approve. */
  'erasure.proposeRetention': channel({
    input: z.object({}).strict(),
    output: z.object({ batch: retentionBatch }),
    access: { kind: 'permission', permission: 'erasure.retention' },
    audit: 'retention.proposed',
  }),
  /** The tombstone register, newest first. */
  'erasure.tombstones': channel({
    input: z.object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    output: z.object({ tombstones: z.array(tombstone), total: z.number() }),
    access: { kind: 'permission', permission: 'erasure.register' },
    audit: 'deletion.register_viewed',
  }),
};
