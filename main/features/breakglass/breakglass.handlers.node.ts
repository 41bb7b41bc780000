import { requireSession, type Handlers } from '../../platform/ipc/router.node.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import type { AccountService } from '../accounts/accountService.node.ts';
import { nameOf, staffNames } from '../accounts/staffNames.node.ts';
import type { BreakGlassReview } from './breakglass.contract.std.ts';
import type { BreakGlassService, Review } from './breakGlassService.node.ts';

type BreakglassHandlers = Pick<Handlers, `breakglass.${string}` & keyof Handlers>;

export function breakglassHandlers(reviews: BreakGlassService, accounts: AccountService): BreakglassHandlers {
  // Staff names are resolved for display, never stored with the review.
  const withNames = async (q: Queryable, list: Review[]): Promise<BreakGlassReview[]> => {
    const names = await staffNames(accounts, q);
    return list.map((r) => ({ ...r, openedByName: nameOf(names, r.openedBy), reviewerName: nameOf(names, r.reviewerId) }));
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
