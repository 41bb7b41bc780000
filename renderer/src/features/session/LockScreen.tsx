import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLock } from '@tabler/icons-react';
import type { SessionInfo } from '../../../../main/features/session/session.contract.std';
import { ApiCallError } from '../../api/ApiCallError';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { RoleBadge } from '../../ui/RoleBadge';
import { UserAvatar } from '../../ui/UserAvatar';
import { useSubmission } from '../../ui/useSubmission';
import { AuthLayout } from './AuthLayout';
import { useSession } from './sessionContext';

/** The session is still open in main but nothing is shown until its owner proves they are back. */
export function LockScreen({ session }: { session: SessionInfo }) {
  const { enter, signOut, ended } = useSession();
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { password: '' },
    validate: { password: (value) => (value ? null : 'Enter your password') },
  });

  const unlock = form.onSubmit(async ({ password }) => {
    const unlocked = await run(async () => {
      try {
        enter(await call('session.unlock', { password }));
      } catch (error) {
        // Main ends the session when the lock screen trips the lockout; only a full sign-in is left.
        if (error instanceof ApiCallError && error.code === 'LOCKED_OUT') ended(error.message);
        throw error;
      }
    });
    if (!unlocked) form.setFieldValue('password', '');
  });

  return (
    <AuthLayout
      title="Console locked"
      description={`Locked to protect personal data. The console locks after ${session.idleLockMinutes} minutes without activity.`}
    >
      <Group gap="md" wrap="nowrap">
        <UserAvatar displayName={session.displayName} size="lg" />
        <div>
          <Text fw={600}>{session.displayName}</Text>
          <Group gap={6}>
            <Text size="sm" c="dimmed">
              {session.username}
            </Text>
            <RoleBadge role={session.role} size="sm" />
          </Group>
        </div>
      </Group>
      <form onSubmit={unlock} noValidate>
        <Stack>
          <FormFailure message={failure} />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            autoFocus
            key={form.key('password')}
            {...form.getInputProps('password')}
          />
          <Group justify="space-between">
            <Button variant="subtle" color="gray" onClick={() => void signOut()}>
              Sign out
            </Button>
            <Button type="submit" loading={submitting} leftSection={<IconLock size={16} aria-hidden />}>
              Unlock
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthLayout>
  );
}
