import type { Queryable } from '../store/database.node.ts';

/**
 * Rows that hold keyed blind indexes, each naming the index-key version it is under (migration 0020). Only the
 * feature owning a table can open its rows to compute their indexes again, so a blind-index rotation reaches
 * them through this interface (the composition root hands the job one per table).
 */
export interface BlindIndexedRows {
  /** The table, for progress and the audit event. */
  readonly table: string;
  /** Rows not indexed under `version`. */
  countNotUnder(q: Queryable, version: number): Promise<number>;
  /**
   * Re-indexes up to `limit` rows not under `version`, in key order after `after` ('' = from the start), each
   * update conditional on the row being unchanged since it was read. Returns how many moved and the last key read
   * (null when no row was left after `after`).
   */
  reindex(q: Queryable, version: number, after: string, limit: number): Promise<{ moved: number; last: string | null }>;
}
