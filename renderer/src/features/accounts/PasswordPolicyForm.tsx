import { Button, Group, List, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { MAX_MIN_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../../../main/features/accounts/passwordRules.std';
import type { ConsoleSettings } from '../../../../main/features/settings/settings.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { useSession } from '../session/sessionContext';

/** The office's password rules (issue #11): a minimum length IT sets, never below the built-in floor. */
export function PasswordPolicyForm({ current }: { current: ConsoleSettings }) {
  const { refresh } = useSession();
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { minPasswordLength: current.minPasswordLength },
    validate: {
      minPasswordLength: (value) =>
        Number.isInteger(value) && value >= MIN_PASSWORD_LENGTH && value <= MAX_MIN_PASSWORD_LENGTH
          ? null
          : `A whole number of characters from ${MIN_PASSWORD_LENGTH} to ${MAX_MIN_PASSWORD_LENGTH}`,
    },
  });

  const submit = form.onSubmit(({ minPasswordLength }) =>
    run(async () => {
      const saved = await call('settings.update', { minPasswordLength });
      form.resetDirty({ minPasswordLength: saved.minPasswordLength });
      notifySuccess(`New passwords now need at least ${saved.minPasswordLength} characters.`);
      // The session info carries the minimum the password forms show.
      await refresh();
    }),
  );

  return (
    <form onSubmit={submit} noValidate aria-label="Passwords">
      <Stack>
        <div>
          <Title order={2} size="h4">
            Passwords
          </Title>
          <Text size="sm" c="dimmed">
            Applies to every new password (accounts, changes, first sign-in after a reset); existing ones keep working.
          </Text>
        </div>
        <List size="sm" c="dimmed" spacing={2}>
          <List.Item>Passwords do not expire: people change them when they want to or after an IT reset (current NIST and NCSC guidance).</List.Item>
          <List.Item>Common passwords from public breach lists and the company or product name are always refused.</List.Item>
        </List>
        <FormFailure message={failure} />
        <NumberInput
          clampBehavior="none"
          label="Minimum length (characters)"
          allowDecimal={false}
          allowNegative={false}
          maw={220}
          key={form.key('minPasswordLength')}
          {...form.getInputProps('minPasswordLength')}
        />
        <Group>
          <Button type="submit" loading={submitting}>
            Save password rules
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
