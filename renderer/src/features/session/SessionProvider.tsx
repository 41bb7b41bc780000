import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SessionInfo } from '../../../../main/features/session/session.contract.std';
import type { ChannelOutput } from '../../../../main/api.std';
import type { ApiEvents } from '../../../../main/platform/ipc/events.std';
import { errorMessage } from '../../api/ApiCallError';
import { call, installSessionHandlers } from '../../api/client';
import { onApiEvent } from '../../api/events';
import { allowNotifications } from '../../ui/notify';
import { IdleWarning } from './IdleWarning';
import { ReauthModal } from './ReauthModal';
import { SessionContext, type SessionControls, type SessionState } from './sessionContext';
import { useActivityHeartbeat } from './useActivityHeartbeat';
import { useReauthPrompt } from './useReauthPrompt';

/** Why main ended the session, in words for the sign-in screen. */
const ENDED_NOTICES: Record<ApiEvents['session.ended']['reason'], string> = {
  account_disabled: 'You were signed out because an IT administrator disabled your account.',
  role_changed: 'You were signed out because an IT administrator changed your role. Sign in again to continue.',
  password_reset: 'You were signed out because an IT administrator reset your password. Sign in with the one-time code you were given.',
  password_changed: 'You were signed out because your password was changed in another window or workstation. Sign in with the new one.',
  locked_out: 'Too many failed attempts: the account is locked for 15 minutes. Try again later or ask IT to unlock it.',
};

function stateFromStatus(status: ChannelOutput<'session.status'>): SessionState {
  if (status.setupRequired) return { kind: 'setup' };
  if (!status.session) return { kind: 'signed-out', notice: null };
  return sessionState(status.session);
}

function sessionState(session: SessionInfo): SessionState {
  return session.locked ? { kind: 'locked', session } : { kind: 'active', session };
}

/** Owns who is signed in. Main decides; this mirrors 'session.status' and the events main pushes. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ kind: 'loading' });
  const reauth = useReauthPrompt();

  const refresh = useCallback(
    () =>
      call('session.status', {}).then(
        (status) => setState(stateFromStatus(status)),
        (error: unknown) => setState({ kind: 'unavailable', message: errorMessage(error) }),
      ),
    [],
  );

  const enter = useCallback((session: SessionInfo) => setState(sessionState(session)), []);

  const ended = useCallback((notice: string) => setState({ kind: 'signed-out', notice }), []);

  const signOut = useCallback(async () => {
    try {
      await call('session.logout', {});
      setState({ kind: 'signed-out', notice: null });
    } catch {
      await refresh();
    }
  }, [refresh]);

  const lockNow = useCallback(async () => {
    await call('session.lock', {});
    setState((current) => (current.kind === 'active' ? { kind: 'locked', session: current.session } : current));
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    const stopLocked = onApiEvent('session.locked', () =>
      setState((current) => (current.kind === 'active' ? { kind: 'locked', session: current.session } : current)),
    );
    const stopEnded = onApiEvent('session.ended', ({ reason }) =>
      setState({ kind: 'signed-out', notice: ENDED_NOTICES[reason] }),
    );
    return () => {
      stopLocked();
      stopEnded();
    };
  }, []);

  useEffect(
    () => installSessionHandlers({ confirmPassword: reauth.request, sessionInterrupted: () => void refresh() }),
    [reauth.request, refresh],
  );

  const active = state.kind === 'active';
  useActivityHeartbeat(active);

  // A prompt left open when the session locks or ends would otherwise hang the call waiting on it.
  const { opened: reauthOpened, settle: settleReauth } = reauth;
  useEffect(() => {
    if (!active && reauthOpened) settleReauth(false);
  }, [active, reauthOpened, settleReauth]);

  // Notifications name people and accounts: none may outlive the session, or show on the lock screen.
  useEffect(() => allowNotifications(active), [active]);

  // The next person to sign in starts on Home, not on the page the previous one left open.
  const signedOut = state.kind === 'signed-out';
  useEffect(() => {
    if (signedOut && window.location.hash && window.location.hash !== '#/') window.history.replaceState(null, '', '#/');
  }, [signedOut]);

  const controls = useMemo<SessionControls>(
    () => ({ state, refresh, enter, signOut, ended, lockNow }),
    [state, refresh, enter, signOut, ended, lockNow],
  );

  return (
    <SessionContext value={controls}>
      {children}
      <ReauthModal opened={reauthOpened && active} onSettled={settleReauth} />
      {state.kind === 'active' && <IdleWarning idleLockMinutes={state.session.idleLockMinutes} />}
    </SessionContext>
  );
}
