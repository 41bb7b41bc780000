import { Paper, Text } from '@mantine/core';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { useActiveSession } from '../session/sessionContext';
import { RecipientsPanel } from './RecipientsPanel';

/** On a record opened for correction: who received this customer's data and must be told of a change. */
export function RecordRecipientsCard({ customerId }: { customerId: string }) {
  const { role } = useActiveSession();
  if (!roleHolds(role, 'requests.read')) return null;
  return (
    <Paper withBorder radius="md" p="lg">
      <RecipientsPanel customerId={customerId} />
      <Text size="xs" c="dimmed" mt="xs">
        After a correction or a deletion, tell each recipient so their copy is corrected or deleted too.
      </Text>
    </Paper>
  );
}
