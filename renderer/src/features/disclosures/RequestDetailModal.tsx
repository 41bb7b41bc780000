import { Alert, Anchor, Badge, Button, Code, Group, Loader, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { useActiveSession } from '../session/sessionContext';
import { FormFailure } from '../../ui/FormFailure';
import { useSubmission } from '../../ui/useSubmission';
import type { RequestDetail, RequestSummary } from '../../../../main/features/disclosures/disclosures.contract.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { notifySuccess } from '../../ui/notify';
import { ReasonModal } from '../../ui/ReasonModal';
import { useRemoteData } from '../../ui/useRemoteData';
import { DISCLOSABLE_FIELD_LABELS, DISCLOSURE_KIND_LABELS, fieldLabel, STATUS_COLORS, STATUS_LABELS } from './labels';
import { ReleaseModal } from './ReleaseModal';
import modalClasses from '../../ui/Modal.module.css';

interface RequestDetailModalProps {
  request: RequestSummary;
  onClose(): void;
  /** A decision or release changed the request: the lists reload. */
  onChanged(): void;
}

/** One request: what is asked and why; a manager approves or denies it (someone else's) or releases it. */
export function RequestDetailModal({ request, onClose, onChanged }: RequestDetailModalProps) {
  const load = useCallback(() => call('disclosures.requests.get', { id: request.id }), [request.id]);
  const detail = useRemoteData(load);
  const [step, setStep] = useState<'view' | 'decide' | 'release'>('view');
  const shown = detail.data?.request;
  const { role, userId } = useActiveSession();
  const withdrawal = useSubmission();

  if (step === 'decide' && shown) {
    return (
      <ReasonModal
        title="Approve or deny this disclosure"
        formLabel="Disclosure decision"
        summary={<Summary request={shown} />}
        reasonLabel="Reason"
        reasonDescription="Required to deny; optional when approving. Kept encrypted with the request."
        minLength={10}
        maxLength={2000}
        failureTitle="Not decided"
        actions={[
          { decision: 'approve', label: 'Approve', color: 'teal', icon: <IconCircleCheck size={16} aria-hidden />, requiresReason: false },
          { decision: 'deny', label: 'Deny', color: 'red', icon: <IconCircleX size={16} aria-hidden /> },
        ]}
        onSubmit={async (decision, reason) => {
          await call('approvals.decide', { id: request.approvalId, decision, ...(reason ? { reason } : {}) });
          notifySuccess(decision === 'approve' ? 'Disclosure approved. A manager can now release it.' : 'Disclosure denied.');
          onChanged();
        }}
        onClose={() => setStep('view')}
      />
    );
  }
  if (step === 'release' && shown) {
    return <ReleaseModal request={shown} onClose={() => setStep('view')} onReleased={onChanged} />;
  }

  return (
    <Modal opened onClose={onClose} title="Disclosure request" size="lg" centered>
      {detail.error && (
        <Alert color="red" variant="light" role="alert">
          {detail.error}
        </Alert>
      )}
      {!shown && !detail.error && <Loader aria-label="Loading the request" />}
      {shown && (
        <Stack>
          <Summary request={shown} />
          {shown.legal?.scan && roleHolds(role, 'disclosures.approve') && <ServedDocument requestId={shown.id} mediaType={shown.legal.scan.mediaType} />}
          {shown.decisionReason && (
            <Paper withBorder p="sm">
              <Text size="xs" c="dimmed">
                Decision reason
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                {shown.decisionReason}
              </Text>
            </Paper>
          )}
          <FormFailure message={withdrawal.failure} title="Not withdrawn" />
          <Group justify="flex-end" className={modalClasses.stickyFooter}>
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
            {shown.status === 'pending' && shown.requesterId === userId && (
              <Button
                variant="light"
                color="red"
                loading={withdrawal.submitting}
                onClick={() =>
                  void withdrawal.run(async () => {
                    await call('approvals.withdraw', { id: request.approvalId });
                    notifySuccess('Disclosure request withdrawn.');
                    onChanged();
                  })
                }
              >
                Withdraw request
              </Button>
            )}
            {shown.canDecide && (
              <Button onClick={() => setStep('decide')} data-autofocus>
                Approve or deny…
              </Button>
            )}
            {shown.canRelease && (
              <Button onClick={() => setStep('release')} data-autofocus>
                Release…
              </Button>
            )}
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** What is asked: recipient, kind, fields, customers, purpose and legal basis. */
function Summary({ request }: { request: RequestDetail }) {
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Badge color={STATUS_COLORS[request.status]} variant="light">
          {STATUS_LABELS[request.status]}
        </Badge>
        <Text size="sm" c="dimmed">
          Requested by {request.requesterName ?? 'a removed account'} on {formatDateTime(request.requestedAt)}
        </Text>
      </Group>
      <Text size="sm">
        <b>{DISCLOSURE_KIND_LABELS[request.kind]}</b> to <b>{request.recipientName}</b> (recipient version {request.recipientVersion})
      </Text>
      <Text size="sm">Fields: {request.fields.map((f) => fieldLabel(f, DISCLOSABLE_FIELD_LABELS)).join(', ')}</Text>
      <div>
        <Title order={3} size="h6">
          Customers ({request.customerCount})
        </Title>
        <Text size="sm">
          {request.customers.map((c) => c.displayName).join(', ')}
          {request.customerCount > request.customers.length ? ` and ${request.customerCount - request.customers.length} more` : ''}
        </Text>
      </div>
      <Paper withBorder p="sm">
        <Text size="xs" c="dimmed">
          Purpose
        </Text>
        <Text size="sm" style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
          {request.purpose}
        </Text>
      </Paper>
      {request.legal && (
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed">
            Legal basis
          </Text>
          <Text size="sm">
            {request.legal.authority}, reference <Code>{request.legal.reference}</Code>, dated {request.legal.documentDate}
          </Text>
          {request.legal.note && (
            <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
              {request.legal.note}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {request.legal.scan ? `Attached document: ${request.legal.scan.mediaType}, ${Math.ceil(request.legal.scan.bytes / 1024)} KB (stored encrypted)` : 'No document attached'}
          </Text>
        </Paper>
      )}
    </Stack>
  );
}

const EXTENSIONS: Record<string, string> = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg' };

/** The served document (kept encrypted): fetched on demand for the deciding manager, saved through the browser. */
function ServedDocument({ requestId, mediaType }: { requestId: string; mediaType: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const { submitting, failure, run } = useSubmission();
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  const fetchDocument = () =>
    run(async () => {
      const scan = await call('disclosures.requests.scan', { id: requestId });
      const bytes = Uint8Array.from(atob(scan.base64), (c) => c.charCodeAt(0));
      setUrl(URL.createObjectURL(new Blob([bytes], { type: scan.mediaType })));
    });
  return (
    <Group gap="sm">
      {url ? (
        <Anchor href={url} download={`served-document-${requestId.slice(0, 8)}.${EXTENSIONS[mediaType] ?? 'bin'}`} size="sm">
          Save the served document
        </Anchor>
      ) : (
        <Button size="compact-sm" variant="light" loading={submitting} onClick={() => void fetchDocument()}>
          Open the served document
        </Button>
      )}
      <FormFailure message={failure} title="Not opened" />
    </Group>
  );
}
