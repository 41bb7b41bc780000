import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { PasswordRules } from '../../ui/PasswordRules';
import { confirmationError, newPasswordError, requiredText, usernameError } from '../../ui/formRules';
import { useSubmission } from '../../ui/useSubmission';
import { AuthLayout } from './AuthLayout';
import { useSession } from './sessionContext';

/** First run: creates the first IT administrator, who then creates everyone else. */
export function SetupScreen() {
  const { enter } = useSession();
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { username: '', displayName: '', password: '', confirmation: '' },
    validate: {
      username: usernameError,
      displayName: requiredText('your name', 80),
      password: (value, values) => newPasswordError(value, values.username),
      confirmation: (value, values) => confirmationError(value, values.password),
    },
  });

  const submit = form.onSubmit(({ username, displayName, password }) =>
    run(async () => enter(await call('session.setup', { username, displayName, password }))),
  );

  return (
    <AuthLayout
      title="Set up the console"
      description="Create the first IT administrator account. It will manage every other account."
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormFailure message={failure} />
          <TextInput
            label="Username"
            description="Used to sign in"
            autoComplete="username"
            withAsterisk
            key={form.key('username')}
            {...form.getInputProps('username')}
          />
          <TextInput
            label="Display name"
            autoComplete="name"
            withAsterisk
            key={form.key('displayName')}
            {...form.getInputProps('displayName')}
          />
          <PasswordRules />
          <PasswordInput
            label="Password"
            autoComplete="new-password"
            withAsterisk
            key={form.key('password')}
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label="Confirm password"
            autoComplete="new-password"
            withAsterisk
            key={form.key('confirmation')}
            {...form.getInputProps('confirmation')}
          />
          <Button type="submit" loading={submitting} fullWidth mt="xs">
            Create administrator and sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
