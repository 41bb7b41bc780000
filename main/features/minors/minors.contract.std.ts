import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { id } from '../../platform/ipc/schemas.std.ts';
import { APPROVAL_STATUSES } from '../approvals/approvals.contract.std.ts';
import { QUARANTINE_REASONS } from '../customers/customers.contract.std.ts';

/** How staff learnt that a record is a minor's. */
export const MINOR_REPORT_CHANNELS = ['phone', 'email', 'letter', 'in_person', 'parent_or_guardian', 'internal_review'] as const;
export const RELEASE_REASONS = ['age_verified_adult', 'reported_in_error'] as const;

/**
 * Where a case stands. `awaiting_deletion`: the deletion request waits for a manager. `needs_decision`: that
 * request was denied or lapsed while the record is still quarantined. `erased` and `released` are closed.
 */
export const MINOR_CASE_STATES = ['awaiting_deletion', 'needs_decision', 'erased', 'released'] as const;
export type MinorCaseState = (typeof MINOR_CASE_STATES)[number];

/** A case as the minors report shows it: ids, enums, dates and staff names; nothing about the child. */
export const minorCase = z.object({
  id,
  customerId: id,
  reason: z.enum(QUARANTINE_REASONS),
  foundAt: z.string(),
  foundBy: id.nullable(),
  foundByName: z.string().nullable(),
  state: z.enum(MINOR_CASE_STATES),
  deletionRequestId: id.nullable(),
  deletionRequestStatus: z.enum(APPROVAL_STATUSES).nullable(),
  closedAt: z.string().nullable(),
  closedByName: z.string().nullable(),
  releaseReason: z.enum(RELEASE_REASONS).nullable(),
});
export type MinorCase = z.input<typeof minorCase>;

export const minorsChannels = {
  /** Staff were told the customer is under 18: the record is quarantined at once and its deletion requested. */
  'minors.reportAsMinor': channel({
    input: z.object({ customerId: id, channel: z.enum(MINOR_REPORT_CHANNELS) }).strict(),
    output: z.object({ case: minorCase }),
    access: { kind: 'permission', permission: 'customers.correct' },
    audit: 'customer.quarantined',
  }),
  /** The minors report: open cases first, then closed ones, newest first within each. */
  'minors.cases': channel({
    input: z
      .object({ open: z.boolean().optional(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(50) })
      .strict(),
    output: z.object({
      cases: z.array(minorCase),
      total: z.number(),
      counts: z.object({ awaitingDeletion: z.number(), needsDecision: z.number(), erased: z.number(), released: z.number() }),
    }),
    access: { kind: 'permission', permission: 'minors.report' },
  }),
  /**
   * Lifts a quarantine found to be wrong. Only when no deletion request is pending, the date of birth on record
   * is not a minor's, and the releasing manager is not the person who raised the case.
   */
  'minors.release': channel({
    input: z.object({ caseId: id, reason: z.enum(RELEASE_REASONS) }).strict(),
    output: z.object({ case: minorCase }),
    access: { kind: 'permission', permission: 'minors.release' },
    reauth: true,
    audit: 'minor_case.released',
  }),
};
