import type { Knex } from 'knex';
import type { Db } from './database.node.ts';
import { dialectOf } from './dialect.node.ts';

/** Attempts of one transaction on PostgreSQL before a serialization failure or deadlock reaches the caller. */
export const TRANSACTION_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 4;
const BACKOFF_CAP_MS = 250;

export interface TransactionOptions {
  /** Reads only (e.g. verifying the audit chain): PostgreSQL runs it READ ONLY, still in one snapshot. */
  readOnly?: boolean;
  /**
   * PostgreSQL isolation; default SERIALIZABLE. READ COMMITTED is for calls that only read and append (each
   * statement sees the latest commits, so a lock taken late still reads the current value under it).
   */
  isolation?: 'serializable' | 'read committed';
  /** Attempts before giving up (PostgreSQL only); default TRANSACTION_ATTEMPTS. */
  attempts?: number;
  /** Told about every retry (kind and attempt number), e.g. to log it by class. */
  onRetry?: (kind: 'serialization_failure' | 'deadlock', attempt: number) => void;
}

/** Full jitter: a random wait up to an exponentially growing, capped bound, so retrying writers spread out. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` in one transaction. On PostgreSQL the transaction is SERIALIZABLE and is run again, after a jittered
 * backoff, when the database reports a serialization failure (40001) or a deadlock (40P01), up to a bounded
 * number of attempts; the caller never sees a retry, only the last error when every attempt failed. `work` must
 * therefore be safe to re-run: it writes only through `trx` and keeps in-memory effects until it has returned
 * (the router applies its audit details per attempt; jobs apply a batch's in-memory state after the commit).
 * On SQLite (one connection, one writer) it is a plain transaction: nothing can conflict, nothing is retried.
 */
export async function inTransaction<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  if (dialectOf(db).name === 'sqlite') return db.transaction(work);
  return withRetries(db, () => db.transaction(work, { isolationLevel: options.isolation ?? 'serializable', readOnly: options.readOnly }), options);
}

/**
 * Runs `attemptOnce` (one whole transaction, begun and ended by it) again after a serialization failure or a deadlock,
 * as `inTransaction` does with knex's transactions; for a transaction run on a connection directly.
 */
export async function withRetries<T>(db: Db, attemptOnce: () => Promise<T>, options: Pick<TransactionOptions, 'attempts' | 'onRetry'> = {}): Promise<T> {
  const dialect = dialectOf(db);
  const attempts = options.attempts ?? TRANSACTION_ATTEMPTS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await attemptOnce();
    } catch (error) {
      const kind = dialect.classifyError(error);
      if ((kind !== 'serialization_failure' && kind !== 'deadlock') || attempt >= attempts) throw error;
      options.onRetry?.(kind, attempt);
      await sleep(retryDelayMs(attempt));
    }
  }
}
