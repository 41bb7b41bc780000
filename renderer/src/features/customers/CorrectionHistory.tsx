import { Alert, Badge, Center, List, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { useCallback } from 'react';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { useRemoteData } from '../../ui/useRemoteData';
import { useActiveSession } from '../session/sessionContext';
import { CORRECTABLE_FIELD_LABELS, CORRECTION_SOURCE_LABELS, staffLabel } from './labels';

/** Before / after values as main returns them; an empty value shows as a dash. */
function shown(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : value;
}

/** The correction history of one record. `version` changes after each correction so the list reloads. */
export function CorrectionHistory({ customerId, version }: { customerId: string; version: number }) {
  const { userId } = useActiveSession();
  // `version` is a reload trigger: a new value gives a new loader.
  const load = useCallback(async () => {
    void version;
    return (await call('customers.corrections', { customerId })).corrections;
  }, [customerId, version]);
  const history = useRemoteData(load);

  return (
    <Paper withBorder radius="md" p="lg">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Correction history
        </Title>
        {history.error && (
          <Alert color="red" variant="light" role="alert">
            {history.error}
          </Alert>
        )}
        {!history.data && history.loading && (
          <Center p="md">
            <Loader size="sm" aria-label="Loading correction history" />
          </Center>
        )}
        {history.data?.length === 0 && (
          <Text size="sm" c="dimmed">
            This record was never corrected.
          </Text>
        )}
        {history.data && history.data.length > 0 && (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="xs" fz="sm" aria-label="Correction history" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Source and reason</Table.Th>
                  <Table.Th>Changes</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {history.data.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td valign="top">
                      <Text size="sm">{formatDateTime(entry.at)}</Text>
                      <Text size="xs" c="dimmed">
                        by {staffLabel(entry.actorId, entry.actorName, userId)}
                      </Text>
                    </Table.Td>
                    <Table.Td valign="top">
                      <Badge variant="light" color="indigo" mb={4}>
                        {CORRECTION_SOURCE_LABELS[entry.source]}
                      </Badge>
                      <Text size="sm">{entry.reason}</Text>
                    </Table.Td>
                    <Table.Td valign="top">
                      <List size="sm" spacing={2} listStyleType="none">
                        {entry.fields.map((field) => (
                          <List.Item key={field}>
                            <Text span size="sm" fw={500}>
                              {CORRECTABLE_FIELD_LABELS[field]}:
                            </Text>{' '}
                            <Text span size="sm" td="line-through" c="dimmed">
                              {shown(entry.before[field])}
                            </Text>{' '}
                            <IconArrowRight size={12} aria-label="changed to" />{' '}
                            <Text span size="sm">
                              {shown(entry.after[field])}
                            </Text>
                          </List.Item>
                        ))}
                      </List>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
