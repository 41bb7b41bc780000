import { formatDateTime } from '../../ui/format';
import { Alert, Button, Group, NumberInput, PasswordInput, Radio, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { CopyableSecretText, ShownOncePassphrase } from '../../ui/SecretText';
import { useState } from 'react';
import { ENROLMENT_MAX_HOURS } from '../../../../main/features/workstation/workstation.contract.std';
import type { ChannelOutput } from '../../../../main/api.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { useSubmission } from '../../ui/useSubmission';

const MIN_LENGTH = 20;
const MIN_DISTINCT = 8;

/** Mirrors passphraseProblem() in main, which decides. */
function passphraseError(value: string): string | null {
  if ([...value].length < MIN_LENGTH) return `At least ${MIN_LENGTH} characters`;
  if (new Set(value.toLowerCase()).size < MIN_DISTINCT) return `At least ${MIN_DISTINCT} different characters`;
  return null;
}

type Created = ChannelOutput<'workstation.enrolment.create'>;

/** IT on a workstation that opens the database: the office key sealed for one new workstation. */
export function EnrolmentPackagePanel() {
  const [created, setCreated] = useState<Created | null>(null);
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'controlled',
    initialValues: { expiresInHours: 24 as number | string, choice: 'generate', passphrase: '' },
    validate: {
      expiresInHours: (h) => (Number.isInteger(Number(h)) && Number(h) >= 1 && Number(h) <= ENROLMENT_MAX_HOURS ? null : `Whole hours from 1 to ${ENROLMENT_MAX_HOURS}`),
      passphrase: (value, values) => (values.choice === 'type' ? passphraseError(value) : null),
    },
  });

  const submit = form.onSubmit((values) =>
    run(async () => {
      setCreated(null);
      const result = await call('workstation.enrolment.create', {
        expiresInHours: Number(values.expiresInHours),
        ...(values.choice === 'type' ? { passphrase: values.passphrase } : {}),
      });
      form.setFieldValue('passphrase', '');
      setCreated(result);
    }),
  );

  return (
    <Stack>
      <div>
        <Title order={2} size="h4">
          Enrol a workstation
        </Title>
        <Text size="sm" c="dimmed">
          Every workstation on the office database needs the office key in its own keychain. Create a package here, carry
          it to the new workstation, and import it there with the passphrase. Give the passphrase separately from the package.
        </Text>
      </div>
      <form onSubmit={submit} noValidate aria-label="Create an enrolment package">
        <Stack>
          <FormFailure message={failure} />
          <NumberInput label="Valid for (hours)" min={1} max={ENROLMENT_MAX_HOURS} allowDecimal={false} allowNegative={false} maw={220} {...form.getInputProps('expiresInHours')} />
          <Radio.Group label="Passphrase" {...form.getInputProps('choice')}>
            <Stack mt="xs" gap="xs">
              <Radio value="generate" label="Generate one (shown once)" />
              <Radio value="type" label="Type one" />
            </Stack>
          </Radio.Group>
          {form.values.choice === 'type' && (
            <PasswordInput label="Passphrase for this package" description={`At least ${MIN_LENGTH} characters`} autoComplete="new-password" withAsterisk {...form.getInputProps('passphrase')} />
          )}
          <Group>
            <Button type="submit" loading={submitting}>
              Create enrolment package
            </Button>
          </Group>
        </Stack>
      </form>
      {created && (
        <Stack gap="sm" aria-live="polite">
          <Alert color="blue" variant="light" title="Package created" role="status">
            <Text size="sm">
              Valid until {formatDateTime(created.expiresAt)} for install {created.installId}.
            </Text>
            {created.generatedPassphrase && <ShownOncePassphrase passphrase={created.generatedPassphrase} testId="generated-passphrase" />}
          </Alert>
          <CopyableSecretText label="Enrolment package" description="Encrypted; copy it to the new workstation." value={created.packageText} copyLabel="Copy package" minRows={4} maxRows={8} />
        </Stack>
      )}
    </Stack>
  );
}
