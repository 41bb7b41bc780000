import { Alert, Paper, Stack, Text, Title } from '@mantine/core';
import { IconSpeakerphone } from '@tabler/icons-react';
import { useCallback } from 'react';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { useRemoteData } from '../../ui/useRemoteData';

/** Home screen: material policy changes whose 30-day notice is posted now, with the days left until they take effect. */
export function PolicyNoticesCard() {
  const load = useCallback(() => call('policy.notices', {}), []);
  const remote = useRemoteData(load);
  const notices = remote.data?.notices ?? [];
  return (
    <section aria-labelledby="policy-notices-title">
      <Paper withBorder radius="md" p="lg">
        <Title order={2} size="h4" id="policy-notices-title" mb="sm">
          Policy change notices
        </Title>
        {remote.error && (
          <Alert color="red" variant="light" role="alert">
            {remote.error}
          </Alert>
        )}
        {remote.data && notices.length === 0 && (
          <Text size="sm" c="dimmed">
            No notice period is running: the policy in force is the latest published version.
          </Text>
        )}
        <Stack gap="sm">
          {notices.map((n) => (
            <Alert key={n.versionId} color="orange" variant="light" icon={<IconSpeakerphone size={20} aria-hidden />} title={`Version ${n.version}: ${n.daysRemaining} ${n.daysRemaining === 1 ? 'day' : 'days'} remaining`}>
              <Text size="sm">{n.changeSummary}</Text>
              <Text size="xs" mt={4}>
                Material change published {formatDateTime(n.publishedAt)}; takes effect on {n.effectiveDate}. Until then the notice stays posted and the previous version applies to new data.
              </Text>
            </Alert>
          ))}
        </Stack>
      </Paper>
    </section>
  );
}
