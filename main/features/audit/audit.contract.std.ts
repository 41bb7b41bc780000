import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { empty } from '../../platform/ipc/schemas.std.ts';
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
  'audit.verify': channel({
    input: empty,
    output: auditVerification,
    access: { kind: 'permission', permission: 'audit.verify' },
    audit: 'audit.verified',
  }),
};
