import { Group, PasswordInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { PasswordRules } from './PasswordRules';
import type { NewPasswordValues } from './formRules';

interface NewPasswordFieldsProps<Values extends NewPasswordValues> {
  /** A form validated with newPasswordRules(). */
  form: UseFormReturnType<Values>;
  label?: string;
  confirmationLabel?: string;
  /** Puts the two fields side by side, for wide dialogs. */
  inline?: boolean;
  /** Focuses the password field when the surrounding modal opens. */
  autoFocus?: boolean;
  /** The office's minimum length (session info); the built-in floor when absent. */
  minLength?: number;
}

/** The password rules, then a new password and its confirmation. */
export function NewPasswordFields<Values extends NewPasswordValues>({
  form,
  label = 'Password',
  confirmationLabel = 'Confirm password',
  inline = false,
  autoFocus = false,
  minLength,
}: NewPasswordFieldsProps<Values>) {
  // An array, not a fragment: Group sizes grown children by counting them.
  const fields = [
    <PasswordInput
      label={label}
      autoComplete="new-password"
      withAsterisk
      data-autofocus={autoFocus || undefined}
      key={form.key('password')}
      {...form.getInputProps('password')}
    />,
    <PasswordInput
      label={confirmationLabel}
      autoComplete="new-password"
      withAsterisk
      key={form.key('confirmation')}
      {...form.getInputProps('confirmation')}
    />,
  ];

  return (
    <>
      <PasswordRules minLength={minLength} />
      {inline ? (
        <Group grow align="flex-start">
          {fields}
        </Group>
      ) : (
        fields
      )}
    </>
  );
}
