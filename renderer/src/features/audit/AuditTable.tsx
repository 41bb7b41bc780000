import { Badge, Code, Group, Table, Text } from '@mantine/core';
import type { AuditDetails, AuditEvent } from '../../../../main/features/audit/audit.contract.std';
import { formatDateTime } from '../../ui/format';
import { SortableTh, sortRows, useSort } from '../../ui/SortableTh';

const OUTCOME_COLORS: Record<AuditEvent['outcome'], string> = { ok: 'teal', denied: 'orange', failed: 'red' };

type Names = Readonly<Record<string, string>>;

function detailText(value: AuditDetails[string], names: Names): string {
  if (Array.isArray(value)) return value.map((v) => names[v] ?? v).join(', ');
  return value === null ? '—' : typeof value === 'string' ? (names[value] ?? value) : String(value);
}

function Details({ details, names }: { details: AuditDetails; names: Names }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Group gap={4}>
      {entries.map(([key, value]) => (
        <Code key={key}>
          {key}: {detailText(value, names)}
        </Code>
      ))}
    </Group>
  );
}

type Column = 'seq' | 'actor' | 'action' | 'outcome';
const actorOf = (event: AuditEvent) => event.actorName ?? (event.actorId ? 'Removed account' : 'System / not signed in');

/** One page of the log; sorting reorders that page (the time order is the sequence number's). */
export function AuditTable({ events, names = {} }: { events: readonly AuditEvent[]; names?: Names }) {
  const [sort, toggle] = useSort<Column>({ column: 'seq', direction: 'desc' });
  const shown = sortRows(events, sort, (e, column) => (column === 'seq' ? e.seq : column === 'actor' ? actorOf(e) : column === 'action' ? e.action : e.outcome));
  const th = (label: string, column: Column) => <SortableTh label={label} column={column} sort={sort} onSort={toggle} />;
  return (
    <Table.ScrollContainer minWidth={880}>
      <Table verticalSpacing="xs" striped highlightOnHover aria-label="Audit events">
        <Table.Thead>
          <Table.Tr>
            {th('#', 'seq')}
            <Table.Th scope="col">Time</Table.Th>
            {th('Actor', 'actor')}
            {th('Action', 'action')}
            {th('Outcome', 'outcome')}
            <Table.Th scope="col">Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((event) => (
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
                <Text size="sm">{actorOf(event)}</Text>
              </Table.Td>
              <Table.Td>
                <Code>{event.action}</Code>
              </Table.Td>
              {/* The outcome never shrinks: a cut badge would hide whether a call was refused. */}
              <Table.Td style={{ whiteSpace: 'nowrap', width: '1%' }}>
                <Badge color={OUTCOME_COLORS[event.outcome]} variant="light" style={{ flexShrink: 0, overflow: 'visible' }}>
                  {event.outcome}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Details details={event.details} names={names} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
