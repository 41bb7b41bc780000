/**
 * What other features use of approvals: they register an ApprovalKind (in the composition root) and file
 * requests through the service, which enforces four eyes (nobody decides their own request).
 */
export type { ApprovalKind, ApprovalRequest } from './approvalKinds.node.ts';
export type { ApprovalRecord, ApprovalService } from './approvalService.node.ts';
