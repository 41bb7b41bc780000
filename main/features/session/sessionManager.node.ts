import type { Clock } from '../../platform/clock.std.ts';
import type { Role } from '../../platform/ipc/roles.std.ts';
import type { ApiEventName, ApiEvents } from '../../platform/ipc/events.std.ts';
import type { SessionEndReason, SessionLookup } from '../../platform/ipc/router.node.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import type { AccountSessionState } from '../accounts/accounts.port.node.ts';
import type { SessionEnder } from './sessions.port.node.ts';

/** How long a password re-entry unlocks sensitive actions. */
export const REAUTH_WINDOW_MS = 5 * 60_000;

export interface Session {
  readonly senderId: string;
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** The account's session epoch at sign-in; a bumped epoch in the database ends the session. */
  epoch: number;
  /** Signed in with IT's one-time code: only setting a password of their own is allowed. */
  mustChangePassword: boolean;
  locked: boolean;
  lastActivity: number;
  reauthUntil: number;
}

type Emit = <E extends ApiEventName>(senderId: string, event: E, payload: ApiEvents[E]) => void;

/**
 * Sessions live only in main-process memory, one per window, and die with the process — like the policy's
 * session cookies that end when the browser closes. Nothing about them is persisted.
 */
export class SessionManager implements SessionLookup<Session>, SessionEnder {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    private readonly idleLockMs: () => number,
    private readonly emit: Emit,
    /** The account as stored now (shared database: changed by any workstation). */
    private readonly stateOf: (q: Queryable, userId: string) => Promise<AccountSessionState | null>,
  ) {}

  async revoked(q: Queryable, session: Session): Promise<SessionEndReason | null> {
    const state = await this.stateOf(q, session.userId);
    if (!state || state.status !== 'active') return 'account_disabled';
    if (state.sessionEpoch === session.epoch) return null;
    if (state.role !== session.role) return 'role_changed';
    return state.mustChangePassword ? 'password_reset' : 'password_changed';
  }

  /** The person set their own password: the session is a full one from now on. */
  passwordChanged(senderId: string, epoch: number): void {
    const session = this.sessions.get(senderId);
    if (!session) return;
    session.epoch = epoch;
    session.mustChangePassword = false;
  }

  get(senderId: string): Session | undefined {
    return this.sessions.get(senderId);
  }

  start(senderId: string, user: Pick<Session, 'userId' | 'username' | 'displayName' | 'role' | 'epoch' | 'mustChangePassword'>): Session {
    const now = this.clock.now();
    const session: Session = { ...user, senderId, locked: false, lastActivity: now, reauthUntil: now + REAUTH_WINDOW_MS };
    this.sessions.set(senderId, session);
    return session;
  }

  end(senderId: string, reason: SessionEndReason | null): void {
    if (this.sessions.delete(senderId) && reason) this.emit(senderId, 'session.ended', { reason });
  }

  /** Ends every session of a user whose account changed under them. */
  endUser(userId: string, reason: ApiEvents['session.ended']['reason']): void {
    for (const session of [...this.sessions.values()]) if (session.userId === userId) this.end(session.senderId, reason);
  }

  lock(senderId: string, reason: ApiEvents['session.locked']['reason']): void {
    const session = this.sessions.get(senderId);
    if (!session || session.locked) return;
    session.locked = true;
    session.reauthUntil = 0;
    this.emit(senderId, 'session.locked', { reason });
  }

  unlock(session: Session): void {
    session.locked = false;
    this.touch(session);
    session.reauthUntil = this.clock.now() + REAUTH_WINDOW_MS;
  }

  touch(session: Session): void {
    session.lastActivity = this.clock.now();
  }

  markReauthenticated(session: Session): number {
    session.reauthUntil = this.clock.now() + REAUTH_WINDOW_MS;
    return session.reauthUntil;
  }

  hasRecentReauth(session: Session): boolean {
    return session.reauthUntil > this.clock.now();
  }

  /** Locks a session whose idle time has run out; the router calls it first, so a call between sweeps cannot reset it. */
  lockIfIdle(session: Session): void {
    if (!session.locked && this.clock.now() - session.lastActivity >= this.idleLockMs()) this.lock(session.senderId, 'idle');
  }

  sweepIdle(): void {
    for (const session of [...this.sessions.values()]) this.lockIfIdle(session);
  }
}
