import { AppError } from '../ipc/errors.std.ts';
import { asBuffer, type Queryable } from '../store/database.node.ts';
import { domainWrapper, subjectWrapper, type SubjectKeyWrapper } from './dataKeys.node.ts';
import { newDataKey } from './envelope.node.ts';
import type { KeyRing } from './keyRing.node.ts';

/** Where one subject's key lives: a table with the subject id as primary key and the wrapped key beside it. */
export interface SubjectKeyTable {
  table: string;
  subjectColumn: string;
}

export interface SubjectKeyRow {
  [column: string]: string | Buffer | null;
  wrapped_key: Buffer | null;
  created_at: string;
  shredded_at: string | null;
}

export const SUBJECT_SHREDDED = 'The records about this customer were erased: nothing more can be stored about them.';

/**
 * One key per subject (customer) under which every data key about it is wrapped: destroying the subject's one
 * key (crypto-shredding) makes all its ciphertexts unreadable at once, wherever they are stored. A shredded
 * subject's key row is deleted with the subject's own row (see `destroy`); a `shredded_at` tombstone is what
 * databases from before deletions removed rows may still hold, and it refuses a new key all the same.
 */
export class SubjectKeys {
  /** True until every record written before per-subject keys has moved under its subject's key. */
  private legacyAllowed = true;

  constructor(
    private readonly ring: () => KeyRing,
    readonly spec: SubjectKeyTable,
  ) {}

  /** Called when the migration of older records has finished: from then on only subject-wrapped rows open. */
  legacyRecordsGone(): void {
    this.legacyAllowed = false;
  }

  /** A key for a new subject: the row to insert and the wrapper for its records. No database access. */
  create(subjectId: string, now: string): { row: SubjectKeyRow; keys: SubjectKeyWrapper } {
    const key = newDataKey();
    const row: SubjectKeyRow = {
      [this.spec.subjectColumn]: subjectId,
      wrapped_key: domainWrapper(this.ring()).wrap(key, this.spec.table, subjectId),
      created_at: now,
      shredded_at: null,
    };
    return { row, keys: subjectWrapper(this.ring(), subjectId, key, this.legacyAllowed) };
  }

  /** The wrapper for a subject whose key column the caller already read (null: no key). */
  fromColumn(subjectId: string, wrappedKey: Buffer | null | undefined): SubjectKeyWrapper {
    const key = wrappedKey ? domainWrapper(this.ring()).unwrap(asBuffer(wrappedKey), this.spec.table, subjectId) : null;
    return subjectWrapper(this.ring(), subjectId, key, this.legacyAllowed);
  }

  private row(q: Queryable, subjectId: string): Promise<{ wrapped_key: Buffer | null; shredded_at: string | null } | undefined> {
    return q(this.spec.table).where({ [this.spec.subjectColumn]: subjectId }).first('wrapped_key', 'shredded_at');
  }

  async wrapperFor(q: Queryable, subjectId: string): Promise<SubjectKeyWrapper> {
    return this.fromColumn(subjectId, (await this.row(q, subjectId))?.wrapped_key);
  }

  /** Wrappers for many subjects in one query (list pages, name lookups). */
  async wrappersFor(q: Queryable, subjectIds: readonly string[]): Promise<Map<string, SubjectKeyWrapper>> {
    const unique = [...new Set(subjectIds)];
    const found = new Map<string, Buffer | null>();
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await q(this.spec.table)
        .whereIn(this.spec.subjectColumn, unique.slice(i, i + 500))
        .select<Record<string, unknown>[]>(this.spec.subjectColumn, 'wrapped_key');
      for (const row of rows) found.set(String(row[this.spec.subjectColumn]), row.wrapped_key ? asBuffer(row.wrapped_key) : null);
    }
    return new Map(unique.map((id) => [id, this.fromColumn(id, found.get(id))]));
  }

  /**
   * The wrapper to write with. A subject from before per-subject keys gets its key here; a shredded one is
   * refused. Another workstation (or the migration job) may create the key at the same moment: the first wins.
   */
  async ensure(q: Queryable, subjectId: string, now: string): Promise<SubjectKeyWrapper> {
    const existing = await this.row(q, subjectId);
    if (existing?.shredded_at) throw new AppError('CONFLICT', SUBJECT_SHREDDED);
    if (existing?.wrapped_key) return this.fromColumn(subjectId, existing.wrapped_key);
    await q(this.spec.table).insert(this.create(subjectId, now).row).onConflict(this.spec.subjectColumn).ignore();
    return this.wrapperFor(q, subjectId);
  }

  /**
   * Destroys the subject's key (crypto-shredding): its row goes, so every ciphertext wrapped under it is unreadable
   * from then on. Called in the transaction that deletes the subject's own row, which keeps a new key from ever
   * being made for it (the key row references the subject). Returns whether there was a key to destroy.
   */
  async destroy(q: Queryable, subjectId: string): Promise<boolean> {
    return (await q(this.spec.table).where({ [this.spec.subjectColumn]: subjectId }).delete()) > 0;
  }
}
