import { Alert, Badge, Button, Center, Code, Group, Loader, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { RETENTION_OUTCOMES, type RetentionBatchView } from '../../../../main/features/erasure/erasure.contract.std';
import { call } from '../../api/client';
import { errorMessage } from '../../api/ApiCallError';
import { formatDateTime } from '../../ui/format';
import { notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { useRemoteData } from '../../ui/useRemoteData';
import { DecideModal, IrreversibleNote } from './DecideModal';
import { OUTCOME_LABELS, SKIP_LABELS, STATUS_COLORS, STATUS_LABELS } from './labels';

const running = (b: RetentionBatchView) => b.status === 'approved' && !b.finishedAt;

/**
 * Retention review: closed customers past the office's retention period. A manager proposes the batch, another
 * approves it, and a job deletes them with progress shown; held customers and those with an open request are skipped.
 */
export function RetentionPage() {
  const load = useCallback(() => call('erasure.retention', {}), []);
  const review = useRemoteData(load);
  const [proposing, setProposing] = useState(false);
  const [proposeError, setProposeError] = useState<string | null>(null);
  const [deciding, setDeciding] = useState<RetentionBatchView | null>(null);
  const batches = review.data?.batches ?? [];
  const anyRunning = batches.some(running);
  const { reload } = review;
  // Progress of a running batch: refreshed every second until it finishes.
  useEffect(() => {
    if (!anyRunning) return;
    const timer = setInterval(reload, 1000);
    return () => clearInterval(timer);
  }, [anyRunning, reload]);

  const propose = async () => {
    setProposing(true);
    setProposeError(null);
    try {
      const { batch } = await call('erasure.proposeRetention', {});
      notifySuccess(`Batch of ${batch.itemCount} customers proposed. Another manager must approve it.`);
      reload();
    } catch (error) {
      setProposeError(errorMessage(error));
    } finally {
      setProposing(false);
    }
  };

  const data = review.data;
  const due = data ? data.candidates.filter((c) => c.skip === null).length : 0;
  return (
    <Stack gap="lg">
      <PageHeader
        title="Retention review"
        description={
          data
            ? `Customers closed for more than ${data.retentionDays} days (before ${formatDateTime(data.closedBefore)}) are due for deletion. Legal holds and open requests are skipped.`
            : 'Closed customers past the office’s retention period.'
        }
        actions={
          <Button variant="default" leftSection={<IconRefresh size={18} aria-hidden />} onClick={reload}>
            Refresh
          </Button>
        }
      />
      {review.error && (
        <Alert color="red" variant="light" role="alert">
          {review.error}
        </Alert>
      )}
      {!data && review.loading && (
        <Center p="xl">
          <Loader aria-label="Loading the retention review" />
        </Center>
      )}
      {data && (
        <>
          <Paper withBorder radius="md" p="md">
            <Group justify="space-between" mb="sm">
              <Title order={2} size="h4">
                Due for deletion ({data.totalDue})
              </Title>
              <Button color="red" variant="light" loading={proposing} disabled={due === 0} onClick={() => void propose()}>
                Propose batch for approval
              </Button>
            </Group>
            {proposeError && (
              <Alert color="red" variant="light" role="alert" mb="sm">
                {proposeError}
              </Alert>
            )}
            {data.candidates.length === 0 ? (
              <Text c="dimmed" size="sm">
                No closed customer is past the retention period.
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={600}>
                <Table verticalSpacing="xs" aria-label="Customers due for deletion">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Customer</Table.Th>
                      <Table.Th>Closed</Table.Th>
                      <Table.Th>In the next batch</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.candidates.map((c) => (
                      <Table.Tr key={c.customerId}>
                        <Table.Td>
                          <Text size="sm">{c.customerLabel}</Text>
                          <Code fz="xs">{c.customerId.slice(0, 8)}</Code>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{formatDateTime(c.closedAt)}</Text>
                        </Table.Td>
                        <Table.Td>
                          {c.skip ? (
                            <Badge color="orange" variant="light">
                              {SKIP_LABELS[c.skip]}
                            </Badge>
                          ) : (
                            <Badge color="red" variant="light">
                              Will be deleted
                            </Badge>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            {data.totalDue > data.candidates.length && (
              <Text size="sm" c="dimmed" mt="xs">
                Showing the {data.candidates.length} closed longest of {data.totalDue}.
              </Text>
            )}
          </Paper>
          <Paper withBorder radius="md" p="md">
            <Title order={2} size="h4" mb="sm">
              Batches
            </Title>
            {batches.length === 0 ? (
              <Text c="dimmed" size="sm">
                No batch proposed yet.
              </Text>
            ) : (
              <Stack gap="md">
                {batches.map((b) => (
                  <BatchRow key={b.id} batch={b} onDecide={() => setDeciding(b)} />
                ))}
              </Stack>
            )}
          </Paper>
        </>
      )}
      {deciding && (
        <DecideModal
          approvalId={deciding.approvalId}
          title="Decide a retention batch"
          approveLabel="Approve and delete"
          summary={
            <Stack gap="xs">
              <Text size="sm">
                Delete <b>{deciding.itemCount}</b> customers closed before {formatDateTime(deciding.closedBefore)}, proposed by {deciding.proposedByName ?? 'a removed account'}. Any placed under
                a hold or with an open request meanwhile is skipped.
              </Text>
              <IrreversibleNote />
            </Stack>
          }
          onClose={() => setDeciding(null)}
          onDone={() => {
            setDeciding(null);
            reload();
          }}
        />
      )}
    </Stack>
  );
}

function BatchRow({ batch, onDecide }: { batch: RetentionBatchView; onDecide(): void }) {
  const done = batch.job?.done ?? 0;
  const percent = batch.itemCount ? Math.round((done / batch.itemCount) * 100) : 0;
  const outcomes = RETENTION_OUTCOMES.filter((o) => batch.outcomes[o]);
  return (
    <Paper withBorder radius="sm" p="sm">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <Badge color={batch.finishedAt ? 'teal' : STATUS_COLORS[batch.status]} variant="light">
              {batch.finishedAt ? 'Done' : running(batch) ? 'Deleting' : STATUS_LABELS[batch.status]}
            </Badge>
            <Text size="sm">
              {batch.itemCount} customers · proposed by {batch.proposedByName ?? 'a removed account'} on {formatDateTime(batch.proposedAt)}
            </Text>
          </Group>
          {batch.decidedAt && (
            <Text size="xs" c="dimmed">
              {STATUS_LABELS[batch.status]}
              {batch.deciderName ? ` by ${batch.deciderName}` : ''} on {formatDateTime(batch.decidedAt)}
              {batch.decisionReason ? ` — ${batch.decisionReason}` : ''}
            </Text>
          )}
          {outcomes.length > 0 && <Text size="xs">{outcomes.map((o) => `${OUTCOME_LABELS[o]}: ${batch.outcomes[o]}`).join(' · ')}</Text>}
        </Stack>
        {batch.canDecide && (
          <Button size="compact-sm" color="red" variant="light" onClick={onDecide}>
            Decide
          </Button>
        )}
      </Group>
      {batch.status === 'approved' && (
        <Progress value={percent} mt="xs" aria-label={`Deletion progress: ${done} of ${batch.itemCount}`} color={batch.finishedAt ? 'teal' : 'red'} />
      )}
    </Paper>
  );
}
