import { Button, Code, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { useRemoteData } from '../../ui/useRemoteData';
import { CHANNEL_LABELS, TOMBSTONE_REASON_LABELS } from './labels';
import { RemoteStatus } from '../../ui/RemoteStatus';

const PAGE = 50;

/** What remains of deleted customers: an opaque id, dates, the reason category and who asked and approved. */
export function TombstonesPage() {
  const [offset, setOffset] = useState(0);
  const load = useCallback(() => call('erasure.tombstones', { offset, limit: PAGE }), [offset]);
  const register = useRemoteData(load);
  const rows = register.data?.tombstones ?? [];
  const total = register.data?.total ?? 0;
  return (
    <Stack gap="lg">
      <PageHeader
        title="Deleted customers"
        description="The tombstone register: every deleted customer leaves an opaque id, its dates, the reason and who asked and approved. Nothing here identifies anyone."
        actions={
          <Button variant="default" leftSection={<IconRefresh size={18} aria-hidden />} onClick={register.reload}>
            Refresh
          </Button>
        }
      />
      <Paper withBorder radius="md" p="xs">
        <RemoteStatus remote={register} loadingLabel="Loading the register" isEmpty={rows.length === 0} empty={<>No customer has been deleted yet.</>} />
        {rows.length > 0 && (
          <Table.ScrollContainer minWidth={880}>
            <Table verticalSpacing="sm" aria-label="Deleted customers">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Deleted</Table.Th>
                  <Table.Th>Opaque id</Table.Th>
                  <Table.Th>Reason</Table.Th>
                  <Table.Th>Requested</Table.Th>
                  <Table.Th>Approved</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.id}>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(row.deletedAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Code fz="xs">{row.id}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{TOMBSTONE_REASON_LABELS[row.reason]}</Text>
                      {row.channel && (
                        <Text size="xs" c="dimmed">
                          by {CHANNEL_LABELS[row.channel].toLowerCase()}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{row.requesterName ?? (row.requesterId ? 'Removed account' : '—')}</Text>
                      <Text size="xs" c="dimmed">
                        {formatDateTime(row.requestedAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{row.approverName ?? (row.approverId ? 'Removed account' : '—')}</Text>
                      <Text size="xs" c="dimmed">
                        {formatDateTime(row.approvedAt)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {total > PAGE && (
          <Group justify="space-between" p="sm">
            <Text size="sm" c="dimmed">
              {offset + 1}–{offset + rows.length} of {total}
            </Text>
            <Group gap="xs">
              <Button size="compact-sm" variant="default" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                Newer
              </Button>
              <Button size="compact-sm" variant="default" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
                Older
              </Button>
            </Group>
          </Group>
        )}
      </Paper>
    </Stack>
  );
}
