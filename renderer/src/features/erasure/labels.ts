import type { ApprovalStatus } from '../../../../main/features/approvals/approvals.contract.std';
import type { DeletionChannel, DeletionReason, RetentionOutcome, RetentionSkip, TombstoneReason } from '../../../../main/features/erasure/erasure.contract.std';

export const REASON_LABELS: Record<DeletionReason, string> = {
  customer_request: 'The customer asked',
  no_longer_uses: 'No longer uses the service',
  minor: 'Received from a minor (under 18)',
  other: 'Other',
};
export const TOMBSTONE_REASON_LABELS: Record<TombstoneReason, string> = {
  ...REASON_LABELS,
  retention: 'Retention period passed',
  restore: 'Re-applied after a backup restore',
};
export const CHANNEL_LABELS: Record<DeletionChannel, string> = {
  email: 'Email',
  phone: 'Phone',
  letter: 'Letter',
  in_person: 'In person',
  web_form: 'Web form',
  internal: 'Found internally',
};
export const STATUS_LABELS: Record<ApprovalStatus, string> = {
  pending: 'Waiting for a decision',
  approved: 'Approved',
  denied: 'Denied',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
};
export const STATUS_COLORS: Record<ApprovalStatus, string> = { pending: 'orange', approved: 'teal', denied: 'red', withdrawn: 'gray', expired: 'gray' };
export const SKIP_LABELS: Record<RetentionSkip, string> = { hold: 'Skipped: legal hold', open_request: 'Skipped: open request' };
export const OUTCOME_LABELS: Record<RetentionOutcome, string> = {
  deleted: 'Deleted',
  skipped_hold: 'Skipped (legal hold)',
  skipped_open_request: 'Skipped (open request)',
  skipped_reopened: 'Skipped (reopened)',
  already_deleted: 'Already deleted',
};

export const options = <K extends string>(labels: Record<K, string>) => (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
