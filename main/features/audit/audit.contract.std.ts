import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { empty, id, text } from '../../platform/ipc/schemas.std.ts';
import { AUDIT_OUTCOMES, auditDetails, auditVerification } from '../../platform/audit/auditEvent.std.ts';

export { auditDetails, auditDetailValue, auditVerification } from '../../platform/audit/auditEvent.std.ts';
export type { AuditDetails, AuditVerification } from '../../platform/audit/auditEvent.std.ts';

export const auditEvent = z.object({
  seq: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  outcome: z.enum(AUDIT_OUTCOMES),
  details: auditDetails,
});
export type AuditEvent = z.infer<typeof auditEvent>;

const calendarDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Use the date format YYYY-MM-DD' });

/** What the auditor narrows the log to: an actor (account id, or `system` for events without one), action, outcome, days. */
export const auditFilter = {
  actorId: z.union([id, z.literal('system')]).optional(),
  action: z.string().max(60).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  /** First day included (UTC calendar day). */
  from: calendarDay.optional(),
  /** Last day included (UTC calendar day). */
  to: calendarDay.optional(),
};
export type AuditFilter = { [K in keyof typeof auditFilter]?: z.output<(typeof auditFilter)[K]> };
const checkRange = (v: { from?: string | undefined; to?: string | undefined }) => !v.from || !v.to || v.from <= v.to;
const rangeIssue = { message: 'The first day must not be after the last', path: ['to'] };

/** Most rows one export writes. */
export const AUDIT_EXPORT_MAX_ROWS = 200_000;

export const auditChannels = {
  'audit.list': channel({
    input: z
      .object({
        beforeSeq: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
        ...auditFilter,
      })
      .strict()
      .refine(checkRange, rangeIssue),
    output: z.object({
      events: z.array(auditEvent),
      total: z.number(),
      /** Display names of the accounts whose ids appear in these events' details (shown instead of the id). */
      accountNames: z.record(z.string(), z.string()),
    }),
    access: { kind: 'permission', permission: 'audit.read' },
  }),
  /** The action names in the log, for the filter (a short list: actions are code, not data). */
  'audit.actions': channel({
    input: empty,
    output: z.object({ actions: z.array(z.string()) }),
    access: { kind: 'permission', permission: 'audit.read' },
  }),
  /**
   * Writes the filtered events (every page, newest first) as CSV where the auditor chooses (the one FileSaver).
   * Audited with the filter's field names and the row count, never the values filtered on.
   */
  'audit.export': channel({
    input: z.object(auditFilter).strict().refine(checkRange, rangeIssue),
    output: z.object({ saved: z.boolean(), rows: z.number(), fileName: z.string().nullable() }),
    access: { kind: 'permission', permission: 'audit.read' },
    audit: 'audit.exported',
  }),
  /** Re-walks the whole chain; with a `taskId`, `progress` events (events checked of the chain's length) follow it. */
  'audit.verify': channel({
    input: z.object({ taskId: id.optional() }).strict(),
    output: auditVerification,
    access: { kind: 'permission', permission: 'audit.verify' },
    audit: 'audit.verified',
  }),
  /** Signs the verified chain's head (seq, hash, time; Ed25519) for the auditor to keep outside the app. */
  'audit.exportHead': channel({
    input: empty,
    output: z.object({ seq: z.number(), at: z.string(), file: z.string() }),
    access: { kind: 'permission', permission: 'audit.verify' },
    audit: 'audit.head_exported',
  }),
  /** Verifies the chain against a head file exported earlier: the chain must still hold that head. */
  'audit.verifyHead': channel({
    input: z.object({ file: text(8000) }).strict(),
    output: auditVerification.extend({ head: z.object({ seq: z.number(), at: z.string() }) }),
    access: { kind: 'permission', permission: 'audit.verify' },
    audit: 'audit.head_verified',
  }),
};
