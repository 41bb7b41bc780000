import { isSubjectWrapped } from '../../platform/crypto/dataKeys.node.ts';
import { DecryptionError } from '../../platform/crypto/envelope.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Logger } from '../../platform/log/logger.node.ts';
import type { SubjectKeys } from '../../platform/crypto/subjectKeys.node.ts';
import type { JobKind, JobWork } from '../../platform/jobs/job.node.ts';
import type { JobRunner } from '../../platform/jobs/jobRunner.node.ts';
import { UNFINISHED_JOB_STATES } from '../../platform/jobs/job.node.ts';
import { asBuffer, type Queryable } from '../../platform/store/database.node.ts';

/**
 * Every table holding a data key about a customer, with the row binding its wrap was made under. Copied here
 * (not imported from the features) so this migration keeps its meaning when those features change.
 */
const CUSTOMER_RECORDS: readonly { table: string; customerColumn: string; rowId(row: { id: string; customer: string }): string }[] = [
  { table: 'customers', customerColumn: 'id', rowId: (r) => r.id },
  { table: 'orders', customerColumn: 'customer_id', rowId: (r) => `${r.customer}/${r.id}` },
  { table: 'card_reveals', customerColumn: 'customer_id', rowId: (r) => r.id },
  { table: 'break_glass_reviews', customerColumn: 'customer_id', rowId: (r) => r.id },
];

export const CUSTOMER_KEYS_JOB = 'customer-keys';
/** Set in `meta` by migration 0003 for a database with no customers, or by the job's last batch. */
export const MIGRATED_KEY = 'customer_keys_migrated';

/**
 * Moves a database written before per-customer keys onto them: each customer gets its key, and every data key
 * about it is rewrapped under that key. A job of batches, each in its own transaction and resumable from the
 * last customer id done; a customer is always whole (all its rows move in the same transaction), so there is
 * never anything to roll back.
 */
export class CustomerKeyMigration implements JobKind {
  readonly kind = CUSTOMER_KEYS_JOB;

  constructor(
    private readonly keys: SubjectKeys,
    private readonly now: () => string,
    private readonly batchSize = 200,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  async isDone(q: Queryable): Promise<boolean> {
    return Boolean(await q('meta').where({ key: MIGRATED_KEY }).first());
  }

  /** Once every record is under its customer's key, nothing about a customer may open any other way. */
  onSucceeded(): void {
    this.keys.legacyRecordsGone();
  }

  /** Starts the job unless the database is migrated or a resumed run is already under way. */
  async startIfNeeded(jobs: JobRunner, q: Queryable): Promise<void> {
    if (await this.isDone(q)) {
      this.keys.legacyRecordsGone();
      return;
    }
    if (await q('jobs').where({ kind: CUSTOMER_KEYS_JOB }).whereIn('state', UNFINISHED_JOB_STATES).first('id')) return;
    const handle = await jobs.start(CUSTOMER_KEYS_JOB, this.work(), { startedBy: null });
    handle.result.catch(() => undefined); // failures are logged by the runner; the next open starts again
  }

  resume(): JobWork {
    return this.work();
  }

  /** Every committed batch leaves whole customers behind: nothing to undo. */
  async rollbackBatch(): Promise<boolean> {
    return true;
  }

  private work(): JobWork {
    return {
      step: async (trx, job) => {
        const after = typeof job.cursor === 'string' ? job.cursor : '';
        const ids = (await trx('customers').where('id', '>', after).orderBy('id').limit(this.batchSize).select<{ id: string }[]>('id')).map((r) => r.id);
        let skipped = 0;
        for (const id of ids) {
          // Each customer in a savepoint: one that cannot move (erased, or a record that no longer opens) is
          // left as it is and counted, instead of failing the job on every start.
          try {
            await trx.transaction((customer) => this.migrateCustomer(customer, id));
          } catch (error) {
            if (!(error instanceof DecryptionError) && !(error instanceof AppError)) throw error;
            skipped += 1;
          }
        }
        if (skipped) this.logger?.warn('keys.customers_not_moved', { count: skipped });
        const finished = ids.length < this.batchSize;
        if (finished) await trx('meta').insert({ key: MIGRATED_KEY, value: 'done' }).onConflict('key').ignore();
        return { done: job.done + ids.length, cursor: ids.at(-1) ?? after, finished };
      },
    };
  }

  /**
   * Makes everything sealed about a customer unreadable at once by destroying its key: its records are first
   * moved under that key (if the job has not reached it yet), so nothing about it escapes through an older wrap.
   * The erasure feature calls it in the transaction that deletes the customer's rows.
   */
  async shredCustomer(q: Queryable, customerId: string): Promise<void> {
    await this.migrateCustomer(q, customerId);
    await this.keys.destroy(q, customerId);
  }

  /** Gives one customer its key and rewraps every data key about it that is not under that key yet. */
  async migrateCustomer(q: Queryable, customerId: string): Promise<number> {
    const keys = await this.keys.ensure(q, customerId, this.now());
    let moved = 0;
    for (const spec of CUSTOMER_RECORDS) {
      const rows = await q(spec.table).where(spec.customerColumn, customerId).select<{ id: string; dek: Buffer }[]>('id', 'dek');
      for (const row of rows) {
        const dek = asBuffer(row.dek);
        if (isSubjectWrapped(dek)) continue;
        const rowId = spec.rowId({ id: row.id, customer: customerId });
        await q(spec.table).where({ id: row.id }).update({ dek: keys.wrap(keys.unwrap(dek, spec.table, rowId), spec.table, rowId) });
        moved += 1;
      }
    }
    return moved;
  }
}
