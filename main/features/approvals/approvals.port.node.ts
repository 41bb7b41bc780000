/**
 * What other features may use of approvals: the kind they register, and the service they file and decide their
 * requests through (the composition root passes the one instance in).
 */
export type { ApprovalKind, ApprovalRequest } from './approvalKinds.node.ts';
export type { ApprovalRecord, ApprovalService } from './approvalService.node.ts';
