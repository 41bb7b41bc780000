import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.std.ts';
import type { SubjectKeyWrapper } from '../../platform/crypto/dataKeys.node.ts';
import { RecordCipher } from '../../platform/crypto/recordCipher.node.ts';
import type { SubjectKeys } from '../../platform/crypto/subjectKeys.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { asBuffer, type Queryable } from '../../platform/store/database.node.ts';
import { countRows } from '../../platform/store/queries.node.ts';
import type { CustomerDisplayNames } from '../customers/customers.port.node.ts';
import type { REVIEW_DECISIONS, REVIEW_STATUSES } from './breakglass.contract.std.ts';
import type { BreakGlassRecorder } from './breakglass.port.node.ts';

type ReviewStatus = (typeof REVIEW_STATUSES)[number];

interface ReviewDbRow {
  id: string;
  customer_id: string;
  opened_by: string;
  opened_at: string;
  status: ReviewStatus;
  reviewer_id: string | null;
  reviewed_at: string | null;
  dek: Buffer;
  justification: Buffer;
  review_note: Buffer | null;
}

export interface Review {
  id: string;
  customerId: string;
  /** Masked, as the customer list shows it ("Jane D."); read from the record's summary section when listed. */
  customerDisplayName: string | null;
  openedBy: string;
  openedAt: string;
  justification: string;
  status: ReviewStatus;
  reviewerId: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
}

/** Break-glass openings queued for manager review. Justifications and notes are encrypted per row. */
export class BreakGlassService implements BreakGlassRecorder {
  private readonly cipher: RecordCipher;

  constructor(
    /** A justification is about the customer opened: sealed under that customer's key. */
    private readonly customerKeys: SubjectKeys,
    private readonly clock: Clock,
    /** Reads the masked display names of opened records, the same way customers.list does. */
    private readonly customers: CustomerDisplayNames,
  ) {
    this.cipher = new RecordCipher('break_glass_reviews');
  }

  async record(q: Queryable, customerId: string, openedBy: string, justification: string): Promise<string> {
    const id = randomUUID();
    const openedAt = this.clock.nowIso();
    const sealed = this.cipher.sealNew(await this.customerKeys.ensure(q, customerId, openedAt), id, { justification });
    await q('break_glass_reviews').insert({
      id,
      customer_id: customerId,
      opened_by: openedBy,
      opened_at: openedAt,
      status: 'pending',
      dek: sealed.dek,
      justification: sealed.columns.justification,
      review_note: null,
    });
    return id;
  }

  private toReview(keys: SubjectKeyWrapper, row: ReviewDbRow, customerNames: ReadonlyMap<string, string>): Review {
    const blobs: Record<string, Buffer> = { justification: asBuffer(row.justification) };
    if (row.review_note) blobs.review_note = asBuffer(row.review_note);
    const opened = this.cipher.openMany(keys, row.id, asBuffer(row.dek), blobs);
    return {
      id: row.id,
      customerId: row.customer_id,
      customerDisplayName: customerNames.get(row.customer_id) ?? null,
      openedBy: row.opened_by,
      openedAt: row.opened_at,
      justification: opened.justification as string,
      status: row.status,
      reviewerId: row.reviewer_id,
      reviewedAt: row.reviewed_at,
      reviewNote: (opened.review_note as string | undefined) ?? null,
    };
  }

  async list(q: Queryable, opts: { status: ReviewStatus; offset: number; limit: number }): Promise<{ reviews: Review[]; total: number }> {
    const base = q<ReviewDbRow>('break_glass_reviews').where({ status: opts.status });
    const rows = await base.clone().orderBy('opened_at').orderBy('id').offset(opts.offset).limit(opts.limit);
    const total = await countRows(base);
    const customerNames = await this.customers.displayNames(q, rows.map((r) => r.customer_id));
    const keys = await this.customerKeys.wrappersFor(q, rows.map((r) => r.customer_id));
    return { reviews: rows.map((r) => this.toReview(keys.get(r.customer_id)!, r, customerNames)), total };
  }

  async review(
    q: Queryable,
    input: { reviewId: string; decision: (typeof REVIEW_DECISIONS)[number]; note: string },
    reviewerId: string,
  ): Promise<Review> {
    const row = await q<ReviewDbRow>('break_glass_reviews').where({ id: input.reviewId }).first();
    if (!row) throw new AppError('NOT_FOUND', 'No such break-glass review.');
    if (row.opened_by === reviewerId) throw new AppError('FORBIDDEN', 'You cannot review your own break-glass access: another manager must.');
    if (row.status !== 'pending') throw new AppError('CONFLICT', 'This break-glass access has already been reviewed.');
    const keys = await this.customerKeys.wrapperFor(q, row.customer_id);
    const columns = this.cipher.reseal(keys, row.id, asBuffer(row.dek), { review_note: input.note });
    const patch = { status: input.decision, reviewer_id: reviewerId, reviewed_at: this.clock.nowIso(), review_note: columns.review_note! };
    // Conditional: of two managers reviewing at once, exactly one changes the row; the other is told it is done.
    const changed = await q('break_glass_reviews').where({ id: row.id, status: 'pending' }).update(patch);
    if (changed === 0) throw new AppError('CONFLICT', 'This break-glass access has already been reviewed.');
    return this.toReview(keys, { ...row, ...patch }, await this.customers.displayNames(q, [row.customer_id]));
  }
}
