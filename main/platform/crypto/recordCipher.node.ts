import { newDataKey, open, seal, unwrapDataKey, wrapDataKey } from './envelope.node.ts';
import type { KeyRing } from './keyRing.node.ts';

/** Sections are JSON objects; each becomes one ciphertext column. */
export type Sections = Record<string, unknown>;

export interface SealedRecord {
  dek: Buffer;
  columns: Record<string, Buffer>;
}

/** Seals and opens whole records for one table. Holds no plaintext between calls. */
export class RecordCipher {
  constructor(
    private readonly ring: () => KeyRing,
    readonly table: string,
  ) {}

  sealNew(rowId: string, sections: Sections): SealedRecord {
    const dek = newDataKey();
    const columns = this.sealWith(dek, rowId, sections);
    return { dek: wrapDataKey(this.ring(), dek, this.table, rowId), columns };
  }

  /** Re-seal some sections of an existing record with its own data key. */
  reseal(rowId: string, wrappedDek: Buffer, sections: Sections): Record<string, Buffer> {
    return this.sealWith(this.dataKey(rowId, wrappedDek), rowId, sections);
  }

  open<T>(rowId: string, wrappedDek: Buffer, column: string, blob: Buffer): T {
    return this.openWith<T>(this.dataKey(rowId, wrappedDek), rowId, column, blob);
  }

  openMany(rowId: string, wrappedDek: Buffer, blobs: Record<string, Buffer>): Record<string, unknown> {
    const dek = this.dataKey(rowId, wrappedDek);
    const out: Record<string, unknown> = {};
    for (const [column, blob] of Object.entries(blobs)) out[column] = this.openWith(dek, rowId, column, blob);
    return out;
  }

  private dataKey(rowId: string, wrappedDek: Buffer): Buffer {
    return unwrapDataKey(this.ring(), wrappedDek, this.table, rowId);
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
