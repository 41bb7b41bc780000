import { Badge, Button, Group, Modal, Paper, Radio, SegmentedControl, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import { RELEASE_REASONS, type MinorCase } from '../../../../main/features/minors/minors.contract.std';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { formatDateTime } from '../../ui/format';
import { notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { useRemoteData } from '../../ui/useRemoteData';
import { useSubmission } from '../../ui/useSubmission';
import { useActiveSession } from '../session/sessionContext';
import { CASE_STATE_COLORS, CASE_STATE_LABELS, QUARANTINE_REASON_LABELS, RELEASE_REASON_LABELS } from './labels';
import { RemoteStatus } from '../../ui/RemoteStatus';
import { RecordId } from '../../ui/RecordId';

type Filter = 'open' | 'closed' | 'all';
const FILTERS: { value: Filter; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'closed', label: 'Closed' },
  { value: 'all', label: 'All' },
];
const PAGE_SIZE = 200;

/**
 * The minors report: every record found to be a minor's, from quarantine to erasure, with no PII — a case is an
 * opaque record id, why and when it was found, by whom, and where its deletion stands.
 */
export function MinorsPage() {
  const { role, userId } = useActiveSession();
  const [filter, setFilter] = useState<Filter>('open');
  const [releasing, setReleasing] = useState<MinorCase | null>(null);
  const load = useCallback(() => call('minors.cases', { ...(filter !== 'all' && { open: filter === 'open' }), limit: PAGE_SIZE }), [filter]);
  const cases = useRemoteData(load);
  const list = cases.data?.cases ?? [];
  const counts = cases.data?.counts;
  const canRelease = roleHolds(role, 'minors.release');

  return (
    <Stack gap="lg">
      <PageHeader
        title="Minors"
        description="Records found to belong to someone under 18 are set apart at once and deleted once a manager confirms. Nothing here identifies the child."
        actions={
          <Button variant="default" leftSection={<IconRefresh size={18} aria-hidden />} onClick={cases.reload}>
            Refresh
          </Button>
        }
      />
      {counts && (
        <Group grow role="list" aria-label="Cases by state">
          {(
            [
              ['Awaiting deletion', counts.awaitingDeletion],
              ['Needs a decision', counts.needsDecision],
              ['Erased', counts.erased],
              ['Released', counts.released],
            ] as const
          ).map(([label, n]) => (
            <Paper key={label} withBorder radius="md" p="md" role="listitem">
              <Text size="xs" c="dimmed">
                {label}
              </Text>
              <Text fw={700} fz="xl">
                {n}
              </Text>
            </Paper>
          ))}
        </Group>
      )}
      <SegmentedControl value={filter} onChange={(value) => setFilter(value as Filter)} data={FILTERS} aria-label="Show cases that are" w={300} />
      <Paper withBorder radius="md" p="xs">
        <RemoteStatus remote={cases} loadingLabel="Loading cases" isEmpty={list.length === 0} empty={filter === 'open' ? 'No open cases. No record is waiting as a minor’s.' : 'No cases.'} />
        {list.length > 0 && (
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing="sm" highlightOnHover aria-label="Minor cases">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Found</Table.Th>
                  <Table.Th>Record</Table.Th>
                  <Table.Th>Why</Table.Th>
                  <Table.Th>Found by</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Closed</Table.Th>
                  {canRelease && <Table.Th>Action</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(c.foundAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <RecordId id={c.customerId} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{QUARANTINE_REASON_LABELS[c.reason]}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{c.foundByName ?? 'Removed account'}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={CASE_STATE_COLORS[c.state]} variant="light">
                        {CASE_STATE_LABELS[c.state]}
                      </Badge>
                      {c.state === 'needs_decision' && (
                        <Text size="xs" c="dimmed" mt={4}>
                          {c.deletionRequestId ? `Deletion request ${c.deletionRequestStatus ?? 'gone'}` : 'No deletion request (legal hold)'}
                        </Text>
                      )}
                      {c.releaseReason && (
                        <Text size="xs" c="dimmed" mt={4}>
                          {RELEASE_REASON_LABELS[c.releaseReason]}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {c.closedAt ? formatDateTime(c.closedAt) : '—'}
                      </Text>
                      {c.closedByName && (
                        <Text size="xs" c="dimmed">
                          {c.closedByName}
                        </Text>
                      )}
                    </Table.Td>
                    {canRelease && (
                      <Table.Td>
                        {c.state === 'needs_decision' && (
                          <Tooltip label="You raised this case: another manager must release it" disabled={!ownCase(c, userId)}>
                            <Button size="compact-sm" variant="light" disabled={ownCase(c, userId)} onClick={() => setReleasing(c)}>
                              Release…
                            </Button>
                          </Tooltip>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {releasing && (
        <ReleaseModal
          minorCase={releasing}
          onClose={() => setReleasing(null)}
          onReleased={() => {
            setReleasing(null);
            cases.reload();
          }}
        />
      )}
    </Stack>
  );
}

/** Four eyes: whoever raised a case cannot release it (main refuses it too). */
function ownCase(c: MinorCase, userId: string): boolean {
  return c.foundBy === userId;
}

function ReleaseModal({ minorCase, onClose, onReleased }: { minorCase: MinorCase; onClose(): void; onReleased(): void }) {
  const { submitting, failure, run } = useSubmission();
  const [reason, setReason] = useState<(typeof RELEASE_REASONS)[number] | null>(null);
  const release = () =>
    void run(async () => {
      if (!reason) throw new Error('Choose why the record is released.');
      await call('minors.release', { caseId: minorCase.id, reason });
      notifySuccess('Record released from quarantine: it is back in lists and searches.');
      onReleased();
    });
  return (
    <Modal opened onClose={onClose} title="Release this record from quarantine" centered>
      <Stack>
        <Text size="sm">
          Only when the record is not a minor’s after all. It returns to lists, searches and mailings. You will be
          asked for your password.
        </Text>
        <Radio.Group label="Why" value={reason} onChange={(value) => setReason(value as typeof reason)} required>
          <Stack gap="xs" mt="xs">
            {RELEASE_REASONS.map((value) => (
              <Radio key={value} value={value} label={RELEASE_REASON_LABELS[value]} />
            ))}
          </Stack>
        </Radio.Group>
        <FormFailure message={failure} title="Not released" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={submitting} onClick={release}>
            Release record
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
