import { Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import modalClasses from '../../ui/Modal.module.css';
import { DateField } from '../../ui/DateField';

interface PlaceHoldModalProps {
  customerId: string;
  customerLabel: string;
  onClose(): void;
  onPlaced(): void;
}

/** A manager places a legal hold: reason, a reference such as a court order number, an optional end date. */
export function PlaceHoldModal({ customerId, customerLabel, onClose, onPlaced }: PlaceHoldModalProps) {
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'controlled',
    initialValues: { reason: '', reference: '', endsOn: '' },
    validate: {
      reason: (v) => (v.trim().length < 10 ? `Write at least 10 characters (${v.trim().length} so far)` : null),
      reference: (v) => (v.trim() ? null : 'Give the court order or case reference'),
    },
  });
  const submit = form.onSubmit((values) =>
    void run(async () => {
      await call('erasure.placeHold', { customerId, reason: values.reason.trim(), reference: values.reference.trim(), ...(values.endsOn ? { endsOn: values.endsOn } : {}) });
      notifySuccess('Legal hold placed. The customer cannot be deleted while it lasts.');
      onPlaced();
    }),
  );
  return (
    <Modal opened onClose={onClose} title="Place a legal hold" centered closeOnEscape={!submitting}>
      <form noValidate aria-label="Legal hold" onSubmit={submit}>
        <Stack>
          <Text size="sm">
            On <b>{customerLabel}</b>: while the hold lasts, no deletion request can be approved and retention skips the customer.
          </Text>
          <FormFailure message={failure} title="Not placed" />
          <Textarea label="Reason" withAsterisk autosize minRows={2} maxLength={1000} data-autofocus {...form.getInputProps('reason')} />
          <TextInput label="Reference" description="Court order number, case or matter reference" withAsterisk maxLength={200} {...form.getInputProps('reference')} />
          <DateField label="Ends on (optional)" description="The hold lasts through this day; leave empty to hold until released" {...form.getInputProps('endsOn')} />
          <Group justify="flex-end" className={modalClasses.stickyFooter}>
            <Button variant="default" onClick={onClose} disabled={submitting}>
              Cancel
            </Button>
            <Button type="submit" color="orange" loading={submitting}>
              Place hold
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
