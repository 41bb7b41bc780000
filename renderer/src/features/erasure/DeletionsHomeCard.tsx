import { Paper, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
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
  // Text only: the way there is the Deletions item of the menu (a control here would come before the skip link's
  // content in the tab order right after sign-in).
  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} size="h4">
        Deletions
      </Title>
      <Text size="sm" mt={4}>
        {text} {decider ? 'The queue is under Deletions in the menu.' : 'Requests and their outcomes are under Deletions in the menu.'}
      </Text>
    </Paper>
  );
}
