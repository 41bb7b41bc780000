import { z } from 'zod';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { id } from '../../platform/ipc/schemas.std.ts';
import type { ApprovalKind } from '../approvals/approvals.port.node.ts';
import type { DisclosureRequests } from './disclosureRequests.node.ts';
import { DISCLOSABLE_FIELDS, DISCLOSURE_KINDS, MAX_REQUEST_CUSTOMERS } from './disclosureRules.std.ts';

export const DISCLOSURE_APPROVAL_KIND = 'disclosure.release';

/** Ids and enums only: the purpose and legal basis are sealed with the disclosure request. */
export const disclosureApprovalPayload = z
  .object({
    requestId: id,
    recipientId: id,
    recipientVersion: z.number().int().min(1),
    kind: z.enum(DISCLOSURE_KINDS),
    fields: z.array(z.enum(DISCLOSABLE_FIELDS)).min(1).max(DISCLOSABLE_FIELDS.length),
    customerCount: z.number().int().min(1).max(MAX_REQUEST_CUSTOMERS),
  })
  .strict();

/**
 * The approval kind of disclosures: decided by a manager (`disclosures.approve`), never the requester, within
 * 14 days. Approving re-checks every rule in the decision's transaction: a refusal leaves the request pending.
 */
export function disclosureApprovalKind(requests: DisclosureRequests): ApprovalKind<typeof disclosureApprovalPayload> {
  return {
    name: DISCLOSURE_APPROVAL_KIND,
    label: 'Disclose customer data',
    permission: 'disclosures.approve',
    payload: disclosureApprovalPayload,
    expiresInMs: 14 * 24 * 60 * 60_000,
    async onApproved(q, approval) {
      const stored = await requests.load(q, approval.payload.requestId);
      const { row } = stored;
      // The request must still say what the approval was asked about (a row edited by hand is refused).
      const same =
        row.approval_id === approval.id &&
        row.recipient_id === approval.payload.recipientId &&
        Number(row.recipient_version) === approval.payload.recipientVersion &&
        row.kind === approval.payload.kind &&
        JSON.stringify(stored.fields) === JSON.stringify(approval.payload.fields);
      if (!same) throw new AppError('CONFLICT', 'The disclosure request no longer matches what was asked. It was not approved.');
      await requests.recheck(q, stored, 'approval');
    },
    async subjectLabels(q, subjectIds) {
      const labels = new Map<string, string>();
      for (const subjectId of subjectIds) {
        const stored = await requests.load(q, subjectId).catch(() => null);
        if (stored) labels.set(subjectId, `${stored.row.customer_count} customer(s), ${stored.fields.length} field(s)`);
      }
      return labels;
    },
  };
}
