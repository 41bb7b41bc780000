import { Button, Group, Paper, Text, Title } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useCallback } from 'react';
import { Link } from 'react-router';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { useRemoteData } from '../../ui/useRemoteData';
import { useActiveSession } from '../session/sessionContext';

/** Home: deletion requests waiting — the manager's queue, or what the signed-in person filed and its outcome. */
export function DeletionsHomeCard() {
  const { role } = useActiveSession();
  const allowed = roleHolds(role, 'erasure.request');
  const decider = roleHolds(role, 'erasure.decide');
  const load = useCallback(() => (allowed ? call('erasure.requests', { limit: 200 }) : Promise.resolve({ requests: [] })), [allowed]);
  const requests = useRemoteData(load);
  if (!allowed || !requests.data) return null;
  const list = requests.data.requests;
  const waiting = list.filter((r) => r.status === 'pending').length;
  const text = decider
    ? waiting === 0
      ? 'No deletion request is waiting for your decision.'
      : `${waiting} deletion request${waiting === 1 ? ' is' : 's are'} waiting for a decision.`
    : list.length === 0
      ? 'You have not filed a deletion request.'
      : `You filed ${list.length} deletion request${list.length === 1 ? '' : 's'}; ${waiting} still waiting for a manager.`;
  return (
    <Paper withBorder p="lg" radius="md">
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Title order={2} size="h4">
            Deletions
          </Title>
          <Text size="sm" mt={4}>
            {text}
          </Text>
        </div>
        <Button component={Link} to="/deletions" variant="light" leftSection={<IconTrash size={16} aria-hidden />}>
          {decider ? 'Open the queue' : 'See your requests'}
        </Button>
      </Group>
    </Paper>
  );
}
