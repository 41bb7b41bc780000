import { requireSession, type ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { MinorCases } from './minorCases.node.ts';
import type { minorsChannels } from './minors.contract.std.ts';

export function minorsHandlers(cases: MinorCases): ChannelHandlers<typeof minorsChannels> {
  return {
    'minors.reportAsMinor': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ customerId: input.customerId, channel: input.channel });
      const found = await cases.report(ctx.q, input.customerId, session.userId);
      ctx.auditDetails({ caseId: found.id, deletionRequestId: found.deletionRequestId });
      return { case: found };
    },
    'minors.cases': async (input, ctx) => cases.list(ctx.q, input),
    'minors.release': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ caseId: input.caseId, reason: input.reason });
      const released = await cases.release(ctx.q, input.caseId, input.reason, session.userId);
      ctx.auditDetails({ customerId: released.customerId });
      return { case: released };
    },
  };
}
