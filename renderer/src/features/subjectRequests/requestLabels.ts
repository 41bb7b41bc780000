import type { SubjectRequestView } from '../../../../main/features/subjectRequests/subjectRequests.contract.std';

export const STATUS_COLORS: Record<SubjectRequestView['status'], string> = {
  open: 'blue',
  in_progress: 'indigo',
  extended: 'grape',
  completed: 'teal',
  refused: 'gray',
};

/** "Overdue by 3 days", "Due today", "Due in 5 days" — or null once closed. */
export function dueText(request: Pick<SubjectRequestView, 'daysLeft'>): string | null {
  const left = request.daysLeft;
  if (left === null) return null;
  if (left < 0) return `Overdue by ${-left} day${left === -1 ? '' : 's'}`;
  if (left === 0) return 'Due today';
  return `Due in ${left} day${left === 1 ? '' : 's'}`;
}

/** A calendar date (YYYY-MM-DD) in the office's format: the one formatter (ui/format.ts). */
export { formatDate } from '../../ui/format';

/** Who the request is about, as this viewer may see it. */
export function customerLabel(request: Pick<SubjectRequestView, 'customerName' | 'customerPresent' | 'customerQuarantined' | 'customerId'>): string {
  if (!request.customerPresent) return 'Deleted customer';
  if (request.customerQuarantined) return 'Quarantined record (minor)';
  return request.customerName ?? `Customer ${request.customerId.slice(0, 8)}`;
}
