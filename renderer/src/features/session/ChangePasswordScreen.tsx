import { Alert } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import type { SessionInfo } from '../../../../main/features/session/session.contract.std';
import { formatDateTime } from '../../ui/format';
import { AuthLayout } from './AuthLayout';
import { ChangePasswordForm } from './ChangePasswordForm';
import { useSession } from './sessionContext';

/**
 * After an IT reset, the one-time code signs in only to this screen: the person sets a password nobody else
 * knows before anything else, and is told who reset it and when (so a reset they did not ask for stands out).
 */
export function ChangePasswordScreen({ session }: { session: SessionInfo }) {
  const { enter, signOut } = useSession();
  const reset = session.passwordReset;
  return (
    <AuthLayout title="Set your own password" description={`Signed in as ${session.displayName} (${session.username}).`}>
      <Alert color="yellow" variant="light" icon={<IconKey size={18} aria-hidden />} title="Your password was reset" role="status">
        {reset
          ? `${reset.byName ?? 'An IT administrator'} reset your password on ${formatDateTime(reset.at)}.`
          : 'An IT administrator reset your password.'}{' '}
        Enter the one-time code you were given, then choose a password only you know. If you did not ask for this,
        tell your manager or IT.
      </Alert>
      <ChangePasswordForm
        session={session}
        currentLabel="One-time code"
        submitLabel="Set password and continue"
        onChanged={enter}
        secondary={{ label: 'Sign out', onClick: () => void signOut() }}
      />
    </AuthLayout>
  );
}
