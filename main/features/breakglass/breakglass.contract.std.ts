import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { id, text } from '../../platform/ipc/schemas.std.ts';

export const REVIEW_STATUSES = ['pending', 'justified', 'escalated'] as const;
export const REVIEW_DECISIONS = ['justified', 'escalated'] as const;

/** One break-glass opening of a customer record, as the reviewing manager sees it. */
export const breakGlassReview = z.object({
  id,
  customerId: id,
  /** The record's masked display name, as the customer list shows it ("Jane D."); null if the record is gone. */
  customerDisplayName: z.string().nullable(),
  openedBy: id,
  openedByName: z.string().nullable(),
  openedAt: z.string(),
  justification: z.string(),
  status: z.enum(REVIEW_STATUSES),
  reviewerId: id.nullable(),
  reviewerName: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
});
export type BreakGlassReview = z.input<typeof breakGlassReview>;

export const breakglassChannels = {
  /** The manager review queue (pending by default), oldest first. */
  'breakglass.list': channel({
    input: z
      .object({
        status: z.enum(REVIEW_STATUSES).default('pending'),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    output: z.object({ reviews: z.array(breakGlassReview), total: z.number() }),
    access: { kind: 'permission', permission: 'breakglass.review' },
  }),
  /** Marks an opening justified or escalated, with a note. Nobody reviews their own break-glass access. */
  'breakglass.review': channel({
    input: z.object({ reviewId: id, decision: z.enum(REVIEW_DECISIONS), note: text(2000) }).strict(),
    output: z.object({ review: breakGlassReview }),
    access: { kind: 'permission', permission: 'breakglass.review' },
    audit: 'breakglass.reviewed',
  }),
};
