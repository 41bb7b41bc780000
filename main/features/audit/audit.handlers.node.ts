import type { AuditLog } from '../../platform/audit/auditLog.node.ts';
import type { ChannelHandlers } from '../../platform/ipc/router.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import type { auditChannels } from './audit.contract.std.ts';

export function auditHandlers(audit: AuditLog, staff: StaffDirectory): ChannelHandlers<typeof auditChannels> {
  return {
    'audit.list': async (input, ctx) => {
      const { rows, total } = await audit.list(ctx.q, input);
      // Staff names are resolved for display here, never stored in the log itself.
      const nameOf = await staffNameResolver(staff, ctx.q);
      return {
        total,
        events: rows.map((row) => ({
          seq: row.seq,
          at: row.at,
          actorId: row.actor_id,
          actorName: nameOf(row.actor_id),
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
