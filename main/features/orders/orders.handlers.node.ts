import { requireSession, type ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { ordersChannels } from './orders.contract.std.ts';
import { CARD_REVEAL_SECONDS } from './card.std.ts';
import type { OrderService } from './orderService.node.ts';

export function ordersHandlers(orders: OrderService): ChannelHandlers<typeof ordersChannels> {
  return {
    'orders.create': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ customerId: input.customerId });
      const order = await orders.create(ctx.q, input, session.userId);
      ctx.auditDetails({
        orderId: order.id,
        items: order.items.length,
        licences: order.items.filter((i) => i.kind === 'licence').length,
        cardBrand: order.card.brand,
      });
      return { order };
    },
    'orders.revealCard': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ orderId: input.orderId });
      // The reason goes to the encrypted reveal log, never into the audit details.
      const { customerId, card } = await orders.revealCard(ctx.q, input.orderId, input.reason, session.userId);
      ctx.auditDetails({ customerId });
      return { orderId: input.orderId, number: card.number, expiryMonth: card.expiryMonth, expiryYear: card.expiryYear, hideAfterSeconds: CARD_REVEAL_SECONDS };
    },
    'orders.resendLicence': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ orderId: input.orderId, itemId: input.itemId });
      const result = await orders.resendLicence(ctx.q, input.orderId, input.itemId, session.userId);
      ctx.auditDetails({ customerId: result.customerId, resendCount: result.resendCount });
      return { orderId: input.orderId, itemId: input.itemId, resentAt: result.resentAt, resendCount: result.resendCount };
    },
  };
}
