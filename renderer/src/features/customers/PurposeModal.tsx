import { Alert, Button, Group, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { CustomerRecord, CustomerRow } from '../../../../main/features/customers/customers.contract.std';
import { NEED_TO_KNOW, purposesFor, type RecordPurpose } from '../../../../main/features/customers/needToKnow.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { useSubmission } from '../../ui/useSubmission';
import { useActiveSession } from '../session/sessionContext';
import { PURPOSE_NAMES } from './purposes';
import modalClasses from '../../ui/Modal.module.css';

/** The contract's minimum for a written break-glass justification. */
const JUSTIFICATION_MIN = 20;

interface PurposeModalProps {
  row: CustomerRow;
  onClose(): void;
  onOpened(record: CustomerRecord): void;
}

/**
 * Every opening of a record names why. Only purposes the role holds are offered; break-glass is the way out
 * for anything else, and it is flagged for a manager to review. Main records the opening as `record.view`.
 */
export function PurposeModal({ row, onClose, onOpened }: PurposeModalProps) {
  const { role } = useActiveSession();
  const purposes = purposesFor(role);
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'controlled',
    initialValues: { purpose: null as RecordPurpose | null, justification: '' },
    validate: {
      purpose: (value) => (value ? null : 'Choose why you are opening this record'),
      justification: (value, values) => {
        if (values.purpose !== 'break_glass') return null;
        const length = value.trim().length;
        if (length < JUSTIFICATION_MIN) return `Write at least ${JUSTIFICATION_MIN} characters saying why (${length} so far)`;
        return length > 2000 ? 'At most 2000 characters' : null;
      },
    },
  });
  const breakGlass = form.values.purpose === 'break_glass';

  const submit = form.onSubmit(({ purpose, justification }) =>
    run(async () => {
      if (!purpose) return;
      const record = await call('customers.open', {
        customerId: row.id,
        purpose,
        justification: purpose === 'break_glass' ? justification.trim() : undefined,
      });
      onOpened(record);
    }),
  );

  return (
    <Modal opened onClose={onClose} title={`Open the record of ${row.displayName}`} size="lg" centered>
      <form onSubmit={submit} noValidate aria-label="Purpose of access">
        <Stack>
          <Text size="sm" c="dimmed">
            Say why you need this record. You will see only what that purpose needs, and the opening is recorded in the
            audit log with the purpose you choose.
          </Text>
          <FormFailure message={failure} title="Not opened" />
          <Radio.Group label="Purpose" withAsterisk key={form.key('purpose')} {...form.getInputProps('purpose')}>
            <Stack gap="sm" mt="xs">
              {purposes.map((purpose) => (
                <Radio
                  key={purpose}
                  value={purpose}
                  label={PURPOSE_NAMES[purpose]}
                  description={purpose === 'break_glass' ? 'None of the purposes above fits. Needs a written justification.' : NEED_TO_KNOW[purpose].why}
                  color={purpose === 'break_glass' ? 'orange' : undefined}
                />
              ))}
            </Stack>
          </Radio.Group>
          {breakGlass && (
            <>
              <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Flagged for manager review">
                Break-glass access is recorded with your name, the time, this record and your justification, and a
                manager reviews every one. Use it only when no listed purpose fits.
              </Alert>
              <Textarea
                label="Justification"
                description={`Why you need this record now (at least ${JUSTIFICATION_MIN} characters)`}
                withAsterisk
                autosize
                minRows={3}
                maxLength={2000}
                key={form.key('justification')}
                {...form.getInputProps('justification')}
              />
            </>
          )}
          <Group justify="flex-end" className={modalClasses.stickyFooter}>
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting} color={breakGlass ? 'orange' : undefined}>
              {breakGlass ? 'Open with break-glass' : 'Open record'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
