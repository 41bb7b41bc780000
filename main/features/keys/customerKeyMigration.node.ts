import { isSubjectWrapped } from '../../platform/crypto/dataKeys.node.ts';
import type { SubjectKeys } from '../../platform/crypto/subjectKeys.node.ts';
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

export const MIGRATED_KEY = 'customer_keys_migrated';
const CURSOR_KEY = 'customer_keys_cursor';

/**
 * Moves a database written before per-customer keys onto them: each customer gets its key, and every data key
 * about it is rewrapped under that key. One batch of customers per transaction, resumable from the last
 * customer id done; a customer is always whole (all its rows move in the same transaction).
 */
export class CustomerKeyMigration {
  constructor(
    private readonly keys: SubjectKeys,
    private readonly now: () => string,
    private readonly batchSize = 200,
  ) {}

  async isDone(q: Queryable): Promise<boolean> {
    return Boolean(await q('meta').where({ key: MIGRATED_KEY }).first());
  }

  /** Migrates the next batch; true when nothing is left. */
  async runBatch(q: Queryable): Promise<boolean> {
    if (await this.isDone(q)) return true;
    const cursor = (await q('meta').where({ key: CURSOR_KEY }).first<{ value: string } | undefined>())?.value ?? '';
    const ids = (await q('customers').where('id', '>', cursor).orderBy('id').limit(this.batchSize).select<{ id: string }[]>('id')).map((r) => r.id);
    for (const id of ids) await this.migrateCustomer(q, id);
    if (ids.length < this.batchSize) {
      await q('meta').where({ key: CURSOR_KEY }).delete();
      await q('meta').insert({ key: MIGRATED_KEY, value: 'done' });
      return true;
    }
    await q('meta').insert({ key: CURSOR_KEY, value: ids.at(-1)! }).onConflict('key').merge();
    return false;
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
