import { Alert, List, Loader, Stack, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useCallback, useId } from 'react';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { useRemoteData } from '../../ui/useRemoteData';

/** After a correction or deletion: who received this customer's data and must be told of it. */
export function RecipientsPanel({ customerId }: { customerId: string }) {
  const load = useCallback(() => call('subjectRequests.recipients', { customerId }), [customerId]);
  const answer = useRemoteData(load);
  const titleId = useId();
  return (
    <Stack gap="xs" aria-labelledby={titleId} component="section">
      <Title order={3} size="h5" id={titleId}>
        Recipients to tell
      </Title>
      {answer.loading && <Loader size="sm" aria-label="Loading recipients" />}
      {answer.error && (
        <Alert color="red" variant="light" role="alert">
          {answer.error}
        </Alert>
      )}
      {answer.data?.note && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
          {answer.data.note}
        </Alert>
      )}
      {answer.data && answer.data.recipients.length > 0 && (
        <List size="sm" spacing={4}>
          {answer.data.recipients.map((r) => (
            <List.Item key={`${r.recipient}-${r.disclosedAt}`}>
              <Text size="sm" span fw={600}>
                {r.recipient}
              </Text>{' '}
              — {r.categories.join(', ')} ({formatDateTime(r.disclosedAt)})
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
