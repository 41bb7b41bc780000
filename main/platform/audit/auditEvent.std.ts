import { z } from 'zod';

/** Audit details hold ids, field names, purposes and counts — never PII values. */
export const auditDetailValue = z.union([z.string().max(200), z.number(), z.boolean(), z.array(z.string().max(100)).max(50), z.null()]);
export const auditDetails = z.record(z.string().max(40), auditDetailValue);
export type AuditDetails = z.infer<typeof auditDetails>;

export const AUDIT_OUTCOMES = ['ok', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const auditVerification = z.object({
  ok: z.boolean(),
  checked: z.number(),
  firstBrokenSeq: z.number().nullable(),
  reason: z.string().nullable(),
});
export type AuditVerification = z.infer<typeof auditVerification>;
