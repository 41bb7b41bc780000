import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconGavel, IconTrash } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import type { LegalHoldView } from '../../../../main/features/erasure/erasure.contract.std';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { useRemoteData } from '../../ui/useRemoteData';
import { useActiveSession } from '../session/sessionContext';
import { FileDeletionModal } from './FileDeletionModal';
import { PlaceHoldModal } from './PlaceHoldModal';
import { ReleaseHoldModal } from './ReleaseHoldModal';

/** On a customer record: file a deletion request; for managers, the record's legal holds (place, release). */
export function RecordErasureCard({ customerId, customerLabel }: { customerId: string; customerLabel: string }) {
  const { role } = useActiveSession();
  const canFile = roleHolds(role, 'erasure.request');
  const canHold = roleHolds(role, 'erasure.hold');
  const [dialog, setDialog] = useState<'file' | 'hold' | null>(null);
  const [releasing, setReleasing] = useState<LegalHoldView | null>(null);
  const loadHolds = useCallback(() => (canHold ? call('erasure.holds', { customerId }) : Promise.resolve({ holds: [] as LegalHoldView[] })), [canHold, customerId]);
  const holds = useRemoteData(loadHolds);
  if (!canFile && !canHold) return null;
  const active = holds.data?.holds ?? [];
  return (
    <Paper withBorder radius="md" p="lg">
      <Title order={2} size="h4" mb="sm">
        Deletion and legal holds
      </Title>
      <Stack gap="sm">
        {active.map((hold) => (
          <Alert key={hold.id} color="orange" variant="light" icon={<IconGavel aria-hidden />} title={`Legal hold ${hold.reference}`}>
            <Text size="sm">
              {hold.reason} — placed by {hold.placedByName ?? 'a removed account'} on {formatDateTime(hold.placedAt)}, {hold.endsOn ? `through ${hold.endsOn}` : 'until released'}.
            </Text>
            <Button size="compact-sm" variant="light" color="orange" mt="xs" onClick={() => setReleasing(hold)}>
              Release hold
            </Button>
          </Alert>
        ))}
        <Text size="sm" c="dimmed">
          Deleting removes every record about the customer once a manager approves. A legal hold stops any deletion while it lasts.
        </Text>
        <Group>
          {canFile && (
            <Button variant="light" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => setDialog('file')}>
              Request deletion
            </Button>
          )}
          {canHold && (
            <Button variant="light" color="orange" leftSection={<IconGavel size={16} aria-hidden />} onClick={() => setDialog('hold')}>
              Place legal hold
            </Button>
          )}
        </Group>
      </Stack>
      {dialog === 'file' && <FileDeletionModal customerId={customerId} customerLabel={customerLabel} onClose={() => setDialog(null)} />}
      {dialog === 'hold' && (
        <PlaceHoldModal
          customerId={customerId}
          customerLabel={customerLabel}
          onClose={() => setDialog(null)}
          onPlaced={() => {
            setDialog(null);
            holds.reload();
          }}
        />
      )}
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
    </Paper>
  );
}
