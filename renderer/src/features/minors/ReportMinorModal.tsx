import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import { useState } from 'react';
import { MINOR_REPORT_CHANNELS } from '../../../../main/features/minors/minors.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { REPORT_CHANNEL_LABELS } from './labels';
import modalClasses from '../../ui/Modal.module.css';

type Channel = (typeof MINOR_REPORT_CHANNELS)[number];

interface ReportMinorModalProps {
  customerId: string;
  onClose(): void;
  /** The record is quarantined and leaves every list: the caller goes back to them. */
  onReported(): void;
}

/** Staff learnt that the customer is under 18: the record is set apart at once and its deletion requested. */
export function ReportMinorModal({ customerId, onClose, onReported }: ReportMinorModalProps) {
  const { submitting, failure, run } = useSubmission();
  const [channel, setChannel] = useState<Channel | null>(null);
  const [missing, setMissing] = useState(false);

  const confirm = () => {
    if (!channel) {
      setMissing(true);
      return;
    }
    void run(async () => {
      const { case: found } = await call('minors.reportAsMinor', { customerId, channel });
      notifySuccess(
        found.deletionRequestId
          ? 'Record set apart as a minor’s. A deletion request was filed for a manager to confirm.'
          : 'Record set apart as a minor’s. It is under a legal hold, so a manager decides what happens next.',
      );
      onReported();
    });
  };

  return (
    <Modal opened onClose={onClose} title="Report this customer as a minor" centered>
      <Stack>
        <Alert color="orange" variant="light" icon={<IconShieldLock aria-hidden />}>
          Our policy deletes personal information received from anyone under 18. The record will leave every list,
          search, mailing and disclosure at once, no order can be taken, and a manager is asked to confirm its
          deletion.
        </Alert>
        <Select
          label="How did you learn this?"
          placeholder="Choose one"
          data={MINOR_REPORT_CHANNELS.map((value) => ({ value, label: REPORT_CHANNEL_LABELS[value] }))}
          value={channel}
          onChange={(value) => {
            setChannel(value as Channel | null);
            setMissing(false);
          }}
          error={missing ? 'Say how the report reached you' : undefined}
          required
          data-autofocus
        />
        <Text size="xs" c="dimmed">
          Only the way it reached you is recorded; the report holds nothing about the child.
        </Text>
        <FormFailure message={failure} title="Not reported" />
        <Group justify="flex-end" className={modalClasses.stickyFooter}>
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" loading={submitting} onClick={confirm}>
            Set apart and request deletion
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
