import type { ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { SessionEnder } from '../session/sessions.port.node.ts';
import type { AccountService, User } from './accountService.node.ts';
import type { Account, accountsChannels } from './accounts.contract.std.ts';

/** The output schema strips the password hash and counters; this keeps the intent explicit too. */
const toAccount = ({ passwordHash: _h, failedAttempts: _f, sessionEpoch: _e, ...account }: User): Account => account;

export function accountsHandlers(accounts: AccountService, sessions: SessionEnder): ChannelHandlers<typeof accountsChannels> {
  return {
    'accounts.list': async (_input, ctx) => ({ accounts: (await accounts.list(ctx.q)).map(toAccount) }),
    'accounts.create': async (input, ctx) => {
      const user = await accounts.create(ctx.q, input);
      ctx.auditDetails({ userId: user.id, role: user.role });
      return toAccount(user);
    },
    'accounts.update': async ({ id, ...changes }, ctx) => {
      const { user, fields } = await accounts.update(ctx.q, id, changes);
      ctx.auditDetails({ userId: id, fields, role: user.role, status: user.status });
      if (user.status === 'disabled') sessions.endUser(id, 'account_disabled');
      else if (fields.includes('role')) sessions.endUser(id, 'role_changed');
      return toAccount(user);
    },
    'accounts.resetPassword': async ({ id, password }, ctx) => {
      const user = await accounts.resetPassword(ctx.q, id, password);
      ctx.auditDetails({ userId: id });
      // Whoever knew the old password is signed out everywhere (the administrator resetting their own keeps theirs).
      if (id !== ctx.session?.userId) sessions.endUser(id, 'password_reset');
      else sessions.adoptEpoch(ctx.session.senderId, user.sessionEpoch);
      return toAccount(user);
    },
  };
}
