import type { ApiEvents } from '../../platform/ipc/events.std.ts';

/** What other features may use of sessions (implemented by SessionManager). */
export interface SessionEnder {
  /** Ends every session of a user whose account changed under them. */
  endUser(userId: string, reason: ApiEvents['session.ended']['reason']): void;
}
