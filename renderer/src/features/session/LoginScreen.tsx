import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconInfoCircle } from '@tabler/icons-react';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { useSubmission } from '../../ui/useSubmission';
import { AuthLayout } from './AuthLayout';
import { useSession } from './sessionContext';

export function LoginScreen({ notice }: { notice: string | null }) {
  const { enter } = useSession();
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { username: '', password: '' },
    validate: {
      username: (value) => (value.trim() ? null : 'Enter your username'),
      password: (value) => (value ? null : 'Enter your password'),
    },
  });

  const submit = form.onSubmit(async (credentials) => {
    const signedIn = await run(async () => enter(await call('session.login', credentials)));
    if (!signedIn) form.setFieldValue('password', '');
  });

  return (
    <AuthLayout title="Sign in" description="Use the account your IT administrator created for you.">
      <form onSubmit={submit} noValidate>
        <Stack>
          {notice && !failure && (
            <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
              {notice}
            </Alert>
          )}
          <FormFailure message={failure} title="Sign-in failed" />
          <TextInput
            label="Username"
            autoComplete="username"
            autoFocus
            key={form.key('username')}
            {...form.getInputProps('username')}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            key={form.key('password')}
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={submitting} fullWidth mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
