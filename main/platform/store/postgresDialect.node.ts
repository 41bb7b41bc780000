import type { Knex } from 'knex';
import type { SqlDialect, StoreErrorKind } from './dialect.node.ts';

/** SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const SQLSTATE: Record<string, StoreErrorKind> = {
  '23505': 'unique_violation',
  '40001': 'serialization_failure',
  '40P01': 'serialization_failure', // deadlock detected: retrying the transaction is the remedy too
  '55P03': 'busy', // lock not available
};

/**
 * PostgreSQL as far as the app uses it today: real row locks, count(*) instead of counters. Append-only triggers
 * and counters come with the shared-database issue (they need their own migration there); until then this keeps
 * exactly what the code did before the dialect existed.
 */
export const postgresDialect: SqlDialect = {
  name: 'postgresql',
  async appendOnly() {},
  forUpdate: <B extends Knex.QueryBuilder>(query: B) => query.forUpdate() as B,
  keepsCounters: false,
  async createGroupCounter() {},
  async claimWrite() {},
  classifyError(error) {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? (SQLSTATE[code] ?? null) : null;
  },
};
