import type { Knex } from 'knex';
import { AppError } from '../ipc/errors.std.ts';
import type { Queryable } from './database.node.ts';
import { postgresDialect } from './postgresDialect.node.ts';
import { sqliteDialect } from './sqliteDialect.node.ts';

/**
 * What a database driver error means to the app; null for anything else (a bug, a broken file...).
 * `serialization_failure` and `deadlock` are retried by `inTransaction` before anyone sees them; `unavailable` is
 * a lost or refused connection to a database server.
 */
export type StoreErrorKind = 'busy' | 'unique_violation' | 'serialization_failure' | 'deadlock' | 'unavailable';

/** A count of a table's rows per value of one column (e.g. customers per status), kept by the database. */
export interface GroupCounter {
  /** The counted table, e.g. `customers`. */
  table: string;
  /** The column counted by, e.g. `status`, and its width. */
  column: string;
  width: number;
  /** Where the counts live: one row (column, n) per value. */
  counterTable: string;
  /** Values that start at zero. */
  values: readonly string[];
}

/** A table the database itself keeps append-only, and the message its triggers abort with. */
export interface AppendOnlyTable {
  table: string;
  message: string;
}

/** Tables made append-only by the migrations (`appendOnly`); checked at every start-up. */
export const APPEND_ONLY_TABLES: readonly AppendOnlyTable[] = [
  { table: 'audit_events', message: 'audit events are append-only' },
  // Disclosures (migration 0014): recipient versions and the disclosure register.
  { table: 'disclosure_recipient_versions', message: 'recipient versions are append-only' },
  { table: 'disclosure_register', message: 'the disclosure register is append-only' },
  { table: 'disclosure_register_customers', message: 'the disclosure register is append-only' },
];

/** One trigger `appendOnly` creates: its name and the definition the database keeps for it. */
export interface ProtectiveTrigger {
  name: string;
  table: string;
  /** SQLite: the `CREATE TRIGGER` text in sqlite_master; PostgreSQL: the trigger function's body. */
  definition: string;
}

/** Why the protective triggers are not as the app created them; empty when they are intact. */
export interface TriggerProblem {
  trigger: string;
  problem: 'missing' | 'changed' | 'disabled' | 'unexpected';
}

/** Where the audit chain's head and its staged events are (AuditLog; migration 0021). */
export interface StagedEventsSpec {
  /** The table holding the head row, locked for appending (`lockForAppend`). */
  headTable: string;
  /** The head row's key in that table (`key` column); its `value` is returned. */
  headKey: string;
  stagedTable: string;
  /** At most this many staged rows are taken, oldest first (by `at`, then `id`). */
  limit: number;
}

/** The head as read under its lock, and the staged rows taken out (unordered). */
export interface TakenStaged {
  head: string | null;
  staged: Record<string, unknown>[];
}

/** The events a seal adds to the chain (rows of one shape: text, integers and nulls) and the head's new value. */
export interface ChainedEvents {
  rows: readonly object[];
  head: string;
}

export interface AuditStaging {
  /**
   * In the caller's transaction: takes the append lock on the head's table, locks and reads the head, and removes and
   * returns the oldest staged rows (unordered), all in one round trip. Rolled back with the transaction.
   */
  takeStaged(q: Knex.Transaction, spec: StagedEventsSpec): Promise<TakenStaged>;
  /**
   * One seal in a transaction of its own, in two round trips: begin and `takeStaged`'s work in the first; `chain`
   * turns what was taken into events (no database access), which are inserted into `eventsTable` with the head's
   * new value and the commit in the second. `chain` returning null ends the transaction with nothing changed (the
   * staged rows stay). Any failure rolls back. Returns how many events were inserted.
   */
  sealInOwnTransaction(db: Knex, spec: StagedEventsSpec & { eventsTable: string }, chain: (taken: TakenStaged) => ChainedEvents | null): Promise<number>;
}

