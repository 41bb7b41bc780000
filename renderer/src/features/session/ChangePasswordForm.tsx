import { Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { SessionInfo } from '../../../../main/features/session/session.contract.std';
import { ApiCallError } from '../../api/ApiCallError';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { NewPasswordFields } from '../../ui/NewPasswordFields';
import { newPasswordRules } from '../../ui/formRules';
import { useSubmission } from '../../ui/useSubmission';
import { useSession } from './sessionContext';

interface ChangePasswordFormProps {
  session: SessionInfo;
  /** "Current password", or "One-time code" after an IT reset. */
  currentLabel: string;
  submitLabel: string;
  onChanged(session: SessionInfo): void;
  /** The secondary button (Cancel in the menu's dialog, Sign out on the forced screen). */
  secondary: { label: string; onClick(): void };
}

/** The current password (or IT's one-time code), then a new one under the office's rules. */
export function ChangePasswordForm({ session, currentLabel, submitLabel, onChanged, secondary }: ChangePasswordFormProps) {
  const { ended } = useSession();
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { currentPassword: '', password: '', confirmation: '' },
    validate: {
      currentPassword: (value: string) => (value ? null : `Enter your ${currentLabel.toLowerCase()}`),
      ...newPasswordRules(() => session.username, session.minPasswordLength),
    },
  });

  const submit = form.onSubmit(async ({ currentPassword, password }) => {
    const changed = await run(async () => {
      try {
        onChanged(await call('session.changePassword', { currentPassword, newPassword: password }));
      } catch (error) {
        // Too many wrong current passwords end the session, as on the lock screen.
        if (error instanceof ApiCallError && error.code === 'LOCKED_OUT') ended(error.message);
        throw error;
      }
    });
    if (!changed) form.setFieldValue('currentPassword', '');
  });

  return (
    <form onSubmit={submit} noValidate aria-label="Change password">
      <Stack>
        <FormFailure message={failure} />
        <PasswordInput
          label={currentLabel}
          autoComplete="current-password"
          withAsterisk
          data-autofocus
          autoFocus
          key={form.key('currentPassword')}
          {...form.getInputProps('currentPassword')}
        />
        <NewPasswordFields form={form} label="New password" confirmationLabel="Confirm new password" minLength={session.minPasswordLength} />
        <Group justify="space-between">
          <Button variant="subtle" color="gray" onClick={secondary.onClick}>
            {secondary.label}
          </Button>
          <Button type="submit" loading={submitting}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
