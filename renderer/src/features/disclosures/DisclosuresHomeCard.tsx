import { Paper, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { useRemoteData } from '../../ui/useRemoteData';
import { useActiveSession } from '../session/sessionContext';

/** Home: the disclosures waiting for this person — a manager's queue, or one's own open requests (the page is in the navigation). */
export function DisclosuresHomeCard() {
  const { role } = useActiveSession();
  if (!roleHolds(role, 'disclosures.read')) return null;
  return <OpenDisclosures manager={roleHolds(role, 'disclosures.approve')} />;
}

function OpenDisclosures({ manager }: { manager: boolean }) {
  const load = useCallback(() => call('disclosures.requests.list', { limit: 200 }), []);
  const requests = useRemoteData(load);
  if (!requests.data) return null;
  const queue = requests.data.queue.length;
  const open = requests.data.mine.filter((r) => r.status === 'pending' || r.status === 'approved').length;
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="home-disclosures-title">
      <Title order={2} size="h4" id="home-disclosures-title">
        Disclosures
      </Title>
      <Text size="sm" mt={4}>
        {manager
          ? queue === 0
            ? 'No disclosure request waits for a manager.'
            : `${queue} disclosure request(s) wait for a manager to approve or release (see Disclosures).`
          : open === 0
            ? 'You have no open disclosure requests.'
            : `${open} of your disclosure requests are open, waiting for approval or release (see Disclosures).`}
      </Text>
    </Paper>
  );
}
