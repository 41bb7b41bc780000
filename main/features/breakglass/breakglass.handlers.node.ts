import { requireSession, type ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import type { BreakGlassReview, breakglassChannels } from './breakglass.contract.std.ts';
import type { BreakGlassService, Review } from './breakGlassService.node.ts';

export function breakglassHandlers(reviews: BreakGlassService, staff: StaffDirectory): ChannelHandlers<typeof breakglassChannels> {
  // Staff names are resolved for display, never stored with the review.
  const withNames = async (q: Queryable, list: Review[]): Promise<BreakGlassReview[]> => {
    const nameOf = await staffNameResolver(staff, q);
    return list.map((r) => ({ ...r, openedByName: nameOf(r.openedBy), reviewerName: nameOf(r.reviewerId) }));
  };
  return {
    'breakglass.list': async (input, ctx) => {
      const { reviews: list, total } = await reviews.list(ctx.q, input);
      return { reviews: await withNames(ctx.q, list), total };
    },
    'breakglass.review': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ reviewId: input.reviewId, decision: input.decision });
      const review = await reviews.review(ctx.q, input, session.userId);
      ctx.auditDetails({ customerId: review.customerId, openedBy: review.openedBy });
      const [named] = await withNames(ctx.q, [review]);
      return { review: named! };
    },
  };
}
