import { Alert, Button, Card, Group, Modal, Stack, Text } from '@mantine/core';
import { useCallback } from 'react';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { formatDateTime } from '../../ui/format';
import { notifySuccess } from '../../ui/notify';
import { useRemoteData } from '../../ui/useRemoteData';
import { useSubmission } from '../../ui/useSubmission';

/** The recovery-kit shares the signed-in person holds: each custodian acknowledges their own role here. */
export function CustodianModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const load = useCallback(() => (opened ? call('keys.custodian.mine', {}) : Promise.resolve({ shares: [] })), [opened]);
  const mine = useRemoteData(load);
  const { submitting, failure, run } = useSubmission();
  const acknowledge = (kitId: string) =>
    run(async () => {
      await call('keys.custodian.acknowledge', { kitId });
      notifySuccess('Thank you: your custodian role is recorded.');
      mine.reload();
    });
  const shares = mine.data?.shares ?? [];
  return (
    <Modal opened={opened} onClose={onClose} title="My recovery-kit shares">
      <Stack>
        <Text size="sm">
          A custodian keeps one printed share of the office key's recovery kit in a locked place and brings it when IT must
          restore the key. One share alone reveals nothing; two of the three, with the kit passphrase, restore the key.
        </Text>
        <FormFailure message={failure ?? mine.error} />
        {shares.length === 0 && (
          <Text size="sm" c="dimmed">
            You hold no share of a recovery kit.
          </Text>
        )}
        {shares.map((s) => (
          <Card key={`${s.kitId}/${s.share}`} withBorder padding="sm">
            <Text size="sm" fw={600}>
              Share {s.share} of {s.shares} — kit made {formatDateTime(s.createdAt)}
            </Text>
            {!s.current && (
              <Alert color="gray" variant="light" mt="xs">
                The key was rotated since: this kit no longer restores it. Destroy the sheet when IT says so.
              </Alert>
            )}
            <Group justify="space-between" mt="xs">
              <Text size="sm">{s.acknowledgedAt ? `Acknowledged ${formatDateTime(s.acknowledgedAt)}` : 'Not acknowledged yet'}</Text>
              {!s.acknowledgedAt && (
                <Button size="xs" loading={submitting} onClick={() => void acknowledge(s.kitId)}>
                  I hold this share and accept the role
                </Button>
              )}
            </Group>
          </Card>
        ))}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
