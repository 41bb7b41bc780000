import type { Clock } from '../../platform/clock.std.ts';
import { requireSession, type ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { homeChannels } from './home.contract.std.ts';
import type { HomeWorkRegistry } from './home.port.node.ts';
import { markSeen, seenAt } from './homeSeen.node.ts';

export function homeHandlers(registry: HomeWorkRegistry, clock: Pick<Clock, 'nowIso'>): ChannelHandlers<typeof homeChannels> {
  return {
    'home.work': async (_input, ctx) => {
      const session = requireSession(ctx);
      const now = clock.nowIso();
      const seen = await seenAt(ctx.q, session.userId);
      const items = await registry.collect(ctx.q, { userId: session.userId, role: session.role, seenAt: seen, now });
      return { items, seenAt: seen, generatedAt: now };
    },
    'home.markSeen': async (_input, ctx) => {
      const session = requireSession(ctx);
      const now = clock.nowIso();
      await markSeen(ctx.q, session.userId, now);
      return { seenAt: now };
    },
  };
}
