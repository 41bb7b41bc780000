import { Badge, Code, Group, Table, Text } from '@mantine/core';
import type { AuditDetails, AuditEvent } from '../../../../main/features/audit/audit.contract.std';
import { formatDateTime } from '../../ui/format';

const OUTCOME_COLORS: Record<AuditEvent['outcome'], string> = { ok: 'teal', denied: 'orange', failed: 'red' };

function detailText(value: AuditDetails[string]): string {
  if (Array.isArray(value)) return value.join(', ');
  return value === null ? '—' : String(value);
}

function Details({ details }: { details: AuditDetails }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Group gap={4}>
      {entries.map(([key, value]) => (
        <Code key={key}>
          {key}: {detailText(value)}
        </Code>
      ))}
    </Group>
  );
}

export function AuditTable({ events }: { events: readonly AuditEvent[] }) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table verticalSpacing="xs" striped highlightOnHover aria-label="Audit events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Time</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.seq}>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {event.seq}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(event.at, { seconds: true })}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{event.actorName ?? (event.actorId ? 'Removed account' : 'System / not signed in')}</Text>
              </Table.Td>
              <Table.Td>
                <Code>{event.action}</Code>
              </Table.Td>
              <Table.Td>
                <Badge color={OUTCOME_COLORS[event.outcome]} variant="light">
                  {event.outcome}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Details details={event.details} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
