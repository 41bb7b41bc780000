import type { Knex } from 'knex';
import { timeSlicer, type Job, type JobKind, type JobWork, type StepResult } from '../../platform/jobs/job.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { ConsentPurpose } from './consents.std.ts';
import type { CustomerDetails } from './customerFields.std.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { INSERT_CHUNK } from '../../platform/store/queries.node.ts';
import { CUSTOMERS_TABLE, type CustomerDbRow, type CustomerStore, type PreparedCustomer } from './customerStore.node.ts';

export const CUSTOMER_IMPORT_JOB = 'customers.import';
/** Status of a customer staged by a running import: no kept count, not listed, not searchable, not openable. */
export const STAGED_STATUS = 'importing';
/** Customers per batch transaction: short enough that another call waits at most one batch (tens of ms). */
export const IMPORT_BATCH = 40;
const ROLLBACK_BATCH = 500;

/**
 * Every table holding rows about a staged customer, with the column naming the customer. Rolling back deletes
 * these, table by table, before the customers themselves: a table that `CustomerStore.prepare` starts filling
 * is one line here (test/unit/importJob.test.ts fails while a table referencing customers is missing).
 */
export const STAGED_CUSTOMER_REFERENCES: readonly { table: string; column: string }[] = [
  { table: 'consent_events', column: 'customer_id' },
  { table: 'customer_consents', column: 'customer_id' },
  { table: 'customer_keys', column: 'customer_id' },
];

/**
 * The import job kind. An import's CSV may hold PII, so it is never stored and an interrupted import cannot
 * resume: after a kill it is rolled back, like a failed or cancelled one.
 */
export const customerImportJob: JobKind = {
  kind: CUSTOMER_IMPORT_JOB,
  async rollbackBatch(trx: Knex.Transaction, job: Job): Promise<boolean> {
    const ids = (await trx(CUSTOMERS_TABLE).where({ import_job_id: job.id }).limit(ROLLBACK_BATCH).select<{ id: string }[]>('id')).map((r) => r.id);
    if (ids.length === 0) return true;
    for (const { table, column } of STAGED_CUSTOMER_REFERENCES) await trx(table).whereIn(column, ids).delete();
    await trx(CUSTOMERS_TABLE).whereIn('id', ids).delete();
    return ids.length < ROLLBACK_BATCH;
  },
};

export interface ImportRow {
  /** Data row index in the file (0 = first row under the header). */
  index: number;
  details: CustomerDetails;
  consents: Partial<Record<ConsentPurpose, boolean>>;
}

/**
 * One import's work: stage the valid rows batch by batch (sealed, tagged with the job, status 'importing'),
 * then publish them all in one short final transaction, in which `publish` also writes the import's audit event.
 */
export class ImportWork implements JobWork {
  private next = 0;
  private staged = 0;
  private current: PreparedCustomer[] | null = null;
  private sealing: Promise<PreparedCustomer[]> | null = null;
  /** What the last step did, kept until its transaction commits. */
  private pending: { next: number; staged: number; taken: ImportRow[] } | null = null;

  constructor(
    private readonly customers: CustomerStore,
    private readonly rows: readonly ImportRow[],
    private readonly opts: {
      actorId: string;
      now: string;
      /** Progress units already done before staging (rejected rows), so progress ends at the file's row count. */
      doneBefore: number;
      total: number;
      batch?: number;
      /** A row whose email address was taken while the import ran (checked again inside each batch). */
      onTaken: (row: ImportRow) => void;
      beforeBatch?: () => void;
      publish: (trx: Knex.Transaction, published: number) => Promise<void>;
    },
  ) {}

  get published(): number {
    return this.staged;
  }

  /** Seals one batch in time slices, yielding to the event loop between them. */
  private async seal(from: number): Promise<PreparedCustomer[]> {
    const slice = timeSlicer();
    const out: PreparedCustomer[] = [];
    for (const v of this.rows.slice(from, from + this.batch)) {
      await slice();
      out.push(this.customers.prepare(v.details, { actorId: this.opts.actorId, now: this.opts.now, consents: v.consents, consentChannel: 'import' }));
    }
    return out;
  }

  private get batch(): number {
    return this.opts.batch ?? IMPORT_BATCH;
  }

  /**
   * Outside the batch's transaction: takes the sealed batch and starts sealing the one after it, which runs in
   * slices while this batch's transaction is on the driver's thread.
   */
  async prepare(): Promise<void> {
    if (this.next >= this.rows.length) return;
    this.opts.beforeBatch?.();
    this.current = await (this.sealing ?? this.seal(this.next));
    const after = this.next + this.batch;
    this.sealing = after < this.rows.length ? this.seal(after) : null;
    this.sealing?.catch(() => undefined); // awaited by the next prepare
  }

  async step(trx: Knex.Transaction, job: Job): Promise<StepResult> {
    this.pending = null;
    if (this.next >= this.rows.length) {
      const published = await trx(CUSTOMERS_TABLE).where({ import_job_id: job.id }).update({ status: 'active', import_job_id: null });
      if (published !== this.staged) throw new AppError('CONFLICT', 'The import changed while it ran. Nothing was imported.');
      await this.opts.publish(trx, published);
      return { done: this.opts.total, finished: true };
    }
    // Safe to re-run (a retried transaction): reads only committed state here and leaves it for `committed`.
    const rows = this.rows.slice(this.next, this.next + this.batch);
    this.current ??= await this.seal(this.next);
    // Checked again inside the batch's transaction: a customer created (or staged by another import) since the
    // file was validated must not get a second record.
    // A writer before the check (SQLite: waits for another workstation's writer), so the check sees its commit;
    // the unique index on email_index holds staged rows too, whatever the timing.
    await dialectOf(trx).claimWrite(trx);
    // Rows sealed before a blind-index rotation began keep their older version (the rotation job moves them), but
    // never one the rotation has already destroyed: such a batch is sealed again.
    await this.customers.freshIndexKeys(trx);
    if (!this.customers.indexedUnderLiveVersions(this.current.map((p) => p.row))) this.current = await this.seal(this.next);
    const prepared = this.current;
    const taken = await this.customers.takenEmails(trx, rows.map((r) => r.details.email));
    const keep: PreparedCustomer[] = [];
    const takenRows: ImportRow[] = [];
    prepared.forEach((p, k) => {
      if (taken.has(k)) takenRows.push(rows[k]!);
      else keep.push({ ...p, row: { ...p.row, status: STAGED_STATUS, import_job_id: job.id } as unknown as CustomerDbRow });
    });
    await this.customers.insertPrepared(trx, keep, INSERT_CHUNK);
    const next = this.next + rows.length;
    const staged = this.staged + keep.length;
    this.pending = { next, staged, taken: takenRows };
    return { done: this.opts.doneBefore + next, cursor: { staged, next } };
  }

  /** The publishing batch writes the import's audit event. */
  appendsAudit(): boolean {
    return this.next >= this.rows.length;
  }

  committed(): void {
    if (!this.pending) return;
    const { next, staged, taken } = this.pending;
    this.pending = null;
    this.current = null;
    this.next = next;
    this.staged = staged;
    for (const row of taken) this.opts.onTaken(row);
  }
}
