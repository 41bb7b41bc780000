import { AppError } from '../../platform/ipc/errors.std.ts';
import { requireSession, type ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { SignedInAccount, StaffAccounts } from '../accounts/accounts.port.node.ts';
import type { Db, Queryable } from '../../platform/store/database.node.ts';
import { inTransaction } from '../../platform/store/transaction.node.ts';
import type { sessionChannels, SessionInfo } from './session.contract.std.ts';
import type { Session, SessionManager } from './sessionManager.node.ts';

export function sessionHandlers(
  accounts: StaffAccounts,
  sessions: SessionManager,
  /** The office-wide idle lock (settings feature), as the session shows it. */
  idleLockMinutes: () => number,
  /** The office's locale (settings feature). */
  locale: () => string = () => 'en-GB',
): ChannelHandlers<typeof sessionChannels, Session> {
  const info = async (q: Queryable, session: Session): Promise<SessionInfo> => ({
    userId: session.userId,
    username: session.username,
    displayName: session.displayName,
    role: session.role,
    locked: session.locked,
    idleLockMinutes: idleLockMinutes(),
    mustChangePassword: session.mustChangePassword,
    // Told at the sign-in after an IT reset, and until the person has set their own password.
    passwordReset: session.mustChangePassword ? await accounts.resetNotice(q, session.userId) : null,
    minPasswordLength: accounts.minPasswordLength(),
    locale: locale(),
  });
  const start = (q: Queryable, senderId: string, user: SignedInAccount) =>
    info(
      q,
      sessions.start(senderId, {
        userId: user.id,
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        epoch: user.sessionEpoch,
        mustChangePassword: user.mustChangePassword,
      }),
    );

  return {
    'session.status': async (_input, ctx) => {
      let session = sessions.get(ctx.caller.senderId);
      // A public channel (the router checks no session): a session ended on another workstation ends here too.
      const revoked = session ? await sessions.revoked(ctx.q, session) : null;
      if (session && revoked) {
        sessions.end(session.senderId, revoked);
        session = undefined;
      }
      return { setupRequired: (await accounts.count(ctx.q)) === 0, session: session ? await info(ctx.q, session) : null };
    },
    'session.setup': async (input, ctx) => {
      const user = await accounts.createFirstAdmin(ctx.q, input);
      ctx.setActor(user.id);
      ctx.auditDetails({ userId: user.id, role: user.role });
      return start(ctx.q, ctx.caller.senderId, user);
    },
    'session.login': async (input, ctx) => {
      if ((await accounts.count(ctx.q)) === 0) throw new AppError('SETUP_REQUIRED', 'Create the first administrator account first.');
      sessions.end(ctx.caller.senderId, null);
      return start(ctx.q, ctx.caller.senderId, await accounts.authenticate(input.username, input.password));
    },
    'session.logout': async (_input, ctx) => {
      sessions.end(requireSession(ctx).senderId, null);
      return { ok: true };
    },
    'session.lock': async (_input, ctx) => {
      sessions.lock(requireSession(ctx).senderId, 'manual');
      return { ok: true };
    },
    'session.unlock': async (input, ctx) => {
      const session = requireSession(ctx);
      try {
        await accounts.checkPassword(session.userId, input.password, 'auth.unlock');
      } catch (error) {
        // A lockout reached from the lock screen ends the session: the next step is a full sign-in.
        if (error instanceof AppError && error.code === 'LOCKED_OUT') sessions.end(session.senderId, 'locked_out');
        throw error;
      }
      sessions.unlock(session);
      return info(ctx.q, session);
    },
    'session.reauthenticate': async (input, ctx) => {
      const session = requireSession(ctx);
      await accounts.checkPassword(session.userId, input.password, 'auth.reauthenticate');
      return { validUntil: new Date(sessions.markReauthenticated(session)).toISOString() };
    },
    'session.activity': async () => ({ ok: true }),
    'session.changePassword': async (input, ctx) => {
      const session = requireSession(ctx);
      const forced = session.mustChangePassword;
      try {
        await accounts.checkPassword(session.userId, input.currentPassword, 'auth.password_change');
      } catch (error) {
        if (error instanceof AppError && error.code === 'LOCKED_OUT') sessions.end(session.senderId, 'locked_out');
        throw error;
      }
      const user = await inTransaction(ctx.q as Db, (trx) => accounts.changeOwnPassword(trx, session.userId, input.currentPassword, input.newPassword));
      // This window carries on; the account's other sessions end at their next call (its epoch moved).
      sessions.passwordChanged(session.senderId, user.sessionEpoch);
      ctx.auditDetails({ userId: session.userId, afterReset: forced });
      return info(ctx.q, session);
    },
  };
}
