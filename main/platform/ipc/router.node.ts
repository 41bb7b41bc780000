import type { z } from 'zod';
import type { AuditDetails } from '../audit/auditEvent.std.ts';
import type { AuditSink } from '../audit/auditSink.node.ts';
import type { Logger } from '../log/logger.node.ts';
import type { Db, Queryable } from '../store/database.node.ts';
import { dialectOf, storeAppError } from '../store/dialect.node.ts';
import { inTransaction } from '../store/transaction.node.ts';
import type { Caller } from './caller.std.ts';
import type { ApiEvents } from './events.std.ts';
import type { ChannelSpec } from './channel.std.ts';
import { AppError, type ApiError, type ApiResult } from './errors.std.ts';
import { roleHolds, type Role } from './roles.std.ts';
import { describeIssues } from './validation.std.ts';

/** The channels the router serves, by name (the app passes `API`). */
export type ChannelTable = Readonly<Record<string, ChannelSpec>>;

/** What the router needs to know of a signed-in session. */
export interface RouterSession {
  readonly senderId: string;
  readonly userId: string;
  readonly role: Role;
  readonly locked: boolean;
  /** Reset by IT: until the person sets their own password, only channels that allow it may be called. */
  readonly mustChangePassword?: boolean;
}

/** Why a session was ended under its user (the renderer explains each). */
export type SessionEndReason = ApiEvents['session.ended']['reason'];

/** What the caller is told when its session was ended on another workstation's change (no value named). */
export const SIGNED_OUT: Record<SessionEndReason, string> = {
  account_disabled: 'You were signed out: an IT administrator disabled your account.',
  role_changed: 'You were signed out: an IT administrator changed your role. Sign in again to continue.',
  password_reset: 'You were signed out: an IT administrator reset your password. Sign in with the new one.',
  password_changed: 'You were signed out: your password was changed in another window or workstation. Sign in with the new one.',
  locked_out: 'You were signed out after too many failed attempts.',
};

/** Finds and maintains sessions; implemented by the session feature's SessionManager. */
export interface SessionLookup<S extends RouterSession> {
  get(senderId: string): S | undefined;
  /**
   * Checked on every call before anything else: why this session no longer holds (its account was disabled,
   * changed role or had its password reset — on this workstation or any other sharing the database), or null.
   */
  revoked(q: Queryable, session: S): Promise<SessionEndReason | null>;
  /** Ends a session, telling its window why. */
  end(senderId: string, reason: SessionEndReason | null): void;
  /** Locks a session whose idle time has run out (checked on every call, not only by the sweep). */
  lockIfIdle(session: S): void;
  hasRecentReauth(session: S): boolean;
  touch(session: S): void;
}

export interface HandlerContext<S extends RouterSession = RouterSession> {
  readonly q: Queryable;
  readonly caller: Caller;
  /** Present for every channel except public ones. */
  readonly session: S | null;
  /** Ids, field names and purposes for the audit event the router writes; never values. */
  auditDetails(details: AuditDetails): void;
  /** For calls that create the actor (first-run setup). */
  setActor(userId: string): void;
  /**
   * Non-transactional calls whose effect commits in a transaction of their own (jobs): writes the channel's
   * audit event now, inside `q`, so the effect and its audit commit together; the router then writes none.
   */
  auditIn(q: Queryable): Promise<void>;
}

export type Handler<Spec extends ChannelSpec, S extends RouterSession = RouterSession> = (
  input: z.output<Spec['input']>,
  ctx: HandlerContext<S>,
) => Promise<z.input<Spec['output']>>;
/** One handler per channel of a table: a missing handler is a compile error. */
export type ChannelHandlers<T extends ChannelTable, S extends RouterSession = RouterSession> = { [C in keyof T]: Handler<T[C], S> };

export interface RouterDeps<T extends ChannelTable, S extends RouterSession> {
  db: Db;
  channels: T;
  audit: AuditSink;
  sessions: SessionLookup<S>;
  logger: Logger;
  handlers: ChannelHandlers<T, S>;
  /** Where denials go (coalesced per sender and window: denials.node.ts); without it each is appended at once. */
  denials?: { record(denial: { senderId: string; actorId: string | null; channel: string; code: string }): Promise<void> };
}

const fail = (code: ApiError['code'], message: string): ApiResult<never> => ({ ok: false, error: { code, message } });

export function requireSession<S extends RouterSession>(ctx: HandlerContext<S>): S {
  if (!ctx.session) throw new AppError('NOT_AUTHENTICATED', 'Please sign in.');
  return ctx.session;
}

/**
 * The one way into the core: sender → session → schema → permission → re-auth → handler → audit.
 * A channel that declares no access rule cannot be called.
 */
export class Router<T extends ChannelTable, S extends RouterSession> {
  constructor(private readonly deps: RouterDeps<T, S>) {}

