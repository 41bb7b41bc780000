import { Alert, Badge, Button, Center, Code, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconRefresh } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { DeletionRequestView } from '../../../../main/features/erasure/erasure.contract.std';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { useRemoteData } from '../../ui/useRemoteData';
import { useActiveSession } from '../session/sessionContext';
import { DecideModal, IrreversibleNote } from './DecideModal';
import { CHANNEL_LABELS, REASON_LABELS, STATUS_COLORS, STATUS_LABELS } from './labels';
import { RecordId } from '../../ui/RecordId';

const customerName = (r: DeletionRequestView) => r.customerLabel ?? (r.deleted ? 'Deleted customer' : 'Unknown record');

function StatusBadge({ request }: { request: DeletionRequestView }) {
  if (request.deleted) return <Badge color="teal" variant="light">Deleted</Badge>;
  return (
    <Badge color={STATUS_COLORS[request.status]} variant="light">
      {STATUS_LABELS[request.status]}
    </Badge>
  );
}

/**
 * Deletion requests: everyone sees what they filed and what became of it; managers also see everyone's, decide
 * the pending ones (never their own) from the queue or from a request's own page.
 */
export function DeletionsPage() {
  const { role } = useActiveSession();
  const decider = roleHolds(role, 'erasure.decide');
  const [params, setParams] = useSearchParams();
  const openId = params.get('request');
  const [deciding, setDeciding] = useState<DeletionRequestView | null>(null);
  const load = useCallback(() => call('erasure.requests', {}), []);
  const requests = useRemoteData(load);
  const list = requests.data?.requests ?? [];
  const pending = list.filter((r) => r.status === 'pending');
  const others = list.filter((r) => r.status !== 'pending');

  const open = (id: string | null) => setParams(id ? { request: id } : {});
  const decided = () => {
    setDeciding(null);
    requests.reload();
  };

  return (
    <Stack gap="lg">
      {openId ? (
        <RequestPage id={openId} onBack={() => open(null)} onDecide={setDeciding} version={requests.data} />
      ) : (
        <>
          <PageHeader
            title="Deletions"
            description={
              decider
                ? 'Deletion requests filed by staff. Approving one deletes everything about the customer at once; nobody decides their own request.'
                : 'The deletion requests you filed and what became of them. A manager decides each one.'
            }
            actions={
              <Button variant="default" leftSection={<IconRefresh size={18} aria-hidden />} onClick={requests.reload}>
                Refresh
              </Button>
            }
          />
          {requests.error && (
            <Alert color="red" variant="light" role="alert">
              {requests.error}
            </Alert>
          )}
          {!requests.data && requests.loading && (
            <Center p="xl">
              <Loader aria-label="Loading deletion requests" />
            </Center>
          )}
          {requests.data && (
            <>
              <RequestTable
                title={decider ? 'Waiting for a decision' : 'Waiting for a manager'}
                empty={decider ? 'No deletion request is waiting for a decision.' : 'None of your requests is waiting.'}
                rows={pending}
                onOpen={open}
                onDecide={setDeciding}
              />
              <RequestTable title="Decided" empty="No decided requests yet." rows={others} onOpen={open} onDecide={setDeciding} />
            </>
          )}
        </>
      )}
      {deciding && (
        <DecideModal
          approvalId={deciding.id}
          title="Decide a deletion request"
          approveLabel="Approve and delete"
          summary={<DecisionSummary request={deciding} />}
          onClose={() => setDeciding(null)}
          onDone={decided}
        />
      )}
    </Stack>
  );
}

function DecisionSummary({ request }: { request: DeletionRequestView }) {
  return (
    <Stack gap="xs">
      <Text size="sm">
        Delete <b>{customerName(request)}</b> — {REASON_LABELS[request.reason].toLowerCase()}, received by {CHANNEL_LABELS[request.channel].toLowerCase()}. Filed by{' '}
        <b>{request.requesterName ?? 'a removed account'}</b> on {formatDateTime(request.requestedAt)}.
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
        Note: {request.note}
      </Text>
      {request.hold && (
        <Alert color="orange" variant="light" title="Under a legal hold">
          This customer cannot be deleted until the hold is released{request.hold.endsOn ? ` or ends on ${request.hold.endsOn}` : ''}. You can still deny the request.
        </Alert>
      )}
      <IrreversibleNote />
    </Stack>
  );
}

