import type { Queryable } from '../../platform/store/database.node.ts';
import type { ApprovalRecord, NewApprovalRequest } from './approvalService.node.ts';

/**
 * What other features may use of approvals: the kind they register (with its hook), and filing and reading
 * their requests (implemented by ApprovalService). Deciding goes through the `approvals.decide` channel only.
 */
export type { ApprovalKind, ApprovalRequest } from './approvalKinds.node.ts';
export type { ApprovalRecord, NewApprovalRequest } from './approvalService.node.ts';

export interface ApprovalRequests {
  request(q: Queryable, input: NewApprovalRequest): Promise<ApprovalRecord>;
  get(q: Queryable, id: string): Promise<ApprovalRecord>;
  /** Marks pending requests past their expiry as expired. */
  expireDue(q: Queryable): Promise<string[]>;
}
