import { Button, Group, Modal, Radio, Select, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import {
  REQUEST_CHANNEL_LABELS,
  REQUEST_CHANNELS,
  REQUEST_TYPE_LABELS,
  REQUEST_TYPES,
  type RequestChannel,
  type RequestType,
} from '../../../../main/features/subjectRequests/subjectRequests.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { CustomerSearch, type SearchResult } from '../customers/CustomerSearch';
import { formatDate } from './requestLabels';
import modalClasses from '../../ui/Modal.module.css';
import { DateField } from '../../ui/DateField';

/** Today's date on this workstation, as the date field wants it. */
function localToday(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

interface LogRequestModalProps {
  onClose(): void;
  onLogged(): void;
}

/** Logs a request as received: find the customer (exact search), then what they asked, how and when. */
export function LogRequestModal({ onClose, onLogged }: LogRequestModalProps) {
  const [found, setFound] = useState<SearchResult | null>(null);
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'controlled',
    initialValues: { customerId: '', type: 'access' as RequestType, channel: 'email' as RequestChannel, receivedOn: localToday() },
    validate: {
      customerId: (value) => (value ? null : 'Find the customer and pick their record'),
      receivedOn: (value) => (!value ? 'Enter the date the request arrived' : value > localToday() ? 'The received date cannot be in the future' : null),
    },
  });

  const submit = form.onSubmit((values) =>
    run(async () => {
      const { request } = await call('subjectRequests.open', values);
      notifySuccess(`Request logged: due ${formatDate(request.dueOn)}.`);
      onLogged();
    }),
  );

  return (
    <Modal opened onClose={onClose} title="Log a customer request" size="lg" centered closeOnEscape={!submitting}>
      <Stack>
        <CustomerSearch
          active={found !== null}
          onResult={(result) => {
            setFound(result);
            form.setFieldValue('customerId', result.rows.length === 1 ? result.rows[0]!.id : '');
          }}
          onClear={() => {
            setFound(null);
            form.setFieldValue('customerId', '');
          }}
        />
        <form onSubmit={submit} noValidate aria-label="Customer request">
          <Stack>
            {found && found.rows.length === 0 && (
              <Text size="sm" c="dimmed" role="status">
                No customer matches. Check the value, or search by another field.
              </Text>
            )}
            {found && found.rows.length > 0 && (
              <Radio.Group label="Customer" withAsterisk {...form.getInputProps('customerId')}>
                <Stack gap={6} mt={6}>
                  {found.rows.map((row) => (
                    <Radio key={row.id} value={row.id} label={`${row.displayName} — ${row.city}`} description={`Record ${row.id.slice(0, 8)}, ${row.status}`} />
                  ))}
                </Stack>
              </Radio.Group>
            )}
            {!found && form.errors.customerId && (
              <Text size="sm" c="red" role="alert">
                {form.errors.customerId}
              </Text>
            )}
            <Group grow align="flex-start">
              <Select
                label="Request"
                withAsterisk
                allowDeselect={false}
                data={REQUEST_TYPES.map((value) => ({ value, label: REQUEST_TYPE_LABELS[value] }))}
                {...form.getInputProps('type')}
              />
              <Select
                label="Received by"
                withAsterisk
                allowDeselect={false}
                data={REQUEST_CHANNELS.map((value) => ({ value, label: REQUEST_CHANNEL_LABELS[value] }))}
                {...form.getInputProps('channel')}
              />
              <DateField label="Received on" withAsterisk max={localToday()} {...form.getInputProps('receivedOn')} />
            </Group>
            <Text size="sm" c="dimmed">
              The due date follows from the received date and the office&apos;s deadline for customer requests. It can be
              extended once, by a manager, with a reason the customer is told.
            </Text>
            <FormFailure message={failure} title="Request not logged" />
            <Group justify="flex-end" className={modalClasses.stickyFooter}>
              <Button variant="default" onClick={onClose} disabled={submitting}>
                Cancel
              </Button>
              <Button type="submit" loading={submitting}>
                Log request
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Modal>
  );
}
