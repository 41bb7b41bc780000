import type { Queryable } from '../../platform/store/database.node.ts';
import { closeLinkedRequests, insertRequest, linkApprovalTo, linkOpenDeletionRequest, type NewSubjectRequest } from './requestTracker.node.ts';
import { OPEN_STATUSES, SUBJECT_REQUESTS_TABLE } from './requestTracker.node.ts';
import { countOf, type HomeWorkProvider } from '../home/home.port.node.ts';

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

/**
 * Home: open customer requests overdue and due within seven days (the tracker is the team's), and those the viewer
 * logged that are still open. Counts only.
 */
export function subjectRequestsHomeWork(): HomeWorkProvider {
  return {
    id: 'subjectRequests',
    permissions: ['requests.file'],
    async items(q, viewer) {
      const today = viewer.now.slice(0, 10);
      const inAWeek = new Date(Date.parse(`${today}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
      const open = () => q(SUBJECT_REQUESTS_TABLE).whereIn('status', OPEN_STATUSES);
      const overdue = countOf(await open().where('due_on', '<', today).count<{ n: number | string }[]>({ n: '*' }));
      const dueSoon = countOf(await open().where('due_on', '>=', today).where('due_on', '<', inAWeek).count<{ n: number | string }[]>({ n: '*' }));
      const mine = countOf(await open().where({ created_by: viewer.userId }).count<{ n: number | string }[]>({ n: '*' }));
      return [
        { id: 'requests.overdue', section: 'decide', label: 'Customer requests overdue', count: overdue, tone: overdue ? 'danger' : 'action', page: 'requests', detail: null, at: null },
        { id: 'requests.dueThisWeek', section: 'decide', label: 'Customer requests due this week', count: dueSoon, tone: 'action', page: 'requests', detail: null, at: null },
        { id: 'requests.mine', section: 'mine', label: 'Customer requests you logged, still open', count: mine, tone: 'info', page: 'requests', detail: null, at: null },
      ];
    },
  };
}
