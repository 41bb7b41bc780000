import type { z } from 'zod';
import type { Permission } from './roles.std.ts';

/**
 * Who may call a channel. `public` needs no session (setup, login); `session` needs any unlocked session, or a
 * locked one too with `allowWhileLocked` (the lock screen's own calls); `allowBeforePasswordChange` admits a session
 * that must first replace the one-time code IT gave it. Everything else names a permission.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'session'; allowWhileLocked?: boolean; allowBeforePasswordChange?: boolean }
  | { kind: 'permission'; permission: Permission };

export interface ChannelSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** Strict schema: unknown keys are refused, never silently dropped. */
  readonly input: I;
  /** Parsed (and stripped to its keys) before it leaves main, so nothing extra reaches the renderer. */
  readonly output: O;
  readonly access: Access;
  /** Needs a password re-entry within the last few minutes. */
  readonly reauth?: boolean;
  /** Audit action written (in the same transaction) when the call succeeds. */
  readonly audit?: string;
  /**
   * Reads, and writes nothing but its audit event and append-only evidence (a break-glass review). On PostgreSQL
   * it runs READ COMMITTED and queues for the audit chain's head only to append, at the end, so such calls from
   * many workstations run side by side instead of one at a time (SQLite: no difference).
   */
  readonly readsOnly?: true;
  /**
   * A background refresh (Home's counts, the task list): it does not count as the person's activity, so polling
   * never keeps an idle session from locking.
   */
  readonly passive?: true;
  /** Runs outside a transaction: for calls that must persist a failure (login counters). */
  readonly transactional?: false;
}

export function channel<I extends z.ZodType, O extends z.ZodType>(spec: ChannelSpec<I, O>): ChannelSpec<I, O> {
  return spec;
}
