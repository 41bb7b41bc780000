import { Badge, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import { REQUEST_TYPE_LABELS, type SubjectRequestView } from '../../../../main/features/subjectRequests/subjectRequests.contract.std';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { useRemoteData } from '../../ui/useRemoteData';
import { useActiveSession } from '../session/sessionContext';
import classes from './RequestsHomeCard.module.css';
import { customerLabel, dueText, formatDate } from './requestLabels';

const SHOWN = 5;

function RequestList({ title, requests, empty, color }: { title: string; requests: readonly SubjectRequestView[]; empty: string; color: string }) {
  const id = `requests-${color}-title`;
  return (
    <Stack gap={6} component="section" aria-labelledby={id}>
      <Group gap="xs">
        <Title order={3} size="h6" id={id}>
          {title}
        </Title>
        <Badge color={color} variant={requests.length ? 'filled' : 'light'} aria-label={`${requests.length} requests`}>
          {requests.length}
        </Badge>
      </Group>
      {requests.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <List size="sm" spacing={4}>
          {requests.slice(0, SHOWN).map((r) => (
            <List.Item key={r.id}>
              {REQUEST_TYPE_LABELS[r.type]} — {customerLabel(r)}, due {formatDate(r.dueOn)}{' '}
              <Text span size="xs" c={r.urgency === 'overdue' ? 'red' : 'dimmed'}>
                ({dueText(r)})
              </Text>
            </List.Item>
          ))}
        </List>
      )}
      {requests.length > SHOWN && (
        <Text size="xs" c="dimmed">
          and {requests.length - SHOWN} more
        </Text>
      )}
    </Stack>
  );
}

/**
 * Home: customer requests overdue and due this week, for the roles that follow them (nothing for the others). It holds
 * no control of its own: the navigation's "Customer requests" leads to the tracker, and the home page's first Tab stop
 * stays the skip link.
 */
export function RequestsHomeCard() {
  const { role } = useActiveSession();
  const follows = roleHolds(role, 'requests.read');
  const load = useCallback(() => call('subjectRequests.summary', {}), []);
  if (!follows) return null;
  return <RequestsSummary load={load} />;
}

function RequestsSummary({ load }: { load: () => ReturnType<typeof call<'subjectRequests.summary'>> }) {
  const summary = useRemoteData(load);
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="requests-card-title">
      <Title order={2} size="h4" id="requests-card-title" mb="sm">
        Customer requests
      </Title>
      {summary.error && (
        <Text size="sm" c="red" role="alert">
          {summary.error}
        </Text>
      )}
      {summary.data && (
        <>
          <div className={classes.lists}>
            <RequestList title="Overdue" requests={summary.data.overdue} empty="Nothing overdue." color="red" />
            <RequestList title="Due this week" requests={summary.data.dueThisWeek} empty="Nothing due in the next seven days." color="orange" />
          </div>
          <Text size="xs" c="dimmed" mt="sm">
            {summary.data.openCount} open in all. Work them under Customer requests.
          </Text>
        </>
      )}
    </Paper>
  );
}
