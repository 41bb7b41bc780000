import { Alert, Button, Divider, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { IconFileTypePdf, IconJson, IconPlayerPlay, IconCircleCheck, IconCalendarPlus, IconBan } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import {
  REQUEST_CHANNEL_LABELS,
  REQUEST_TYPE_LABELS,
  type ExportFormat,
  type SubjectRequestView,
} from '../../../../main/features/subjectRequests/subjectRequests.contract.std';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { formatDateTime } from '../../ui/format';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { useActiveSession } from '../session/sessionContext';
import { RecipientsPanel } from './RecipientsPanel';
import { RequestStatusBadge, UrgencyBadge } from './RequestStatusBadge';
import { customerLabel, dueText, formatDate } from './requestLabels';
import modalClasses from '../../ui/Modal.module.css';

export type RequestAction = 'extend' | 'refuse' | 'complete';

interface RequestDetailModalProps {
  request: SubjectRequestView;
  onClose(): void;
  /** The request changed here (started, exported): the page reloads and shows it updated. */
  onChanged(request: SubjectRequestView | null): void;
  /** Opens a decision that needs its own form. */
  onAction(action: RequestAction): void;
}

const OPEN = ['open', 'in_progress', 'extended'];

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w={170} fw={600} c="dimmed" fz="sm">
        {label}
      </Table.Th>
      <Table.Td fz="sm">{children}</Table.Td>
    </Table.Tr>
  );
}

