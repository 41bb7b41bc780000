import type { DataKeyWrapper, SubjectKeyWrapper } from './dataKeys.node.ts';
import { newDataKey, open, seal } from './envelope.node.ts';

/** Sections are JSON objects; each becomes one ciphertext column. */
export type Sections = Record<string, unknown>;

export interface SealedRecord {
  dek: Buffer;
  columns: Record<string, Buffer>;
}

/**
 * Seals and opens whole records for one table. Holds no plaintext between calls. Each call names the wrapper of
 * the record's data key: the domain key for staff records, the customer's own key for anything about a customer.
 */
export class RecordCipher {
  constructor(readonly table: string) {}

  sealNew(keys: DataKeyWrapper, rowId: string, sections: Sections): SealedRecord {
    const dek = newDataKey();
    const columns = this.sealWith(dek, rowId, sections);
    return { dek: keys.wrap(dek, this.table, rowId), columns };
  }

  /**
   * Seals a new record about one subject with the subject's own key, without a data key of its own: one seal
   * set-up fewer per record. Each section stays bound to table, column and row by its associated data, and to
   * the subject by the key, so shredding that key erases the record exactly as a wrapped data key would.
   */
  sealUnderSubject(keys: SubjectKeyWrapper, rowId: string, sections: Sections): SealedRecord {
    const own = keys.ownKey();
    return { dek: own.stored, columns: this.sealWith(own.key, rowId, sections) };
  }

  /** Re-seal some sections of an existing record with its own data key. */
  reseal(keys: DataKeyWrapper, rowId: string, wrappedDek: Buffer, sections: Sections): Record<string, Buffer> {
    return this.sealWith(keys.unwrap(wrappedDek, this.table, rowId), rowId, sections);
  }

  open<T>(keys: DataKeyWrapper, rowId: string, wrappedDek: Buffer, column: string, blob: Buffer): T {
    return this.openWith<T>(keys.unwrap(wrappedDek, this.table, rowId), rowId, column, blob);
  }

  openMany(keys: DataKeyWrapper, rowId: string, wrappedDek: Buffer, blobs: Record<string, Buffer>): Record<string, unknown> {
    const dek = keys.unwrap(wrappedDek, this.table, rowId);
    const out: Record<string, unknown> = {};
    for (const [column, blob] of Object.entries(blobs)) out[column] = this.openWith(dek, rowId, column, blob);
    return out;
  }

  private sealWith(dek: Buffer, rowId: string, sections: Sections): Record<string, Buffer> {
    const columns: Record<string, Buffer> = {};
    for (const [column, value] of Object.entries(sections)) {
      columns[column] = seal(dek, Buffer.from(JSON.stringify(value), 'utf8'), { table: this.table, column, rowId });
    }
    return columns;
  }

  private openWith<T>(dek: Buffer, rowId: string, column: string, blob: Buffer): T {
    return JSON.parse(open(dek, blob, { table: this.table, column, rowId }).toString('utf8')) as T;
  }
}
