import type { Handlers } from '../../platform/ipc/router.node.ts';
import type { AccountService } from '../accounts/accountService.node.ts';
import { nameOf, staffNames } from '../accounts/staffNames.node.ts';
import type { AuditLog } from './auditLog.node.ts';

type AuditHandlers = Pick<Handlers, `audit.${string}` & keyof Handlers>;

export function auditHandlers(audit: AuditLog, accounts: AccountService): AuditHandlers {
  return {
    'audit.list': async (input, ctx) => {
      const { rows, total } = await audit.list(ctx.q, input);
      // Staff names are resolved for display here, never stored in the log itself.
      const names = await staffNames(accounts, ctx.q);
      return {
        total,
        events: rows.map((row) => ({
          seq: row.seq,
          at: row.at,
          actorId: row.actor_id,
          actorName: nameOf(names, row.actor_id),
          action: row.action,
          outcome: row.outcome,
          details: JSON.parse(row.details) as Record<string, never>,
        })),
      };
    },
    'audit.verify': async (_input, ctx) => {
      const result = await audit.verify(ctx.q);
      ctx.auditDetails({ ok: result.ok, checked: result.checked, firstBrokenSeq: result.firstBrokenSeq });
      return result;
    },
  };
}
