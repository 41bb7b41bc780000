import type { Queryable } from '../../platform/store/database.node.ts';
import type { ApprovalRecord, NewApprovalRequest } from './approvalService.node.ts';

/**
 * What other features may use of approvals: the kind they register (with its hooks), and the service they file and
 * read their requests through (the composition root passes the one instance in). Deciding goes through a channel.
 */
export type { ApprovalKind, ApprovalRequest } from './approvalKinds.node.ts';
export type { ApprovalRecord, ApprovalService, NewApprovalRequest } from './approvalService.node.ts';

/** Filing and reading requests only (implemented by ApprovalService), for features that never decide one. */
export interface ApprovalRequests {
  request(q: Queryable, input: NewApprovalRequest): Promise<ApprovalRecord>;
  get(q: Queryable, id: string): Promise<ApprovalRecord>;
  /** Marks pending requests past their expiry as expired. */
  expireDue(q: Queryable): Promise<string[]>;
}

/** Home's counts of approvals (home.port.node.ts). */
export { approvalsHomeWork } from './approvalsHome.node.ts';
