import { createContext, use } from 'react';
import type { SessionInfo } from '../../../../main/features/session/session.contract.std';

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'unavailable'; message: string }
  | { kind: 'setup' }
  | { kind: 'signed-out'; notice: string | null }
  | { kind: 'locked'; session: SessionInfo }
  | { kind: 'active'; session: SessionInfo };

export interface SessionControls {
  state: SessionState;
  /** Re-reads 'session.status' from main, the only source of truth. */
  refresh(): Promise<void>;
  /** Setup, login or unlock succeeded with this session. */
  enter(session: SessionInfo): void;
  signOut(): Promise<void>;
  /** Main has already ended the session: show the sign-in screen with this explanation. */
  ended(notice: string): void;
  lockNow(): Promise<void>;
}

export const SessionContext = createContext<SessionControls | null>(null);

export function useSession(): SessionControls {
  const controls = use(SessionContext);
  if (!controls) throw new Error('useSession must be used inside SessionProvider');
  return controls;
}

/** For screens only reachable with an unlocked session. */
export function useActiveSession(): SessionInfo {
  const { state } = useSession();
  if (state.kind !== 'active') throw new Error('useActiveSession needs an unlocked session');
  return state.session;
}
