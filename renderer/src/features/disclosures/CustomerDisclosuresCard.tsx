import { Alert, Badge, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { useRemoteData } from '../../ui/useRemoteData';
import { DISCLOSABLE_FIELD_LABELS, DISCLOSURE_KIND_LABELS, RECIPIENT_KIND_LABELS } from './labels';

/**
 * On a customer's record: what was released about them, to whom, when and why, and the recipients to tell after
 * a correction or deletion (GDPR art. 19).
 */
export function CustomerDisclosuresCard({ customerId }: { customerId: string }) {
  const load = useCallback(() => call('disclosures.forCustomer', { customerId }), [customerId]);
  const accounting = useRemoteData(load);
  const list = accounting.data?.disclosures ?? [];
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="customer-disclosures-title">
      <Title order={2} size="h4" mb="xs" id="customer-disclosures-title">
        Disclosures
      </Title>
      {accounting.error && (
        <Alert color="red" variant="light" role="alert">
          {accounting.error}
        </Alert>
      )}
      {accounting.data && list.length === 0 && (
        <Text size="sm" c="dimmed">
          Nothing about this customer has been disclosed.
        </Text>
      )}
      {list.length > 0 && (
        <Stack>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="xs" aria-label="Disclosures about this customer">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Released</Table.Th>
                  <Table.Th>To</Table.Th>
                  <Table.Th>Fields</Table.Th>
                  <Table.Th>Why</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((d) => (
                  <Table.Tr key={d.entryId}>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(d.releasedAt)}
                      </Text>
                      {d.corrected && (
                        <Badge color="gray" variant="light" size="sm">
                          Corrected
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{d.recipientName}</Text>
                      <Text size="xs" c="dimmed">
                        {DISCLOSURE_KIND_LABELS[d.kind]}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{d.fields.map((f) => DISCLOSABLE_FIELD_LABELS[f]).join(', ')}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
                        {d.purpose}
                      </Text>
                      {d.legalReference && (
                        <Text size="xs" c="dimmed">
                          Reference {d.legalReference}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <div>
            <Text size="sm" fw={500}>
              Recipients to tell after a correction or deletion
            </Text>
            <Text size="sm">
              {(accounting.data?.recipientsToTell ?? []).map((r) => `${r.recipientName} (${RECIPIENT_KIND_LABELS[r.kind]}, last ${formatDateTime(r.lastReleasedAt)})`).join('; ')}
            </Text>
          </div>
        </Stack>
      )}
    </Paper>
  );
}
