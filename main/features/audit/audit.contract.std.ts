import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { empty } from '../../platform/ipc/schemas.std.ts';

/** Audit details hold ids, field names, purposes and counts — never PII values. */
export const auditDetailValue = z.union([z.string().max(200), z.number(), z.boolean(), z.array(z.string().max(100)).max(50), z.null()]);
export const auditDetails = z.record(z.string().max(40), auditDetailValue);
export type AuditDetails = z.infer<typeof auditDetails>;

export const auditEvent = z.object({
  seq: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  outcome: z.enum(['ok', 'denied', 'failed']),
  details: auditDetails,
});
export type AuditEvent = z.infer<typeof auditEvent>;

export const auditVerification = z.object({
  ok: z.boolean(),
  checked: z.number(),
  firstBrokenSeq: z.number().nullable(),
  reason: z.string().nullable(),
});
export type AuditVerification = z.infer<typeof auditVerification>;

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
