import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { CustomerStatus } from '../../../../main/features/customers/customerFields.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import modalClasses from '../../ui/Modal.module.css';

interface StatusChangeModalProps {
  customerId: string;
  next: CustomerStatus;
  onClose(): void;
  onChanged(status: CustomerStatus): void;
}

/** Closes a record (the customer no longer uses the service) or reopens it. Who and when go to the audit log. */
export function StatusChangeModal({ customerId, next, onClose, onChanged }: StatusChangeModalProps) {
  const { submitting, failure, run } = useSubmission();
  const closing = next === 'closed';

  const confirm = () =>
    run(async () => {
      const { customer } = await call('customers.setStatus', { customerId, status: next });
      notifySuccess(closing ? 'Customer record closed.' : 'Customer record reopened.');
      onChanged(customer.status);
    });

  return (
    <Modal opened onClose={onClose} title={closing ? 'Close this customer record' : 'Reopen this customer record'} centered>
      <Stack>
        <Text size="sm">
          {closing
            ? 'For a customer who no longer uses the service. No new orders can be taken; the record can be reopened later.'
            : 'The customer uses the service again: orders can be taken once more.'}
        </Text>
        <FormFailure message={failure} title="Not changed" />
        <Group justify="flex-end" className={modalClasses.stickyFooter}>
          {/* A destructive action is never the default focus: closing starts on Cancel. */}
          <Button variant="default" onClick={onClose} data-autofocus={closing || undefined}>
            Cancel
          </Button>
          <Button color={closing ? 'red' : undefined} loading={submitting} onClick={() => void confirm()} data-autofocus={!closing || undefined}>
            {closing ? 'Close record' : 'Reopen record'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