interface RequestTableProps {
  title: string;
  empty: string;
  rows: DeletionRequestView[];
  onOpen(id: string): void;
  onDecide(request: DeletionRequestView): void;
}

function RequestTable({ title, empty, rows, onOpen, onDecide }: RequestTableProps) {
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {rows.length === 0 ? (
        <Text c="dimmed" size="sm">
          {empty}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="sm" highlightOnHover aria-label={title}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Filed</Table.Th>
                <Table.Th>Customer</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th>Filed by</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(r.requestedAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{customerName(r)}</Text>
                    <RecordId id={r.customerId} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{REASON_LABELS[r.reason]}</Text>
                    <Text size="xs" c="dimmed">
                      by {CHANNEL_LABELS[r.channel].toLowerCase()}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.requesterName ?? 'Removed account'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      <StatusBadge request={r} />
                      {r.hold && r.status === 'pending' && (
                        <Badge color="orange" variant="outline">
                          Legal hold
                        </Badge>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="compact-sm" variant="default" onClick={() => onOpen(r.id)} aria-label={`Open the request about ${customerName(r)} filed ${formatDateTime(r.requestedAt)}`}>
                        Open
                      </Button>
                      {r.canDecide && (
                        <Button size="compact-sm" color="red" variant="light" onClick={() => onDecide(r)}>
                          Decide
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

interface RequestPageProps {
  id: string;
  onBack(): void;
  onDecide(request: DeletionRequestView): void;
  /** Changes when the list reloads (after a decision), so the page reloads too. */
  version: unknown;
}

/** One request: what was asked, by whom, its outcome and, for a manager, the decision. */
function RequestPage({ id, onBack, onDecide, version }: RequestPageProps) {
  const load = useCallback(() => call('erasure.request', { id }), [id, version]); // eslint-disable-line react-hooks/exhaustive-deps
  const loaded = useRemoteData(load);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [id]);
  const r = loaded.data?.request;
  return (
    <Stack gap="md">
      <div>
        <Button variant="subtle" size="compact-sm" leftSection={<IconArrowLeft size={16} aria-hidden />} onClick={onBack} mb="xs">
          Back to deletions
        </Button>
        <Title order={1} size="h2" ref={heading} tabIndex={-1}>
          Deletion request{r ? `: ${customerName(r)}` : ''}
        </Title>
      </div>
      {loaded.error && (
        <Alert color="red" variant="light" role="alert">
          {loaded.error}
        </Alert>
      )}
      {r && (
        <Paper withBorder radius="md" p="lg">
          <Stack gap="sm">
            <Group gap="xs">
              <StatusBadge request={r} />
              <Code fz="xs">{r.customerId}</Code>
            </Group>
            <Text size="sm">
              <b>Reason:</b> {REASON_LABELS[r.reason]} · <b>Received by:</b> {CHANNEL_LABELS[r.channel]}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
              <b>Note:</b> {r.note}
            </Text>
            <Text size="sm">
              <b>Filed by</b> {r.requesterName ?? 'a removed account'} on {formatDateTime(r.requestedAt)}
              {r.status === 'pending' ? ` · expires ${formatDateTime(r.expiresAt)}` : ''}
            </Text>
            {r.decidedAt && (
              <Text size="sm">
                <b>{STATUS_LABELS[r.status]}</b>
                {r.deciderName ? ` by ${r.deciderName}` : ''} on {formatDateTime(r.decidedAt)}
                {r.deleted ? '. Every record about the customer was deleted; a tombstone remains.' : '.'}
              </Text>
            )}
            {r.decisionReason && (
              <Text size="sm" style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
                <b>Decision reason:</b> {r.decisionReason}
              </Text>
            )}
            {r.hold && r.status === 'pending' && (
              <Alert color="orange" variant="light" title="Under a legal hold">
                Placed {formatDateTime(r.hold.placedAt)}
                {r.hold.endsOn ? `, until ${r.hold.endsOn}` : ', until a manager releases it'}. The request cannot be approved while the hold lasts.
              </Alert>
            )}
            {r.canDecide && (
              <Group>
                <Button color="red" onClick={() => onDecide(r)}>
                  Approve or deny
                </Button>
              </Group>
            )}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
