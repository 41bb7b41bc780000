import { Button, Group, Loader, Modal, NumberInput, Radio, Stack, Text } from '@mantine/core';
import { IconBan, IconCalendarPlus } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import { MAX_EXTENSION_DAYS, REQUEST_TYPE_LABELS, type SubjectRequestView } from '../../../../main/features/subjectRequests/subjectRequests.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { formatDateTime } from '../../ui/format';
import { notifySuccess } from '../../ui/notify';
import { ReasonModal } from '../../ui/ReasonModal';
import { useRemoteData } from '../../ui/useRemoteData';
import { useSubmission } from '../../ui/useSubmission';
import { customerLabel, formatDate } from './requestLabels';

interface DecisionProps {
  request: SubjectRequestView;
  onClose(): void;
  onDone(request: SubjectRequestView): void;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function Summary({ request }: { request: SubjectRequestView }) {
  return (
    <Text size="sm">
      {REQUEST_TYPE_LABELS[request.type]} request of <b>{customerLabel(request)}</b>, received {formatDate(request.receivedOn)}, due{' '}
      {formatDate(request.dueOn)}.
    </Text>
  );
}

/** The one extension: how many more days, and the reason the customer is told. */
export function ExtendRequestModal({ request, onClose, onDone }: DecisionProps) {
  const [days, setDays] = useState<number>(30);
  const valid = Number.isInteger(days) && days >= 1 && days <= MAX_EXTENSION_DAYS;
  return (
    <ReasonModal
      title="Extend the deadline"
      formLabel="Extend the deadline"
      summary={
        <Stack gap="xs">
          <Summary request={request} />
          <NumberInput
            label="Extra days"
            description={`At most ${MAX_EXTENSION_DAYS}. A request can be extended once.`}
            min={1}
            max={MAX_EXTENSION_DAYS}
            allowDecimal={false}
            value={days}
            onChange={(value) => setDays(typeof value === 'number' ? value : Number(value))}
            error={valid ? null : `Between 1 and ${MAX_EXTENSION_DAYS} days`}
          />
          <Text size="sm" role="status">
            New due date: <b>{valid ? formatDate(addDays(request.dueOn, days)) : '—'}</b>
          </Text>
        </Stack>
      }
      reasonLabel="Reason for the extension"
      reasonDescription="The customer is told this reason. Kept encrypted with their record."
      minLength={10}
      maxLength={1000}
      failureTitle="Not extended"
      actions={[{ decision: 'extend', label: 'Extend', color: 'grape', icon: <IconCalendarPlus size={16} aria-hidden /> }]}
      onSubmit={async (_decision, reason) => {
        const { request: updated } = await call('subjectRequests.extend', { requestId: request.id, extensionDays: days, reason });
        notifySuccess(`Deadline extended to ${formatDate(updated.dueOn)}.`);
        onDone(updated);
      }}
      onClose={onClose}
    />
  );
}

export function RefuseRequestModal({ request, onClose, onDone }: DecisionProps) {
  return (
    <ReasonModal
      title="Refuse the request"
      formLabel="Refuse the request"
      summary={<Summary request={request} />}
      reasonLabel="Reason for refusing"
      reasonDescription="The customer is told this reason. Kept encrypted with their record."
      minLength={10}
      maxLength={1000}
      failureTitle="Not refused"
      actions={[{ decision: 'refuse', label: 'Refuse request', color: 'red', icon: <IconBan size={16} aria-hidden /> }]}
      onSubmit={async (_decision, reason) => {
        const { request: updated } = await call('subjectRequests.refuse', { requestId: request.id, reason });
        notifySuccess('Request refused.');
        onDone(updated);
      }}
      onClose={onClose}
    />
  );
}

const NONE = 'none';

/** Completes a request; a correction request may name the correction that answered it. */
export function CompleteRequestModal({ request, onClose, onDone }: DecisionProps) {
  const { submitting, failure, run } = useSubmission();
  const [correctionId, setCorrectionId] = useState<string>(NONE);
  const isCorrection = request.type === 'correction';
  const load = useCallback(
    async () => (isCorrection ? (await call('customers.corrections', { customerId: request.customerId })).corrections.filter((c) => c.at.slice(0, 10) >= request.receivedOn) : []),
    [isCorrection, request.customerId, request.receivedOn],
  );
  const corrections = useRemoteData(load);

  const complete = () =>
    run(async () => {
      const { request: updated } = await call('subjectRequests.complete', { requestId: request.id, ...(correctionId !== NONE ? { correctionId } : {}) });
      notifySuccess('Request completed.');
      onDone(updated);
    });

  return (
    <Modal opened onClose={onClose} title="Complete the request" centered closeOnEscape={!submitting}>
      <form
        noValidate
        aria-label="Complete the request"
        onSubmit={(event) => {
          event.preventDefault();
          void complete();
        }}
      >
        <Stack>
          <Summary request={request} />
          {request.type === 'access' && <Text size="sm">The export made {request.exportedAt ? formatDateTime(request.exportedAt) : ''} answers this request.</Text>}
          {isCorrection && corrections.loading && <Loader size="sm" aria-label="Loading corrections" />}
          {isCorrection && corrections.data && (
            <Radio.Group label="The correction that answered it" value={correctionId} onChange={setCorrectionId}>
              <Stack gap={6} mt={6}>
                {corrections.data.map((c) => (
                  <Radio key={c.id} value={c.id} label={`${formatDateTime(c.at)} — ${c.fields.join(', ')}`} description={c.actorName ?? undefined} />
                ))}
                <Radio value={NONE} label="None recorded here (nothing needed correcting, or it was done elsewhere)" />
              </Stack>
            </Radio.Group>
          )}
          <FormFailure message={failure ?? corrections.error} title="Not completed" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={submitting}>
              Cancel
            </Button>
            <Button type="submit" color="teal" loading={submitting} data-autofocus>
              Complete
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
