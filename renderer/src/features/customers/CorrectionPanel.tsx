import { Button, Divider, Group, Paper, Radio, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPencil } from '@tabler/icons-react';
import type { ChannelInput } from '../../../../main/api.std';
import { CORRECTION_SOURCES, customersChannels, type CustomerRecord } from '../../../../main/features/customers/customers.contract.std';
import { dateOfBirthProblem, MINOR_REFUSED } from '../../../../main/features/customers/customerFields.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { schemaErrors } from './formErrors';
import { CORRECTABLE_FIELD_LABELS, CORRECTION_SOURCE_LABELS } from './labels';
import { DateField } from '../../ui/DateField';

type Source = (typeof CORRECTION_SOURCES)[number];
type Changes = ChannelInput<'customers.correct'>['changes'];

interface CorrectionValues {
  givenName: string;
  familyName: string;
  organisationName: string;
  email: string;
  phone: string;
  dateOfBirth: string;
  shippingAddress: { street: string; city: string; region: string; postalCode: string; country: string };
  reason: string;
  source: Source | null;
}

function initialValues(record: CustomerRecord): CorrectionValues {
  const a = record.shippingAddress;
  return {
    givenName: record.name?.givenName ?? '',
    familyName: record.name?.familyName ?? '',
    organisationName: record.name?.organisationName ?? '',
    email: record.email ?? '',
    phone: record.phone ?? '',
    dateOfBirth: record.dateOfBirth ?? '',
    shippingAddress: { street: a?.street ?? '', city: a?.city ?? '', region: a?.region ?? '', postalCode: a?.postalCode ?? '', country: a?.country ?? '' },
    reason: '',
    source: null,
  };
}

/** Only what differs from the record is sent; a cleared optional field is sent as null (removed). */
function changesOf(values: CorrectionValues, before: CorrectionValues, kind: CustomerRecord['kind']): Changes {
  const changes: Changes = {};
  const text = (key: 'givenName' | 'familyName' | 'email') => {
    if (values[key].trim() !== before[key]) changes[key] = values[key];
  };
  const nullable = (key: 'phone' | 'dateOfBirth' | 'organisationName') => {
    const value = values[key].trim();
    if (value !== before[key]) changes[key] = value ? value : null;
  };
  text('givenName');
  text('familyName');
  text('email');
  nullable('phone');
  nullable('dateOfBirth');
  if (kind === 'organisation_contact') nullable('organisationName');
  const address: NonNullable<Changes['shippingAddress']> = {};
  for (const key of ['street', 'city', 'postalCode', 'country'] as const) {
    if (values.shippingAddress[key].trim() !== before.shippingAddress[key]) address[key] = values.shippingAddress[key];
  }
  const region = values.shippingAddress.region.trim();
  if (region !== before.shippingAddress.region) address.region = region ? region : null;
  if (Object.keys(address).length) changes.shippingAddress = address;
  return changes;
}

/** The contract's schema for the changed fields (paths without the "changes." prefix), plus the age rule. */
function validateCorrection(values: CorrectionValues, before: CorrectionValues, record: CustomerRecord): Record<string, string> {
  const changes = changesOf(values, before, record.kind);
  const errors: Record<string, string> = {};
  const payload = { customerId: record.id, changes, reason: values.reason, source: values.source ?? undefined };
  for (const [path, message] of Object.entries(schemaErrors(customersChannels['customers.correct'].input, payload))) {
    errors[path.replace(/^changes\./, '')] = message;
  }
  if (changes.dateOfBirth && !errors.dateOfBirth) {
    const problem = dateOfBirthProblem(changes.dateOfBirth, Date.now());
    // A minor's date of birth is saved: it is what sets the record apart for deletion (said under the field).
    if (problem && problem !== MINOR_REFUSED) errors.dateOfBirth = problem;
  }
  if (!values.source) errors.source = 'Say where the correction comes from';
  if (Object.keys(changes).length === 0) errors.form = 'Change at least one field: the values equal the current record.';
  return errors;
}

function minorDateOfBirth(value: string, before: string): boolean {
  return value !== before && /^\d{4}-\d{2}-\d{2}$/.test(value) && dateOfBirthProblem(value, Date.now()) === MINOR_REFUSED;
}

