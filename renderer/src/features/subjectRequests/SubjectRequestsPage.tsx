import { Button, Group, Paper, SegmentedControl, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconPlus, IconRefresh } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import { REQUEST_TYPE_LABELS, type SubjectRequestView } from '../../../../main/features/subjectRequests/subjectRequests.contract.std';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { PageHeader } from '../../ui/PageHeader';
import { useRemoteData } from '../../ui/useRemoteData';
import { useActiveSession } from '../session/sessionContext';
import { LogRequestModal } from './LogRequestModal';
import { CompleteRequestModal, ExtendRequestModal, RefuseRequestModal } from './RequestDecisionModals';
import { RequestDetailModal, type RequestAction } from './RequestDetailModal';
import { RequestStatusBadge, UrgencyBadge } from './RequestStatusBadge';
import { customerLabel, dueText, formatDate } from './requestLabels';
import { RemoteStatus } from '../../ui/RemoteStatus';
import { RecordId } from '../../ui/RecordId';

type State = 'open' | 'closed';
type Dialog = { kind: 'log' } | { kind: 'detail'; request: SubjectRequestView } | { kind: RequestAction; request: SubjectRequestView } | null;

/** The tracker: open requests by due date (overdue first), or closed ones; each opens to its facts and actions. */
export function SubjectRequestsPage() {
  const { role, userId } = useActiveSession();
  const [state, setState] = useState<State>('open');
  const [dialog, setDialog] = useState<Dialog>(null);
  const load = useCallback(() => call('subjectRequests.list', { state }), [state]);
  const requests = useRemoteData(load);
  const list = requests.data?.requests ?? [];
  const canFile = roleHolds(role, 'requests.file');

  /** After a change made in the detail dialog: the list reloads and the dialog shows the request as it is now. */
  const showUpdated = async (shown: SubjectRequestView, updated: SubjectRequestView | null) => {
    requests.reload();
    const fresh = updated ?? (await call('subjectRequests.list', { state: 'open', customerId: shown.customerId })).requests.find((r) => r.id === shown.id);
    if (fresh) setDialog((current) => (current?.kind === 'detail' && current.request.id === fresh.id ? { kind: 'detail', request: fresh } : current));
  };

  const backToDetail = (request: SubjectRequestView) => {
    requests.reload();
    setDialog({ kind: 'detail', request });
  };

  return (
    <Stack gap="lg">
      <PageHeader
        title="Customer requests"
        description="Access, correction and deletion requests from customers, with their due dates. Answer each before it is due."
        actions={
          <>
            <Button variant="default" leftSection={<IconRefresh size={18} aria-hidden />} onClick={requests.reload}>
              Refresh
            </Button>
            {canFile && (
              <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setDialog({ kind: 'log' })}>
                Log a request
              </Button>
            )}
          </>
        }
      />
      <SegmentedControl
        value={state}
        onChange={(value) => setState(value as State)}
        data={[
          { value: 'open', label: 'Open' },
          { value: 'closed', label: 'Closed' },
        ]}
        aria-label="Show requests that are"
        w={240}
      />
      <Paper withBorder radius="md" p="xs">
        <RemoteStatus remote={requests} loadingLabel="Loading requests" isEmpty={list.length === 0} empty={state === 'open' ? 'No open requests.' : 'No closed requests yet.'} />
        {list.length > 0 && (
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing="sm" highlightOnHover aria-label={state === 'open' ? 'Open requests' : 'Closed requests'}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Customer</Table.Th>
                  <Table.Th>Request</Table.Th>
                  <Table.Th>Received</Table.Th>
                  <Table.Th>Due</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Details</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((request) => (
                  <Table.Tr key={request.id}>
                    <Table.Td>
                      <Text size="sm">{customerLabel(request)}</Text>
                      <RecordId id={request.customerId} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{REQUEST_TYPE_LABELS[request.type]}</Text>
                      {request.createdBy === userId && (
                        <Text size="xs" c="dimmed">
                          Logged by you
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDate(request.receivedOn)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDate(request.dueOn)}
                      </Text>
                      {dueText(request) && (
                        <Text size="xs" c={request.urgency === 'overdue' ? 'red' : 'dimmed'} fw={request.urgency === 'overdue' ? 600 : undefined}>
                          {dueText(request)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <RequestStatusBadge status={request.status} />
                        <UrgencyBadge request={request} />
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="compact-sm"
                        variant="light"
                        aria-label={`Details of the ${request.type} request of ${customerLabel(request)}, received ${formatDate(request.receivedOn)}`}
                        onClick={() => setDialog({ kind: 'detail', request })}
                      >
                        Details
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {requests.data && requests.data.total > list.length && (
          <Text size="sm" c="dimmed" p="sm">
            Showing {list.length} of {requests.data.total}.
          </Text>
        )}
      </Paper>

      {dialog?.kind === 'log' && (
        <LogRequestModal
          onClose={() => setDialog(null)}
          onLogged={() => {
            setDialog(null);
            setState('open');
            requests.reload();
          }}
        />
      )}
      {dialog?.kind === 'detail' && (
        <RequestDetailModal
          request={dialog.request}
          onClose={() => setDialog(null)}
          onChanged={(updated) => void showUpdated(dialog.request, updated)}
          onAction={(action) => setDialog({ kind: action, request: dialog.request })}
        />
      )}
      {dialog?.kind === 'extend' && <ExtendRequestModal request={dialog.request} onClose={() => setDialog({ kind: 'detail', request: dialog.request })} onDone={backToDetail} />}
      {dialog?.kind === 'refuse' && <RefuseRequestModal request={dialog.request} onClose={() => setDialog({ kind: 'detail', request: dialog.request })} onDone={backToDetail} />}
      {dialog?.kind === 'complete' && <CompleteRequestModal request={dialog.request} onClose={() => setDialog({ kind: 'detail', request: dialog.request })} onDone={backToDetail} />}
    </Stack>
  );
}
