import { Alert, Badge, Button, Center, Group, Loader, Paper, Stack, Table, Tabs, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconPlus, IconRefresh } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import type { Recipient, RequestSummary } from '../../../../main/features/disclosures/disclosures.contract.std';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { PageHeader } from '../../ui/PageHeader';
import { useRemoteData } from '../../ui/useRemoteData';
import { useActiveSession } from '../session/sessionContext';
import { DISCLOSABLE_FIELD_LABELS, RECIPIENT_KIND_LABELS } from './labels';
import { NewRequestModal } from './NewRequestModal';
import { RecipientModal } from './RecipientModal';
import { ReleasedModal } from './ReleaseModal';
import { useUnseenRelease } from './releaseTask';
import { RequestDetailModal } from './RequestDetailModal';
import { RequestsTable } from './RequestsTable';

/** Disclosure requests (one's own and, for managers, the queue to decide and release) and the recipient registry. */
export function DisclosuresPage() {
  const { role, userId } = useActiveSession();
  const released = useUnseenRelease(userId);
  const manager = roleHolds(role, 'disclosures.approve');
  const loadRequests = useCallback(() => call('disclosures.requests.list', { limit: 100 }), []);
  const requests = useRemoteData(loadRequests);
  const loadRecipients = useCallback(() => call('disclosures.recipients.list', { includeInactive: true }), []);
  const recipients = useRemoteData(loadRecipients);
  const [opened, setOpened] = useState<RequestSummary | null>(null);
  const [filing, setFiling] = useState(false);
  const [editing, setEditing] = useState<Recipient | 'new' | null>(null);
  const reloadAll = () => {
    requests.reload();
    recipients.reload();
  };

  return (
    <Stack gap="lg">
      <PageHeader
        title="Disclosures"
        description="Customer data leaves iTechno only to the e-commerce chain, consented third parties or when the law requires it, approved by a manager."
        actions={
          roleHolds(role, 'disclosures.request') && (
            <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setFiling(true)} disabled={!recipients.data}>
              Request a disclosure
            </Button>
          )
        }
      />
      <Tabs defaultValue="requests" keepMounted={false}>
        <Group justify="space-between" align="flex-end">
          <Tabs.List aria-label="Disclosures">
            <Tabs.Tab value="requests">Requests</Tabs.Tab>
            <Tabs.Tab value="recipients">Recipients</Tabs.Tab>
          </Tabs.List>
          <Button variant="default" size="compact-sm" leftSection={<IconRefresh size={16} aria-hidden />} onClick={reloadAll}>
            Refresh
          </Button>
        </Group>
        <Tabs.Panel value="requests" pt="md">
          <Stack>
            {requests.error && (
              <Alert color="red" variant="light" role="alert">
                {requests.error}
              </Alert>
            )}
            {requests.loading && (
              <Center p="xl">
                <Loader aria-label="Loading requests" />
              </Center>
            )}
            {requests.data && manager && (
              <Paper withBorder radius="md" p="md">
                <Title order={2} size="h4" mb="xs">
                  Waiting for a manager
                </Title>
                {requests.data.queue.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    Nothing to decide or release.
                  </Text>
                ) : (
                  <RequestsTable label="Requests waiting for a manager" requests={requests.data.queue} showRequester onOpen={setOpened} />
                )}
              </Paper>
            )}
            {requests.data && (
              <Paper withBorder radius="md" p="md">
                <Title order={2} size="h4" mb="xs">
                  Your requests
                </Title>
                {requests.data.mine.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    You have not requested any disclosure yet.
                  </Text>
                ) : (
                  <RequestsTable label="Your requests" requests={requests.data.mine} showRequester={false} onOpen={setOpened} />
                )}
              </Paper>
            )}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="recipients" pt="md">
          <Paper withBorder radius="md" p="md">
            {recipients.error && (
              <Alert color="red" variant="light" role="alert">
                {recipients.error}
              </Alert>
            )}
            {roleHolds(role, 'disclosures.recipients') && (
              <Button mb="sm" variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
                Add a recipient
              </Button>
            )}
            <Table.ScrollContainer minWidth={700}>
              <Table verticalSpacing="sm" aria-label="Recipients">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th>May receive</Table.Th>
                    <Table.Th>Version</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(recipients.data?.recipients ?? []).map((r) => (
                    <Table.Tr key={r.id}>
                      <Table.Td>{r.name}</Table.Td>
                      <Table.Td>{RECIPIENT_KIND_LABELS[r.kind]}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{r.allowedFields.map((f) => DISCLOSABLE_FIELD_LABELS[f]).join(', ')}</Text>
                        {r.widenedFields.length > 0 && (
                          <Badge color="orange" variant="light" size="sm">
                            Widened
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>{r.version}</Table.Td>
                      <Table.Td>
                        <Badge color={r.active ? 'teal' : 'gray'} variant="light">
                          {r.active ? 'Active' : 'Inactive'}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Button size="compact-sm" variant="default" onClick={() => setEditing(r)} aria-label={`${roleHolds(role, 'disclosures.recipients') ? 'Edit' : 'View'} ${r.name}`}>
                          {roleHolds(role, 'disclosures.recipients') ? 'Edit' : 'View'}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {recipients.data?.recipients.length === 0 && (
              <Text size="sm" c="dimmed">
                No recipients yet. A manager adds shipping companies, vendors, authorities and consented partners here.
              </Text>
            )}
          </Paper>
        </Tabs.Panel>
      </Tabs>
      {released && <ReleasedModal released={released} />}
      {opened && (
        <RequestDetailModal
          request={opened}
          onClose={() => setOpened(null)}
          onChanged={() => {
            setOpened(null);
            requests.reload();
          }}
        />
      )}
      {filing && recipients.data && (
        <NewRequestModal
          recipients={recipients.data.recipients}
          onClose={() => setFiling(false)}
          onFiled={() => {
            setFiling(false);
            requests.reload();
          }}
        />
      )}
      {editing && (
        <RecipientModal
          recipient={editing === 'new' ? null : editing}
          canEdit={roleHolds(role, 'disclosures.recipients')}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            recipients.reload();
          }}
        />
      )}
    </Stack>
  );
}
