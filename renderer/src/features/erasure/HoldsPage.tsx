import { Badge, Button, Paper, Stack, Switch, Table, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import type { LegalHoldView } from '../../../../main/features/erasure/erasure.contract.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { useRemoteData } from '../../ui/useRemoteData';
import { ReleaseHoldModal } from './ReleaseHoldModal';
import { RemoteStatus } from '../../ui/RemoteStatus';
import { RecordId } from '../../ui/RecordId';

/** Every legal hold in force (and, on request, the released ones): who placed it, why, until when. Holds are placed from the customer's record. */
export function HoldsPage() {
  const [includeReleased, setIncludeReleased] = useState(false);
  const [releasing, setReleasing] = useState<LegalHoldView | null>(null);
  const load = useCallback(() => call('erasure.holds', { includeReleased }), [includeReleased]);
  const holds = useRemoteData(load);
  const list = holds.data?.holds ?? [];
  return (
    <Stack gap="lg">
      <PageHeader
        title="Legal holds"
        description="A held customer cannot be deleted, by request or by retention. Place a hold from the customer's record."
        actions={
          <Button variant="default" leftSection={<IconRefresh size={18} aria-hidden />} onClick={holds.reload}>
            Refresh
          </Button>
        }
      />
      <Switch label="Show released and ended holds too" checked={includeReleased} onChange={(e) => setIncludeReleased(e.currentTarget.checked)} />
      <Paper withBorder radius="md" p="xs">
        <RemoteStatus remote={holds} loadingLabel="Loading legal holds" isEmpty={list.length === 0} empty={<>No legal hold is in force.</>} />
        {list.length > 0 && (
          <Table.ScrollContainer minWidth={820}>
            <Table verticalSpacing="sm" aria-label="Legal holds">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Customer</Table.Th>
                  <Table.Th>Reference</Table.Th>
                  <Table.Th>Reason</Table.Th>
                  <Table.Th>Placed</Table.Th>
                  <Table.Th>Until</Table.Th>
                  <Table.Th>Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((hold) => (
                  <Table.Tr key={hold.id}>
                    <Table.Td>
                      <Text size="sm">{hold.customerLabel ?? 'Unknown record'}</Text>
                      <RecordId id={hold.customerId} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{hold.reference}</Text>
                    </Table.Td>
                    <Table.Td maw={360}>
                      <Text size="sm" style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
                        {hold.reason}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(hold.placedAt)}</Text>
                      <Text size="xs" c="dimmed">
                        by {hold.placedByName ?? 'a removed account'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{hold.endsOn ?? 'Until released'}</Text>
                    </Table.Td>
                    <Table.Td>
                      {hold.active ? (
                        <Button size="compact-sm" variant="light" color="orange" onClick={() => setReleasing(hold)} aria-label={`Release hold ${hold.reference}`}>
                          Release
                        </Button>
                      ) : (
                        <Stack gap={2}>
                          <Badge color="gray" variant="light">
                            {hold.releasedAt ? 'Released' : 'Ended'}
                          </Badge>
                          {hold.releasedAt && (
                            <Text size="xs" c="dimmed">
                              {hold.releasedByName ?? 'a removed account'} · {formatDateTime(hold.releasedAt)}
                            </Text>
                          )}
                          {hold.releaseNote && <Text size="xs">{hold.releaseNote}</Text>}
                        </Stack>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {releasing && (
        <ReleaseHoldModal
          hold={releasing}
          onClose={() => setReleasing(null)}
          onDone={() => {
            setReleasing(null);
            holds.reload();
          }}
        />
      )}
    </Stack>
  );
}
