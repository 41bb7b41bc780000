import { Badge, Button, Group, Pagination, SegmentedControl, Table, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { RECIPIENT_STATUSES, type RecipientStatus } from '../../../../main/features/announcements/announcements.contract.std';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { notifyFailure, notifySuccess } from '../../ui/notify';
import { useRemoteData } from '../../ui/useRemoteData';
import { useActiveSession } from '../session/sessionContext';
import { RECIPIENT_STATUS_COLORS, RECIPIENT_STATUS_LABELS } from './labels';

const PAGE = 25;

/** Who an announcement reaches (masked names) and where each stands; staff record acknowledgements here. */
export function RecipientsTable({ announcementId, onChanged }: { announcementId: string; onChanged(): void }) {
  const session = useActiveSession();
  const [status, setStatus] = useState<RecipientStatus | 'all'>('all');
  const [page, setPage] = useState(1);
  const load = useCallback(
    () => call('announcements.recipients', { announcementId, status: status === 'all' ? undefined : status, offset: (page - 1) * PAGE, limit: PAGE }),
    [announcementId, status, page],
  );
  const remote = useRemoteData(load);
  const [busy, setBusy] = useState<string | null>(null);
  const acknowledge = async (customerId: string, name: string) => {
    setBusy(customerId);
    try {
      await call('announcements.acknowledge', { announcementId, customerId });
      notifySuccess(`Acknowledgement from ${name} recorded.`);
      remote.reload();
      onChanged();
    } catch (error) {
      notifyFailure('Not recorded', error);
    } finally {
      setBusy(null);
    }
  };
  const total = remote.data?.total ?? 0;
  return (
    <div>
      <SegmentedControl
        size="xs"
        value={status}
        onChange={(v) => {
          setStatus(v as RecipientStatus | 'all');
          setPage(1);
        }}
        data={[{ value: 'all', label: 'All' }, ...RECIPIENT_STATUSES.map((s) => ({ value: s, label: RECIPIENT_STATUS_LABELS[s] }))]}
        aria-label="Show recipients who are"
        mb="xs"
      />
      <Table verticalSpacing={4} aria-label="Recipients">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Customer</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Since</Table.Th>
            <Table.Th>Acknowledgement</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(remote.data?.recipients ?? []).map((r) => (
            <Table.Tr key={r.customerId}>
              <Table.Td>
                <Text size="sm">{r.displayName}</Text>
              </Table.Td>
              <Table.Td>
                <Badge color={RECIPIENT_STATUS_COLORS[r.status]} variant="light">
                  {RECIPIENT_STATUS_LABELS[r.status]}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(r.statusAt)}</Text>
              </Table.Td>
              <Table.Td>
                {r.status !== 'acknowledged' && roleHolds(session.role, 'announcements.acknowledge') && (
                  <Button size="compact-xs" variant="light" loading={busy === r.customerId} onClick={() => void acknowledge(r.customerId, r.displayName)} aria-label={`Record acknowledgement from ${r.displayName}`}>
                    Record acknowledgement
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {remote.data && total === 0 && (
        <Text size="sm" c="dimmed" p="sm">
          No recipients {status === 'all' ? '' : `with status ${RECIPIENT_STATUS_LABELS[status].toLowerCase()}`}.
        </Text>
      )}
      {total > PAGE && (
        <Group justify="flex-end" mt="xs">
          <Pagination total={Math.ceil(total / PAGE)} value={page} onChange={setPage} size="sm" aria-label="Recipient pages" />
        </Group>
      )}
    </div>
  );
}
