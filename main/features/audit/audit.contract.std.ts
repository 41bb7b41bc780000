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

export const auditChannels = {
  'audit.list': channel({
    input: z
      .object({
        beforeSeq: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
        action: z.string().max(60).optional(),
      })
      .strict(),
    output: z.object({ events: z.array(auditEvent), total: z.number() }),
    access: { kind: 'permission', permission: 'audit.read' },
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
