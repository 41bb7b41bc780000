import { Badge, Button, Table, Text, VisuallyHidden } from '@mantine/core';
import type { RequestSummary } from '../../../../main/features/disclosures/disclosures.contract.std';
import { formatDateTime } from '../../ui/format';
import { DISCLOSABLE_FIELD_LABELS, DISCLOSURE_KIND_LABELS, fieldLabel, STATUS_COLORS, STATUS_LABELS } from './labels';

interface RequestsTableProps {
  label: string;
  requests: readonly RequestSummary[];
  showRequester: boolean;
  onOpen(request: RequestSummary): void;
}

/** Disclosure requests: what, to whom, about how many customers, and where each stands. */
export function RequestsTable({ label, requests, showRequester, onOpen }: RequestsTableProps) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table verticalSpacing="sm" highlightOnHover aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Requested</Table.Th>
            {showRequester && <Table.Th>By</Table.Th>}
            <Table.Th>Recipient</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Fields</Table.Th>
            <Table.Th>Customers</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {requests.map((request) => (
            <Table.Tr key={request.id}>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(request.requestedAt)}
                </Text>
              </Table.Td>
              {showRequester && (
                <Table.Td>
                  <Text size="sm">{request.requesterName ?? 'Removed account'}</Text>
                </Table.Td>
              )}
              <Table.Td>
                <Text size="sm">{request.recipientName}</Text>
                <Text size="xs" c="dimmed">
                  version {request.recipientVersion}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{DISCLOSURE_KIND_LABELS[request.kind]}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{request.fields.map((f) => fieldLabel(f, DISCLOSABLE_FIELD_LABELS)).join(', ')}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{request.customerCount}</Text>
              </Table.Td>
              <Table.Td miw={130}>
                <Badge color={STATUS_COLORS[request.status]} variant="light">
                  {STATUS_LABELS[request.status]}
                </Badge>
                {request.decidedAt && (
                  <Text size="xs" c="dimmed" mt={2}>
                    {request.deciderName ?? 'Removed account'} · {formatDateTime(request.decidedAt)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Button
                  size="compact-sm"
                  variant={request.canDecide || request.canRelease ? 'filled' : 'default'}
                  onClick={() => onOpen(request)}
                  aria-label={`${request.canDecide ? 'Decide' : request.canRelease ? 'Release' : 'Open'} the request to ${request.recipientName} of ${formatDateTime(request.requestedAt)}`}
                >
                  {request.canDecide ? 'Decide' : request.canRelease ? 'Release' : 'Open'}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