/**
 * Everything that differs between the databases the app runs on (SQLite now; PostgreSQL for a shared
 * database later). Services never branch on the client: they ask the dialect of the connection they were given.
 */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgresql';
  /** Makes a table append-only in the database itself: any UPDATE, DELETE (or TRUNCATE) aborts with `message`. */
  appendOnly(q: Knex.Transaction, table: string, message: string): Promise<void>;
  /** The triggers `appendOnly(table, message)` creates, as the database stores them. */
  appendOnlyTriggers(table: string, message: string): ProtectiveTrigger[];
  /**
   * Compares the triggers on the append-only tables with what `appendOnly` creates: a missing, edited, disabled or
   * extra trigger is a problem (someone with the database file dropped or replaced it to edit the audit log).
   */
  protectiveTriggersIntact(q: Queryable, tables: readonly AppendOnlyTable[]): Promise<TriggerProblem[]>;
  /**
   * Locks the selected rows until the transaction ends (`SELECT … FOR UPDATE`). SQLite has one writer at a time,
   * so its transactions are already serialised and this returns the query unchanged.
   */
  forUpdate<B extends Knex.QueryBuilder>(query: B): B;
  /**
   * Makes the transaction the only one writing to `table` until it ends (readers go on). Must be its first statement: on
   * PostgreSQL a SERIALIZABLE snapshot is taken by the first query, and a lock taken after it would only turn the
   * wait into a serialization failure. SQLite has one writer at a time: nothing to do.
   */
  lockForAppend(q: Knex.Transaction, table: string): Promise<void>;
  /**
   * Present where several workstations append to one audit chain (PostgreSQL): a reads-only call stages its event in
   * its own transaction without touching the chain's head, and the staged events are chained together after
   * commit (`AuditLog.sealStaged`), so the head is held once per batch of calls rather than by every call. Absent
   * on SQLite, which has one writer at a time: events go straight into the chain.
   */
  readonly auditStaging?: AuditStaging;
  /** True when `createGroupCounter` keeps counts; otherwise readers count rows (`count(*)`). */
  readonly keepsCounters: boolean;
  /** Creates the counter table and what keeps it current; does nothing when `keepsCounters` is false. */
  createGroupCounter(q: Knex | Knex.Transaction, counter: GroupCounter): Promise<void>;
  /** What a driver error means (busy, unique violation, serialization failure), or null when it is none of them. */
  classifyError(error: unknown): StoreErrorKind | null;
  /**
   * Called first in a transaction that reads and then writes what it read (check, then insert or update): makes
   * the transaction a writer before its first read. SQLite takes the file's write lock now, waiting under the busy
   * timeout for another process's writer, so its reads see the latest commit (a reader upgraded later fails with
   * BUSY instead of waiting). PostgreSQL needs nothing: row locks and SERIALIZABLE retries close the same races.
   */
  claimWrite(q: Queryable): Promise<void>;
  /**
   * After rows holding personal data were deleted and committed: makes sure no copy of them is left in the
   * database's files. Called with a connection, never inside a transaction. SQLite overwrites deleted content
   * (secure_delete) in the pages it writes to the WAL; checkpointing with TRUNCATE copies those pages over the
   * main file and empties the WAL, so neither file holds the old bytes.
   */
  reclaimFreedSpace(db: Queryable): Promise<void>;
  /**
   * Stores a table in its primary key's order, for a table that is only ever read by that key: a lookup then reads
   * one B-tree, not the key's index and then the row. SQLite rebuilds it as a WITHOUT ROWID table (same columns,
   * constraints and rows); PostgreSQL always keeps a heap beside the key's index: nothing to do.
   */
  storeInKeyOrder(q: Knex.Transaction, table: string): Promise<void>;
}

function isSqliteClient(q: Queryable): boolean {
  return String(q.client.config.client).startsWith('sqlite');
}

/** The dialect of a connection or transaction. */
export function dialectOf(q: Queryable): SqlDialect {
  return isSqliteClient(q) ? sqliteDialect : postgresDialect;
}

/**
 * The AppError a classified driver error becomes, so the caller sees a code it can act on (try again, search
 * for the existing record) instead of INTERNAL. Messages name no value.
 */
export function storeAppError(kind: StoreErrorKind | null): AppError | null {
  switch (kind) {
    case 'unique_violation':
      return new AppError('CONFLICT', 'This conflicts with a record saved meanwhile. Nothing was saved.');
    case 'busy':
    case 'serialization_failure':
    case 'deadlock':
      return new AppError('CONFLICT', 'Another change was being saved at the same time. Nothing was saved; try again.');
    case 'unavailable':
      return new AppError('UNAVAILABLE', 'The database cannot be reached. Nothing was saved; check the connection and try again.');
    default:
      return null;
  }
}

