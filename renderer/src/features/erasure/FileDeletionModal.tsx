import { Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useNavigate } from 'react-router';
import type { DeletionChannel, DeletionReason } from '../../../../main/features/erasure/erasure.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { CHANNEL_LABELS, options, REASON_LABELS } from './labels';
import modalClasses from '../../ui/Modal.module.css';

interface FileDeletionModalProps {
  customerId: string;
  customerLabel: string;
  onClose(): void;
}

/** Files a deletion request on a record: why, and how it reached iTechno; a manager decides it. */
export function FileDeletionModal({ customerId, customerLabel, onClose }: FileDeletionModalProps) {
  const navigate = useNavigate();
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'controlled',
    initialValues: { reason: '' as DeletionReason | '', channel: '' as DeletionChannel | '', note: '' },
    validate: {
      reason: (v) => (v ? null : 'Choose why the records should be deleted'),
      channel: (v) => (v ? null : 'Choose how the request reached iTechno'),
      note: (v, values) => {
        const length = v.trim().length;
        if (length === 0) return values.reason === 'other' ? 'Say what the other reason is' : null;
        if (length < 10) return `Write at least 10 characters (${length} so far)`;
        return length > 2000 ? 'At most 2000 characters' : null;
      },
    },
  });
  const submit = form.onSubmit((values) =>
    void run(async () => {
      const note = values.note.trim();
      const { request } = await call('erasure.file', { customerId, reason: values.reason as DeletionReason, channel: values.channel as DeletionChannel, ...(note ? { note } : {}) });
      notifySuccess('Deletion request filed. A manager will decide it; follow it under Deletions.');
      onClose();
      void navigate(`/deletions?request=${request.id}`);
    }),
  );
  return (
    <Modal opened onClose={onClose} title="Request deletion of this customer’s records" centered closeOnEscape={!submitting}>
      <form noValidate aria-label="Deletion request" onSubmit={submit}>
        <Stack>
          <Text size="sm">
            About <b>{customerLabel}</b>: a manager other than you approves or denies it, and approval deletes every record about the customer.
          </Text>
          <FormFailure message={failure} title="Not filed" />
          <Select label="Reason" withAsterisk data={options(REASON_LABELS)} allowDeselect={false} data-autofocus {...form.getInputProps('reason')} />
          <Select label="How the request reached iTechno" withAsterisk data={options(CHANNEL_LABELS)} allowDeselect={false} {...form.getInputProps('channel')} />
          <Textarea
            label="Note"
            description="Required for “Other”. Kept encrypted with the customer’s records and deleted with them."
            withAsterisk={form.values.reason === 'other'}
            autosize
            minRows={3}
            maxLength={2000}
            {...form.getInputProps('note')}
          />
          <Group justify="flex-end" className={modalClasses.stickyFooter}>
            <Button variant="default" onClick={onClose} disabled={submitting}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={submitting}>
              File request
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
