import { asBuffer, type Queryable } from '../store/database.node.ts';
import { domainWrapper, subjectWrapper, type DataKeyWrapper } from './dataKeys.node.ts';
import { newDataKey } from './envelope.node.ts';
import type { KeyRing } from './keyRing.node.ts';

/** Where one subject's key lives: a table with the subject id as primary key and the wrapped key beside it. */
export interface SubjectKeyTable {
  table: string;
  subjectColumn: string;
}

export interface SubjectKeyRow {
  [column: string]: string | Buffer;
  wrapped_key: Buffer;
  created_at: string;
}

/**
 * One key per subject (customer) under which every data key about it is wrapped: deleting the subject's one
 * key row (crypto-shredding) makes all its ciphertexts unreadable at once, wherever they are stored.
 */
export class SubjectKeys {
  constructor(
    private readonly ring: () => KeyRing,
    readonly spec: SubjectKeyTable,
  ) {}

  /** A key for a new subject: the row to insert and the wrapper for its records. No database access. */
  create(subjectId: string, now: string): { row: SubjectKeyRow; keys: DataKeyWrapper } {
    const key = newDataKey();
    const row: SubjectKeyRow = {
      [this.spec.subjectColumn]: subjectId,
      wrapped_key: domainWrapper(this.ring()).wrap(key, this.spec.table, subjectId),
      created_at: now,
    };
    return { row, keys: subjectWrapper(this.ring(), subjectId, key) };
  }

  /** The wrapper for a subject whose key column the caller already read (null: no key row). */
  fromColumn(subjectId: string, wrappedKey: Buffer | null | undefined): DataKeyWrapper {
    const key = wrappedKey ? domainWrapper(this.ring()).unwrap(asBuffer(wrappedKey), this.spec.table, subjectId) : null;
    return subjectWrapper(this.ring(), subjectId, key);
  }

  async wrapperFor(q: Queryable, subjectId: string): Promise<DataKeyWrapper> {
    const row = await q(this.spec.table).where({ [this.spec.subjectColumn]: subjectId }).first<{ wrapped_key: Buffer } | undefined>('wrapped_key');
    return this.fromColumn(subjectId, row?.wrapped_key);
  }

  /** Wrappers for many subjects in one query (list pages, name lookups). */
  async wrappersFor(q: Queryable, subjectIds: readonly string[]): Promise<Map<string, DataKeyWrapper>> {
    const unique = [...new Set(subjectIds)];
    const found = new Map<string, Buffer>();
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await q(this.spec.table)
        .whereIn(this.spec.subjectColumn, unique.slice(i, i + 500))
        .select<Record<string, unknown>[]>(this.spec.subjectColumn, 'wrapped_key');
      for (const row of rows) found.set(String(row[this.spec.subjectColumn]), asBuffer(row.wrapped_key));
    }
    return new Map(unique.map((id) => [id, this.fromColumn(id, found.get(id))]));
  }

  /** The wrapper to write with, creating the subject's key first when it has none (a record from before keys). */
  async ensure(q: Queryable, subjectId: string, now: string): Promise<DataKeyWrapper> {
    const existing = await q(this.spec.table).where({ [this.spec.subjectColumn]: subjectId }).first<{ wrapped_key: Buffer } | undefined>('wrapped_key');
    if (existing) return this.fromColumn(subjectId, existing.wrapped_key);
    // Another workstation (or the migration job) may create it at the same moment: the first key stored wins.
    await q(this.spec.table).insert(this.create(subjectId, now).row).onConflict(this.spec.subjectColumn).ignore();
    return this.wrapperFor(q, subjectId);
  }

  /** Destroys the subject's key. Returns whether there was one. */
  async shred(q: Queryable, subjectId: string): Promise<boolean> {
    return (await q(this.spec.table).where({ [this.spec.subjectColumn]: subjectId }).delete()) > 0;
  }
}
