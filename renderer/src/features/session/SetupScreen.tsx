import { Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { NewPasswordFields } from '../../ui/NewPasswordFields';
import { newPasswordRules, requiredText, usernameError } from '../../ui/formRules';
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
      ...newPasswordRules((values: { username: string }) => values.username),
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
          <NewPasswordFields form={form} />
          <Button type="submit" loading={submitting} fullWidth mt="xs">
            Create administrator and sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