  async handle(caller: Caller, channel: string, payload: unknown): Promise<ApiResult<unknown>> {
    const { audit, sessions, logger, db, channels } = this.deps;
    const denied = async (code: ApiError['code'], message: string, actorId: string | null) => {
      const known = Object.hasOwn(channels, channel) ? channel : '(unknown)';
      if (this.deps.denials) await this.deps.denials.record({ senderId: caller.senderId, actorId, channel: known, code });
      else await audit.append(db, { actorId, action: 'access.denied', outcome: 'denied', details: { channel: known, code } });
      return fail(code, message);
    };

    if (!caller.trusted) return denied('UNTRUSTED_SENDER', 'This request did not come from the app window.', null);
    if (!Object.hasOwn(channels, channel)) return denied('UNKNOWN_CHANNEL', 'Unknown request.', null);
    const name = channel as keyof T & string;
    const spec: ChannelSpec = channels[name]!;
    if (!spec.access) return denied('FORBIDDEN', 'This action is not permitted.', null);

    let session: S | null = null;
    if (spec.access.kind !== 'public') {
      session = sessions.get(caller.senderId) ?? null;
      if (!session) return fail('NOT_AUTHENTICATED', 'Please sign in.');
      const revoked = await sessions.revoked(db, session);
      if (revoked) {
        sessions.end(session.senderId, revoked);
        return fail('NOT_AUTHENTICATED', SIGNED_OUT[revoked]);
      }
      sessions.lockIfIdle(session);
      if (session.locked && !(spec.access.kind === 'session' && spec.access.allowWhileLocked)) {
        return fail('SESSION_LOCKED', 'The session is locked. Enter your password to continue.');
      }
      if (session.mustChangePassword && !(spec.access.kind === 'session' && spec.access.allowBeforePasswordChange)) {
        return fail('PASSWORD_CHANGE_REQUIRED', 'Set a new password of your own before anything else.');
      }
    }

    const parsed = spec.input.safeParse(payload);
    if (!parsed.success) return fail('INVALID_INPUT', describeIssues(parsed.error.issues));

    if (spec.access.kind === 'permission' && !(session && roleHolds(session.role, spec.access.permission))) {
      return denied('FORBIDDEN', 'Your role is not permitted to do this.', session?.userId ?? null);
    }
    if (session && spec.reauth && !sessions.hasRecentReauth(session)) {
      return fail('REAUTH_REQUIRED', 'Confirm your password to continue.');
    }
    if (session && !session.locked && !spec.passive) sessions.touch(session);

    let details: AuditDetails = {};
    let actorId = session?.userId ?? null;
    // On PostgreSQL a transaction that hit a serialization failure or deadlock runs again (inTransaction): each
    // attempt starts from the same audit details and actor, and its audit event is written inside the attempt's
    // transaction, so a retried call leaves exactly one event. Handlers keep in-memory effects idempotent (a
    // session started or ended twice for the same window is the same session state).
    // Whether the committed attempt staged its event (a reads-only call on PostgreSQL): chained after the commit.
    let staged = false;
    const run = async (q: Queryable) => {
      details = {};
      actorId = session?.userId ?? null;
      staged = false;
      if (spec.audit && q.isTransaction) {
        // An audited call writes: it becomes a writer before its first read (SQLite), and queues for the audit
        // chain's head (PostgreSQL), so another workstation's commit makes it wait, never fail. A reads-only
        // call stages its event instead (below) and queues for the head only after its commit.
        await dialectOf(q).claimWrite(q);
        if (!spec.readsOnly) await audit.reserve?.(q);
      }
      // The transaction the event went into: a job's transaction that is retried gets its event again.
      let audited: Queryable | null = null;
      const ctx: HandlerContext<S> = {
        q,
        caller,
        session,
        auditDetails: (d) => void (details = { ...details, ...d }),
        setActor: (id) => void (actorId = id),
        async auditIn(inner) {
          if (!spec.audit || audited === inner) return;
          await audit.append(inner, { actorId, action: spec.audit, outcome: 'ok', details });
          audited = inner;
        },
      };
      const handler = this.deps.handlers[name] as (input: unknown, ctx: HandlerContext<S>) => Promise<unknown>;
      const result = await handler(parsed.data, ctx);
      if (spec.audit && !audited) {
        const event = { actorId, action: spec.audit, outcome: 'ok', details } as const;
        if (spec.readsOnly && audit.stage) staged = await audit.stage(q, event);
        else {
          if (spec.readsOnly) await audit.reserve?.(q);
          await audit.append(q, event);
        }
      }
      return result;
    };

    try {
      const result =
        spec.transactional === false
          ? await run(db)
          : await inTransaction(db, (trx) => run(trx), {
              isolation: spec.readsOnly ? 'read committed' : 'serializable',
              onRetry: (kind, attempt) => logger.warn('ipc.transaction_retry', { channel: name, kind, attempt }),
            });
      if (staged) await this.sealStaged(name);
      // Stripping to the declared shape means nothing extra ever reaches the renderer.
      return { ok: true, value: spec.output.parse(result) };
    } catch (error) {
      // A driver error the database dialect recognises (busy, unique violation, serialization failure) is an
      // answer the caller can act on; it is logged by class only, like any other.
      const storeError = error instanceof AppError ? null : storeAppError(dialectOf(db).classifyError(error));
      if (storeError) logger.error('ipc.store_conflict', error, { channel: name });
      const appError = error instanceof AppError ? error : storeError;
      if (appError) {
        if (spec.audit) {
          await audit.append(db, { actorId, action: spec.audit, outcome: 'failed', details: { ...details, code: appError.code } });
        }
        return fail(appError.code, appError.message);
      }
      logger.error('ipc.handler_failed', error, { channel: name });
      return fail('INTERNAL', 'Something went wrong. The details are in the application log.');
    }
  }

  /**
   * Chains the event a committed call staged (with every other waiting). The call's work and its event are both
   * committed already, so a failure here is logged, not reported: the next seal on any workstation takes it.
   */
  private async sealStaged(channel: string): Promise<void> {
    try {
      await this.deps.audit.sealStaged?.();
    } catch (error) {
      this.deps.logger.warn('audit.seal_deferred', { channel, code: dialectOf(this.deps.db).classifyError(error) ?? 'error' });
    }
  }
}
