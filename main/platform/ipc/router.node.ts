import type { z } from 'zod';
import { API, type Api, type ChannelName } from '../../api.std.ts';
import type { Caller } from '../../core.contract.std.ts';
import type { AuditDetails } from '../../features/audit/audit.contract.std.ts';
import type { AuditLog } from '../../features/audit/auditLog.node.ts';
import type { Session, SessionManager } from '../../features/session/sessionManager.node.ts';
import type { Logger } from '../log/logger.node.ts';
import type { Db, Queryable } from '../store/database.node.ts';
import { AppError, type ApiError, type ApiResult } from './errors.std.ts';
import { roleHolds } from './roles.std.ts';
import { describeIssues } from './validation.std.ts';

export interface HandlerContext {
  readonly q: Queryable;
  readonly caller: Caller;
  /** Present for every channel except public ones. */
  readonly session: Session | null;
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

export type Handler<C extends ChannelName> = (
  input: z.output<Api[C]['input']>,
  ctx: HandlerContext,
) => Promise<z.input<Api[C]['output']>>;
export type Handlers = { [C in ChannelName]: Handler<C> };

export interface RouterDeps {
  db: Db;
  audit: AuditLog;
  sessions: SessionManager;
  logger: Logger;
  handlers: Handlers;
}

const fail = (code: ApiError['code'], message: string): ApiResult<never> => ({ ok: false, error: { code, message } });

export function requireSession(ctx: HandlerContext): Session {
  if (!ctx.session) throw new AppError('NOT_AUTHENTICATED', 'Please sign in.');
  return ctx.session;
}

/**
 * The one way into the core: sender → session → schema → permission → re-auth → handler → audit.
 * A channel that declares no access rule cannot be called.
 */
export class Router {
  constructor(private readonly deps: RouterDeps) {}

  async handle(caller: Caller, channel: string, payload: unknown): Promise<ApiResult<unknown>> {
    const { audit, sessions, logger, db } = this.deps;
    const denied = async (code: ApiError['code'], message: string, actorId: string | null) => {
      await audit.append(db, { actorId, action: 'access.denied', outcome: 'denied', details: { channel: Object.hasOwn(API, channel) ? channel : '(unknown)', code } });
      return fail(code, message);
    };

    if (!caller.trusted) return denied('UNTRUSTED_SENDER', 'This request did not come from the app window.', null);
    if (!Object.hasOwn(API, channel)) return denied('UNKNOWN_CHANNEL', 'Unknown request.', null);
    const name = channel as ChannelName;
    const spec = API[name];
    if (!spec.access) return denied('FORBIDDEN', 'This action is not permitted.', null);

    let session: Session | null = null;
    if (spec.access.kind !== 'public') {
      session = sessions.get(caller.senderId) ?? null;
      if (!session) return fail('NOT_AUTHENTICATED', 'Please sign in.');
      sessions.lockIfIdle(session);
      if (session.locked && !(spec.access.kind === 'session' && spec.access.allowWhileLocked)) {
        return fail('SESSION_LOCKED', 'The session is locked. Enter your password to continue.');
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
    if (session && !session.locked) sessions.touch(session);

    let details: AuditDetails = {};
    let actorId = session?.userId ?? null;
    const run = async (q: Queryable) => {
      let audited = false;
      const ctx: HandlerContext = {
        q,
        caller,
        session,
        auditDetails: (d) => void (details = { ...details, ...d }),
        setActor: (id) => void (actorId = id),
        async auditIn(inner) {
          if (!spec.audit || audited) return;
          await audit.append(inner, { actorId, action: spec.audit, outcome: 'ok', details });
          audited = true;
        },
      };
      const handler = this.deps.handlers[name] as (input: unknown, ctx: HandlerContext) => Promise<unknown>;
      const result = await handler(parsed.data, ctx);
      if (spec.audit && !audited) await audit.append(q, { actorId, action: spec.audit, outcome: 'ok', details });
      return result;
    };

    try {
      const result = spec.transactional === false ? await run(db) : await db.transaction((trx) => run(trx));
      // Stripping to the declared shape means nothing extra ever reaches the renderer.
      return { ok: true, value: spec.output.parse(result) };
    } catch (error) {
      if (error instanceof AppError) {
        if (spec.audit) {
          await audit.append(db, { actorId, action: spec.audit, outcome: 'failed', details: { ...details, code: error.code } });
        }
        return fail(error.code, error.message);
      }
      logger.error('ipc.handler_failed', error, { channel: name });
      return fail('INTERNAL', 'Something went wrong. The details are in the application log.');
    }
  }
}
