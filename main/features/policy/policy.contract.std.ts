import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { id, line, text } from '../../platform/ipc/schemas.std.ts';
import { approvalReason } from '../approvals/approvals.contract.std.ts';
import { isCalendarDay } from './noticePeriod.std.ts';

/** draft → in_review (a publication request awaits a manager) → published → archived; a draft may be archived. */
export const POLICY_STATUSES = ['draft', 'in_review', 'published', 'archived'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

/** A policy is long prose; 200k characters is several times the company's current text. */
export const POLICY_BODY_MAX = 200_000;
export const CHANGE_SUMMARY_MAX = 2000;
export const POLICY_EXPORT_FORMATS = ['pdf', 'html'] as const;

const calendarDay = z
  .string()
  .trim()
  .refine((s) => isCalendarDay(s), { message: 'Use the date format YYYY-MM-DD' });

/** A version in lists: everything but the text. Staff names are resolved when read. */
export const policyVersionSummary = z.object({
  id,
  version: z.number().int(),
  status: z.enum(POLICY_STATUSES),
  title: z.string(),
  revision: z.number().int(),
  changeSummary: z.string().nullable(),
  /** PII used differently from what was stated at collection: needs a 30-day notice. Null until published. */
  material: z.boolean().nullable(),
  createdBy: id.nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  approvalId: id.nullable(),
  publishedBy: id.nullable(),
  publishedByName: z.string().nullable(),
  publishedAt: z.string().nullable(),
  /** YYYY-MM-DD (UTC): the day the version takes effect. */
  effectiveDate: z.string().nullable(),
  archivedAt: z.string().nullable(),
  /** The version that applies to data collected today. */
  inForce: z.boolean(),
});
export type PolicyVersionSummary = z.input<typeof policyVersionSummary>;

export const policyVersion = policyVersionSummary.extend({ body: z.string() });
export type PolicyVersionView = z.input<typeof policyVersion>;

/** A material change whose notice is posted today. */
export const policyNotice = z.object({
  versionId: id,
  version: z.number().int(),
  title: z.string(),
  changeSummary: z.string(),
  publishedAt: z.string(),
  effectiveDate: z.string(),
  daysRemaining: z.number().int(),
});
export type PolicyNotice = z.input<typeof policyNotice>;

const publication = {
  changeSummary: text(CHANGE_SUMMARY_MAX),
  material: z.boolean(),
  effectiveDate: calendarDay,
};

export const policyChannels = {
  /** Every version, newest first, without the texts. Every role may read the policy (it is public). */
  'policy.list': channel({
    input: z.object({}).strict(),
    output: z.object({ versions: z.array(policyVersionSummary) }),
    access: { kind: 'permission', permission: 'policy.read' },
  }),
  'policy.get': channel({
    input: z.object({ id }).strict(),
    output: z.object({ version: policyVersion }),
    access: { kind: 'permission', permission: 'policy.read' },
  }),
  /** Material changes whose notice is posted today, with the days left (the home screen's card). */
  'policy.notices': channel({
    input: z.object({}).strict(),
    output: z.object({ notices: z.array(policyNotice) }),
    access: { kind: 'permission', permission: 'policy.read' },
  }),
  /** Starts the next version as a copy of `basedOn` (default: the latest published). One open draft at a time. */
  'policy.createDraft': channel({
    input: z.object({ basedOn: id.optional() }).strict(),
    output: z.object({ version: policyVersion }),
    access: { kind: 'permission', permission: 'policy.draft' },
    audit: 'policy.draft_created',
  }),
  /** Saves a draft; refused when someone saved it since `revision` was loaded, or once it left draft. */
  'policy.saveDraft': channel({
    input: z.object({ id, revision: z.number().int().min(1), title: line(200), body: text(POLICY_BODY_MAX) }).strict(),
    output: z.object({ version: policyVersion }),
    access: { kind: 'permission', permission: 'policy.draft' },
    audit: 'policy.draft_saved',
  }),
  /** Asks a manager (someone else) to publish the draft, through approvals. The draft is frozen meanwhile. */
  'policy.requestPublication': channel({
    input: z.object({ id, ...publication, reason: approvalReason }).strict(),
    output: z.object({ version: policyVersion }),
    access: { kind: 'permission', permission: 'policy.draft' },
    audit: 'policy.publication_requested',
  }),
  /** A draft whose publication request was denied, withdrawn or expired becomes editable again. */
  'policy.reopenDraft': channel({
    input: z.object({ id }).strict(),
    output: z.object({ version: policyVersion }),
    access: { kind: 'permission', permission: 'policy.draft' },
    audit: 'policy.draft_reopened',
  }),
  /** A manager publishes a draft directly. A material change needs an effective date ≥ 30 days out. */
  'policy.publish': channel({
    input: z.object({ id, ...publication }).strict(),
    output: z.object({ version: policyVersion }),
    access: { kind: 'permission', permission: 'policy.publish' },
    reauth: true,
    audit: 'policy.published',
  }),
  /** Abandons a draft, or retires a published version that a later one has replaced. */
  'policy.archive': channel({
    input: z.object({ id }).strict(),
    output: z.object({ version: policyVersion }),
    access: { kind: 'permission', permission: 'policy.publish' },
    audit: 'policy.archived',
  }),
  /** Saves the latest published version as PDF or HTML where the user chooses. */
  'policy.export': channel({
    input: z.object({ format: z.enum(POLICY_EXPORT_FORMATS) }).strict(),
    output: z.object({ saved: z.boolean(), fileName: z.string().nullable(), version: z.number().int() }),
    access: { kind: 'permission', permission: 'policy.read' },
    audit: 'policy.exported',
    transactional: false,
  }),
};
