import { Alert, Button, Checkbox, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { addDays, dayOf, effectiveDateProblem, MATERIAL_NOTICE_DAYS } from '../../../../main/features/policy/noticePeriod.std';
import { CHANGE_SUMMARY_MAX, type PolicyVersionView } from '../../../../main/features/policy/policy.contract.std';
import { REASON_MIN } from '../../../../main/features/approvals/approvals.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { useSubmission } from '../../ui/useSubmission';
import { versionLabel } from './policyLabels';
import modalClasses from '../../ui/Modal.module.css';
import { DateField } from '../../ui/DateField';
import { formatDate } from '../../ui/format';

interface PublishModalProps {
  version: PolicyVersionView;
  /** publish: a manager publishes now; request: someone else (a manager) must approve it. */
  mode: 'publish' | 'request';
  onClose(): void;
  onDone(version: PolicyVersionView): void;
}

/**
 * Publishing asks what changed and whether the change is material (personal data used differently from what was
 * stated at collection). A material change takes effect at least 30 days later; its notice stays posted until then.
 */
export function PublishModal({ version, mode, onClose, onDone }: PublishModalProps) {
  const [today] = useState(() => dayOf(Date.now()));
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'controlled',
    initialValues: { changeSummary: '', material: false, effectiveDate: today, reason: '' },
    validate: {
      changeSummary: (v) => (v.trim() ? null : 'Say what changed, in a sentence or two'),
      effectiveDate: (v, values) => effectiveDateProblem(today, v, values.material),
      reason: (v) => (mode === 'request' && v.trim().length < REASON_MIN ? `Write at least ${REASON_MIN} characters (${v.trim().length} so far)` : null),
    },
  });
  const material = form.values.material;

  const submit = form.onSubmit((values) => {
    void run(async () => {
      const publication = { id: version.id, changeSummary: values.changeSummary, material: values.material, effectiveDate: values.effectiveDate };
      const result =
        mode === 'publish'
          ? await call('policy.publish', publication)
          : await call('policy.requestPublication', { ...publication, reason: values.reason });
      onDone(result.version);
    });
  });

  return (
    <Modal opened onClose={() => !submitting && onClose()} title={mode === 'publish' ? `Publish ${versionLabel(version.version)}` : `Ask a manager to publish ${versionLabel(version.version)}`} size="lg">
      <form onSubmit={submit} aria-label="Publication" noValidate>
        <Stack gap="md">
          {failure && <FormFailure title={mode === 'publish' ? 'Not published' : 'Not sent'} message={failure} />}
          <Textarea label="Change summary" description="What changed, as clients will read it in the announcement and the notice" required autosize minRows={3} maxLength={CHANGE_SUMMARY_MAX} data-autofocus {...form.getInputProps('changeSummary')} />
          <Checkbox
            label="Material change: personal data will be used differently from what was stated when it was collected"
            description={`Customers collected under earlier versions must be told, and the notice stays posted for at least ${MATERIAL_NOTICE_DAYS} days.`}
            {...form.getInputProps('material', { type: 'checkbox' })}
            onChange={(event) => {
              const checked = event.currentTarget.checked;
              form.setFieldValue('material', checked);
              if (checked && form.values.effectiveDate < addDays(today, MATERIAL_NOTICE_DAYS)) form.setFieldValue('effectiveDate', addDays(today, MATERIAL_NOTICE_DAYS));
            }}
          />
          <DateField
            label="Effective date"
            description={material ? `${formatDate(addDays(today, MATERIAL_NOTICE_DAYS))} at the earliest (${MATERIAL_NOTICE_DAYS} days' notice, counted in UTC days)` : 'Today or later'}
            required
            min={material ? addDays(today, MATERIAL_NOTICE_DAYS) : today}
            {...form.getInputProps('effectiveDate')}
          />
          {material && (
            <Alert color="orange" variant="light" title="Notice period">
              <Text size="sm">
                From publication until {form.values.effectiveDate ? formatDate(form.values.effectiveDate) : 'the effective date'} the notice is shown on every home screen with the days remaining, and version{' '}
                {version.version - 1} stays in force for data collected meanwhile.
              </Text>
            </Alert>
          )}
          {mode === 'request' && (
            <Textarea label="Note for the approving manager" description="Why this version should be published (kept with the request)" required autosize minRows={2} maxLength={2000} {...form.getInputProps('reason')} />
          )}
          <Group justify="flex-end" className={modalClasses.stickyFooter}>
            <Button variant="default" onClick={onClose} disabled={submitting}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting}>
              {mode === 'publish' ? 'Publish' : 'Send for approval'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