interface CorrectionPanelProps {
  record: CustomerRecord;
  onCorrected(): void;
}

/**
 * Corrects personal data (policy: "Updates to Personal Information"). Mount it with a key that changes when the
 * record does, so the form starts from the corrected values.
 */
export function CorrectionPanel({ record, onCorrected }: CorrectionPanelProps) {
  const before = initialValues(record);
  const { submitting, failure, run } = useSubmission();
  const form = useForm<CorrectionValues>({
    mode: 'controlled',
    initialValues: before,
    validate: (values) => validateCorrection(values, before, record),
  });

  const submit = form.onSubmit((values) =>
    run(async () => {
      if (!values.source) return;
      const result = await call('customers.correct', {
        customerId: record.id,
        changes: changesOf(values, before, record.kind),
        reason: values.reason,
        source: values.source,
        expectedVersion: record.version,
      });
      notifySuccess(`Corrected: ${result.fields.map((field) => CORRECTABLE_FIELD_LABELS[field]).join(', ')}.`);
      if (result.minorFound) notifySuccess('This date of birth is a minor’s: the record was set apart and its deletion requested.');
      onCorrected();
    }),
  );

  const input = (path: string, label: string, extra: { withAsterisk?: boolean; placeholder?: string } = {}) => (
    <TextInput label={label} autoComplete="off" {...extra} key={form.key(path)} {...form.getInputProps(path)} />
  );

  return (
    <Paper withBorder radius="md" p="lg">
      <form onSubmit={submit} noValidate aria-label="Correct personal data">
        <Stack gap="sm">
          <div>
            <Title order={2} size="h4">
              Correct personal data
            </Title>
            <Text size="sm" c="dimmed">
              Change what is wrong or out of date. The previous and new values are kept, encrypted, in the correction
              history.
            </Text>
          </div>
          <FormFailure message={failure ?? (form.errors.form as string | undefined) ?? null} title="Not corrected" />
          <Group grow align="flex-start">
            {input('givenName', 'Given name', { withAsterisk: true })}
            {input('familyName', 'Family name', { withAsterisk: true })}
          </Group>
          {record.kind === 'organisation_contact' && input('organisationName', 'Organisation', { withAsterisk: true })}
          <Group grow align="flex-start">
            {input('email', 'Email', { withAsterisk: true })}
            {input('phone', 'Phone', { placeholder: 'Empty removes it' })}
          </Group>
          <DateField
            label="Date of birth"
            description={
              minorDateOfBirth(form.values.dateOfBirth, before.dateOfBirth)
                ? 'Under 18: saving sets this record apart as a minor’s and asks a manager to confirm its deletion'
                : 'Leave empty to remove it from the record'
            }
            w={260}
            key={form.key('dateOfBirth')}
            {...form.getInputProps('dateOfBirth')}
          />
          <Divider label="Shipping address" labelPosition="left" />
          {input('shippingAddress.street', 'Street', { withAsterisk: true })}
          <Group grow align="flex-start">
            {input('shippingAddress.city', 'City', { withAsterisk: true })}
            {input('shippingAddress.region', 'Region', { placeholder: 'Optional' })}
          </Group>
          <Group grow align="flex-start">
            {input('shippingAddress.postalCode', 'Postal code', { withAsterisk: true })}
            {input('shippingAddress.country', 'Country', { withAsterisk: true, placeholder: 'Two-letter code' })}
          </Group>
          <Divider label="Why" labelPosition="left" />
          <Radio.Group label="Source" withAsterisk key={form.key('source')} {...form.getInputProps('source')}>
            <Group mt={6}>
              {CORRECTION_SOURCES.map((source) => (
                <Radio key={source} value={source} label={CORRECTION_SOURCE_LABELS[source]} />
              ))}
            </Group>
          </Radio.Group>
          <Textarea label="Reason" withAsterisk autosize minRows={2} maxLength={1000} key={form.key('reason')} {...form.getInputProps('reason')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => form.reset()} disabled={submitting}>
              Reset
            </Button>
            <Button type="submit" loading={submitting} leftSection={<IconPencil size={16} aria-hidden />}>
              Save correction
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
