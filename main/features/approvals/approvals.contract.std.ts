import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { id, text } from '../../platform/ipc/schemas.std.ts';

/** Four-eyes approvals: one requester, one decider who is someone else and holds the kind's permission. */
export const APPROVAL_STATUSES = ['pending', 'approved', 'denied', 'withdrawn', 'expired'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];
export const APPROVAL_DECISIONS = ['approve', 'deny'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/** Reasons are free text (encrypted at rest). A request and a denial must say why; an approval may. */
export const REASON_MAX = 2000;
export const REASON_MIN = 10;
export const approvalReason = text(REASON_MAX, REASON_MIN);

/** Payloads hold ids, enums, numbers and booleans only: anything personal goes into an encrypted section. */
export const approvalPayloadValue = z.union([z.string().max(100), z.number(), z.boolean(), z.null(), z.array(z.string().max(100)).max(50)]);
export const approvalPayload = z.record(z.string().max(40), approvalPayloadValue);
export type ApprovalPayload = z.infer<typeof approvalPayload>;

/** One request as a caller who may see it sees it. */
export const approval = z.object({
  id,
  kind: z.string(),
  /** The kind's label for the UI ("Erase a customer"). */
  kindLabel: z.string(),
  subjectId: id,
  /** Masked, as the kind describes its subjects ("Jane D."); null when the kind has no label or it is gone. */
  subjectLabel: z.string().nullable(),
  status: z.enum(APPROVAL_STATUSES),
  requesterId: id,
  requesterName: z.string().nullable(),
  deciderId: id.nullable(),
  deciderName: z.string().nullable(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  expiresAt: z.string(),
  payload: approvalPayload,
  requestReason: z.string(),
  decisionReason: z.string().nullable(),
  /** Whether the caller may decide it now: pending, not their own, and they hold the kind's permission. */
  canDecide: z.boolean(),
  /** Whether the caller may withdraw it now: pending and their own. */
  canWithdraw: z.boolean(),
});
export type Approval = z.input<typeof approval>;

export const approvalsChannels = {
  /**
   * The pending queue (oldest first) and recent decisions (newest first) the caller may see: requests of kinds
   * their role may decide, and their own. Expired requests are marked expired first.
   */
  'approvals.list': channel({
    input: z.object({ recentLimit: z.number().int().min(0).max(200).default(20) }).strict(),
    output: z.object({ pending: z.array(approval), recent: z.array(approval) }),
    access: { kind: 'session' },
    audit: 'approvals.listed',
  }),
  /** Approve or deny; a denial needs a reason. Nobody decides their own request; the first decision wins. */
  'approvals.decide': channel({
    input: z
      .object({ id, decision: z.enum(APPROVAL_DECISIONS), reason: approvalReason.optional() })
      .strict()
      .refine((v) => v.decision === 'approve' || v.reason !== undefined, { message: 'A denial needs a reason', path: ['reason'] }),
    output: z.object({ approval }),
    access: { kind: 'permission', permission: 'approvals.decide' },
    reauth: true,
    audit: 'approval.decided',
  }),
  /** The requester takes back a pending request. */
  'approvals.withdraw': channel({
    input: z.object({ id }).strict(),
    output: z.object({ approval }),
    access: { kind: 'session' },
    audit: 'approval.withdrawn',
  }),
};
