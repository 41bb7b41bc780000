import { Alert, Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { AuthLayout } from './AuthLayout';
import { ChangePasswordScreen } from './ChangePasswordScreen';
import { LockScreen } from './LockScreen';
import { LoginScreen } from './LoginScreen';
import { SetupScreen } from './SetupScreen';
import { useSession } from './sessionContext';

/** Shows the console only to an unlocked session with a password of its own; every other state gets its own screen. */
export function SessionGate({ children }: { children: ReactNode }) {
  const { state } = useSession();
  switch (state.kind) {
    case 'loading':
      return (
        <Center mih="100vh">
          <Loader aria-label="Loading" />
        </Center>
      );
    case 'unavailable':
      return (
        <AuthLayout title="Console unavailable">
          <Alert color="red" variant="light" role="alert">
            {state.message}
          </Alert>
        </AuthLayout>
      );
    case 'setup':
      return <SetupScreen />;
    case 'signed-out':
      return <LoginScreen notice={state.notice} />;
    case 'locked':
      return <LockScreen session={state.session} />;
    case 'active':
      // After an IT reset the one-time code opens only this screen (main refuses every other call until then).
      return state.session.mustChangePassword ? <ChangePasswordScreen session={state.session} /> : children;
  }
}
