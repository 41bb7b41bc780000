import type { Queryable } from '../../platform/store/database.node.ts';
import { closeLinkedRequests, insertRequest, linkApprovalTo, linkOpenDeletionRequest, type NewSubjectRequest } from './requestTracker.node.ts';

/** The customers among these with a request still open (retention skips them). */
export { withOpenRequests } from './requestTracker.node.ts';

/**
 * What other features may use of the request tracker. The erasure feature files a deletion request's tracker
 * entry and closes it from its approval; the disclosure register plugs into the export and the recipients list.
 */

export type { ExportBlock, ExportSection, ExportSectionProvider } from './accessExport.node.ts';
export type { RecipientSource } from './recipients.node.ts';
export type { NewSubjectRequest } from './requestTracker.node.ts';

/** Logs a request (due date from the office deadline) inside the caller's transaction; returns its id. */
export async function openRequest(q: Queryable, input: NewSubjectRequest): Promise<string> {
  return (await insertRequest(q, input)).id;
}

/** Links an open deletion request to the deletion approval that will carry it out. */
export function linkDeletionApproval(q: Queryable, requestId: string, approvalId: string, at: string): Promise<void> {
  return linkApprovalTo(q, requestId, approvalId, at);
}

/** Links the customer's open deletion request (if any) to the deletion approval just filed for it. */
export function linkCustomersDeletionRequest(q: Queryable, customerId: string, approvalId: string, at: string): Promise<boolean> {
  return linkOpenDeletionRequest(q, customerId, approvalId, at);
}

/**
 * The approval a request is linked to was carried out (`completed`) or denied (`refused`): its open requests
 * close, in the caller's transaction. Returns the ids of the requests closed (none is not an error).
 */
export function completeLinkedRequest(
  q: Queryable,
  approvalId: string,
  outcome: 'completed' | 'refused',
  opts: { at: string; actorId: string | null },
): Promise<string[]> {
  return closeLinkedRequests(q, approvalId, outcome, opts.at, opts.actorId);
}