/** One request: its facts, what fulfils it, the recipients to tell, and what this role may do next. */
export function RequestDetailModal({ request, onClose, onChanged, onAction }: RequestDetailModalProps) {
  const { role } = useActiveSession();
  const [saved, setSaved] = useState<string | null>(null);
  const acting = useSubmission();
  const isOpen = OPEN.includes(request.status);
  const canFile = roleHolds(role, 'requests.file') && request.customerPresent;
  const canDecide = roleHolds(role, 'requests.decide');
  const canExport = roleHolds(role, 'requests.export') && request.type === 'access' && isOpen && request.customerPresent && !request.customerQuarantined;
  const due = dueText(request);

  const start = () =>
    acting.run(async () => {
      const { request: updated } = await call('subjectRequests.start', { requestId: request.id });
      notifySuccess('Request marked in progress.');
      onChanged(updated);
    });

  const exportAs = (format: ExportFormat) =>
    acting.run(async () => {
      setSaved(null);
      const result = await call('subjectRequests.exportAccess', { customerId: request.customerId, format, requestId: request.id });
      if (!result.saved) {
        setSaved('Not saved: the save dialog was cancelled.');
        return;
      }
      setSaved(`Saved as ${result.fileName ?? 'the chosen file'}. Send it to the customer by a secure route.`);
      onChanged(null);
    });

  return (
    <Modal opened onClose={onClose} title={`${REQUEST_TYPE_LABELS[request.type]} request`} size="lg" centered closeOnEscape={!acting.submitting}>
      <Stack gap="md">
        <Group gap="xs">
          <RequestStatusBadge status={request.status} />
          <UrgencyBadge request={request} />
          {due && (
            <Text size="sm" c={request.urgency === 'overdue' ? 'red' : undefined} fw={request.urgency === 'overdue' ? 600 : undefined}>
              {due}
            </Text>
          )}
        </Group>
        <Table withRowBorders={false} verticalSpacing={4} aria-label="Request facts">
          <Table.Tbody>
            <Fact label="Customer">
              {customerLabel(request)}{' '}
              <Text span c="dimmed" fz="xs">
                (record {request.customerId.slice(0, 8)})
              </Text>
            </Fact>
            <Fact label="Received">
              {formatDate(request.receivedOn)} by {REQUEST_CHANNEL_LABELS[request.channel].toLowerCase()}
            </Fact>
            <Fact label="Due">
              {formatDate(request.dueOn)}
              {request.extendedAt && ` (extended from ${formatDate(request.originalDueOn)})`}
            </Fact>
            {request.extendedAt && (
              <Fact label="Extension">
                {request.extendedByName ?? 'A removed account'}, {formatDateTime(request.extendedAt)}
                {request.extensionReason && (
                  <Text fz="sm" mt={2} style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
                    {request.extensionReason}
                  </Text>
                )}
                {!request.extensionReason && request.hasExtensionReason && (
                  <Text fz="xs" c="dimmed">
                    A reason was recorded (shown to staff and managers).
                  </Text>
                )}
              </Fact>
            )}
            <Fact label="Logged">
              {request.createdByName ?? 'A removed account'}, {formatDateTime(request.createdAt)}
            </Fact>
            {request.closedAt && (
              <Fact label={request.status === 'refused' ? 'Refused' : 'Completed'}>
                {request.closedVia === 'approval' ? 'Through its deletion approval' : (request.closedByName ?? 'A removed account')}, {formatDateTime(request.closedAt)}
                {request.refusalReason && (
                  <Text fz="sm" mt={2} style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
                    {request.refusalReason}
                  </Text>
                )}
              </Fact>
            )}
            {request.type === 'access' && <Fact label="Export">{request.exportedAt ? `Made ${formatDateTime(request.exportedAt)}` : 'Not made yet'}</Fact>}
            {request.type === 'deletion' && <Fact label="Deletion approval">{request.linkedApprovalId ? `Linked (${request.linkedApprovalId.slice(0, 8)})` : 'Not requested yet'}</Fact>}
            {request.linkedCorrectionId && <Fact label="Correction">Linked ({request.linkedCorrectionId.slice(0, 8)})</Fact>}
          </Table.Tbody>
        </Table>

        {!request.customerPresent && (
          <Alert color="gray" variant="light">
            The customer&apos;s records were deleted. This entry stays as evidence of how the request was handled.
          </Alert>
        )}
        {request.type !== 'access' && request.customerPresent && <RecipientsPanel customerId={request.customerId} />}

        {canExport && (
          <>
            <Divider label="Answer with a copy of their data" labelPosition="left" />
            <Text size="sm" c="dimmed">
              Everything held about the customer — details, orders (card masked), consents, corrections, who viewed the record —
              saved where you choose. Needs your password.
            </Text>
            <Group>
              <Button variant="light" leftSection={<IconFileTypePdf size={18} aria-hidden />} loading={acting.submitting} onClick={() => void exportAs('pdf')}>
                Export as PDF
              </Button>
              <Button variant="default" leftSection={<IconJson size={18} aria-hidden />} disabled={acting.submitting} onClick={() => void exportAs('json')}>
                Export as JSON
              </Button>
            </Group>
            {saved && (
              <Text size="sm" role="status">
                {saved}
              </Text>
            )}
          </>
        )}
        <FormFailure message={acting.failure} title="Not done" />

        {isOpen && (canFile || canDecide) && (
          <Group justify="flex-end" className={modalClasses.stickyFooter} gap="sm">
            {canFile && request.status === 'open' && (
              <Button variant="default" leftSection={<IconPlayerPlay size={16} aria-hidden />} disabled={acting.submitting} onClick={() => void start()}>
                Start work
              </Button>
            )}
            {canDecide && !request.extendedAt && (
              <Button variant="default" leftSection={<IconCalendarPlus size={16} aria-hidden />} onClick={() => onAction('extend')}>
                Extend deadline
              </Button>
            )}
            {canDecide && (
              <Button variant="light" color="red" leftSection={<IconBan size={16} aria-hidden />} onClick={() => onAction('refuse')}>
                Refuse
              </Button>
            )}
            {canFile && request.type !== 'deletion' && (
              <Button
                color="teal"
                leftSection={<IconCircleCheck size={16} aria-hidden />}
                disabled={request.type === 'access' && !request.linkedExportId}
                title={request.type === 'access' && !request.linkedExportId ? 'Export the customer’s data first' : undefined}
                onClick={() => onAction('complete')}
              >
                Complete
              </Button>
            )}
          </Group>
        )}
        {isOpen && request.type === 'deletion' && (
          <Text size="xs" c="dimmed">
            A deletion request is completed when its deletion approval is carried out.
          </Text>
        )}
      </Stack>
    </Modal>
  );
}
