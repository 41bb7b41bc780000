import type { RequestStatus } from '../../../../main/features/disclosures/disclosureRules.std';

export { DISCLOSABLE_FIELD_LABELS, DISCLOSURE_KIND_LABELS, RECIPIENT_KIND_LABELS } from '../../../../main/features/disclosures/disclosureRules.std';

export const STATUS_LABELS: Record<RequestStatus, string> = {
  pending: 'Pending',
  approved: 'Approved',
  denied: 'Denied',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
  released: 'Released',
};

export const STATUS_COLORS: Record<RequestStatus, string> = {
  pending: 'orange',
  approved: 'blue',
  denied: 'red',
  withdrawn: 'gray',
  expired: 'gray',
  released: 'teal',
};

/** A field name as a person reads it; anything unknown (never disclosable) is shown as stored. */
export function fieldLabel(field: string, labels: Record<string, string>): string {
  return labels[field] ?? field;
}
