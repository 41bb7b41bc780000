import { Badge } from '@mantine/core';
import { REQUEST_STATUS_LABELS, type SubjectRequestView } from '../../../../main/features/subjectRequests/subjectRequests.contract.std';
import { STATUS_COLORS } from './requestLabels';

export function RequestStatusBadge({ status }: { status: SubjectRequestView['status'] }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light">
      {REQUEST_STATUS_LABELS[status]}
    </Badge>
  );
}

/** Overdue in red, due within the week in orange; nothing for later or closed requests. */
export function UrgencyBadge({ request }: { request: Pick<SubjectRequestView, 'urgency' | 'daysLeft'> }) {
  if (request.urgency === 'overdue') {
    return (
      <Badge color="red" variant="filled">
        Overdue
      </Badge>
    );
  }
  if (request.urgency === 'due_this_week') {
    return (
      <Badge color="orange" variant="light">
        Due this week
      </Badge>
    );
  }
  return null;
}
