import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.std.ts';
import { RecordCipher } from '../../platform/crypto/recordCipher.node.ts';
import type { SubjectKeys } from '../../platform/crypto/subjectKeys.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { asBuffer, type Queryable } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';

export const HOLDS_TABLE = 'legal_holds';

interface HoldDbRow {
  id: string;
  customer_id: string;
  placed_by: string;
  placed_at: string;
  ends_on: string | null;
  released_by: string | null;
  released_at: string | null;
  dek: Buffer;
  details: Buffer;
}

/** The sealed section: free text about the customer. */
interface HoldDetails {
  reason: string;
  reference: string;
  releaseNote: string | null;
}

/** A hold with its details opened; staff names and labels are resolved by the caller. */
export interface HoldRecord extends HoldDetails {
  id: string;
  customerId: string;
  placedBy: string;
  placedAt: string;
  endsOn: string | null;
  releasedBy: string | null;
  releasedAt: string | null;
  active: boolean;
}

/** What a refusal needs to say: since when, and until when. */
export interface ActiveHold {
  id: string;
  placedAt: string;
  endsOn: string | null;
}

/** The refusal for deleting a held customer: names the hold's dates, never its reason (that is for managers). */
export function heldMessage(hold: ActiveHold): string {
  const until = hold.endsOn ? `until ${hold.endsOn}` : 'until a manager releases it';
  return `This customer is under a legal hold (placed ${hold.placedAt.slice(0, 10)}, ${until}): it cannot be deleted while the hold lasts. Nothing was changed.`;
}

/**
 * Legal holds: a manager keeps a customer from being deleted (by request or retention) while a court order or
 * legal process needs the records. The reason and the reference are sealed under the customer's own key.
 */
export class LegalHolds {
  private readonly cipher = new RecordCipher(HOLDS_TABLE);

  constructor(
    private readonly clock: Clock,
    private readonly customerKeys: SubjectKeys,
  ) {}

  private today(): string {
    return this.clock.nowIso().slice(0, 10);
  }

  /** Unreleased holds still in force today (an end date holds through that day). */
  private inForce(q: Queryable) {
    const today = this.today();
    return q<HoldDbRow>(HOLDS_TABLE)
      .whereNull('released_at')
      .where((w) => void w.whereNull('ends_on').orWhere('ends_on', '>=', today));
  }

  async activeHold(q: Queryable, customerId: string): Promise<ActiveHold | null> {
    const row = await this.inForce(q).where({ customer_id: customerId }).orderBy('placed_at').first('id', 'placed_at', 'ends_on');
    return row ? { id: row.id, placedAt: row.placed_at, endsOn: row.ends_on } : null;
  }

  /** Which of these customers are held today. */
  async heldAmong(q: Queryable, customerIds: readonly string[]): Promise<Set<string>> {
    const held = new Set<string>();
    for (let i = 0; i < customerIds.length; i += 500) {
      const rows = await this.inForce(q).whereIn('customer_id', customerIds.slice(i, i + 500)).select<{ customer_id: string }[]>('customer_id');
      for (const row of rows) held.add(row.customer_id);
    }
    return held;
  }

  async place(q: Queryable, input: { customerId: string; reason: string; reference: string; endsOn?: string | undefined }, actorId: string): Promise<HoldRecord> {
    if (input.endsOn !== undefined && (Number.isNaN(Date.parse(`${input.endsOn}T00:00:00Z`)) || input.endsOn < this.today())) {
      throw new AppError('INVALID_INPUT', 'endsOn: The end date must be a real date, today or later. Nothing was saved.');
    }
    await dialectOf(q).claimWrite(q);
    if (!(await q('customers').where({ id: input.customerId }).whereNull('import_job_id').first('id'))) throw new AppError('NOT_FOUND', 'No such customer.');
    const now = this.clock.nowIso();
    const keys = await this.customerKeys.ensure(q, input.customerId, now);
    const id = randomUUID();
    const details: HoldDetails = { reason: input.reason, reference: input.reference, releaseNote: null };
    const sealed = this.cipher.sealNew(keys, id, { details });
    const row: HoldDbRow = {
      id,
      customer_id: input.customerId,
      placed_by: actorId,
      placed_at: now,
      ends_on: input.endsOn ?? null,
      released_by: null,
      released_at: null,
      dek: sealed.dek,
      details: sealed.columns.details!,
    };
    await q(HOLDS_TABLE).insert(row);
    return this.toRecord(row, details);
  }

  /** Releases a hold (CONFLICT when already released: the first release wins). */
  async release(q: Queryable, input: { id: string; note?: string | undefined }, actorId: string): Promise<HoldRecord> {
    const now = this.clock.nowIso();
    const changed = await q(HOLDS_TABLE).where({ id: input.id }).whereNull('released_at').update({ released_at: now, released_by: actorId });
    const row = await q<HoldDbRow>(HOLDS_TABLE).where({ id: input.id }).first();
    if (!row) throw new AppError('NOT_FOUND', 'No such legal hold.');
    if (changed === 0) throw new AppError('CONFLICT', 'This hold was already released. Nothing was changed.');
    const keys = await this.customerKeys.wrapperFor(q, row.customer_id);
    const details = { ...this.open(row, keys), releaseNote: input.note ?? null };
    const columns = this.cipher.reseal(keys, row.id, asBuffer(row.dek), { details });
    await q(HOLDS_TABLE).where({ id: row.id }).update({ details: columns.details! });
    return this.toRecord(row, details);
  }

  async list(q: Queryable, opts: { customerId?: string | undefined; includeReleased: boolean }): Promise<HoldRecord[]> {
    const rows: HoldDbRow[] = await (opts.includeReleased ? q<HoldDbRow>(HOLDS_TABLE) : this.inForce(q))
      .modify((b) => void (opts.customerId && b.where({ customer_id: opts.customerId })))
      .orderBy('placed_at', 'desc')
      .orderBy('id')
      .limit(500);
    const keys = await this.customerKeys.wrappersFor(q, rows.map((r) => r.customer_id));
    return rows.map((r) => this.toRecord(r, this.open(r, keys.get(r.customer_id)!)));
  }

  private open(row: HoldDbRow, keys: Awaited<ReturnType<SubjectKeys['wrapperFor']>>): HoldDetails {
    return this.cipher.open<HoldDetails>(keys, row.id, asBuffer(row.dek), 'details', asBuffer(row.details));
  }

  private toRecord(row: HoldDbRow, details: HoldDetails): HoldRecord {
    const today = this.today();
    return {
      id: row.id,
      customerId: row.customer_id,
      placedBy: row.placed_by,
      placedAt: row.placed_at,
      endsOn: row.ends_on,
      releasedBy: row.released_by,
      releasedAt: row.released_at,
      active: row.released_at === null && (row.ends_on === null || row.ends_on >= today),
      ...details,
    };
  }
}
