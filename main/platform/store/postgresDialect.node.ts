import type { Knex } from 'knex';
import type { ProtectiveTrigger, SqlDialect, StoreErrorKind, TriggerProblem } from './dialect.node.ts';

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
  /**
   * None yet: `appendOnly` creates nothing on PostgreSQL until the shared-database issue. When it does, list each
   * trigger here with its function body (pg_proc.prosrc) so the start-up check below compares it.
   */
  appendOnlyTriggers(): ProtectiveTrigger[] {
    return [];
  },
  async protectiveTriggersIntact(q, tables) {
    const problems: TriggerProblem[] = [];
    for (const { table, message } of tables) {
      const rows = (await q.raw(
        `SELECT t.tgname AS name, t.tgenabled AS enabled, p.prosrc AS body
           FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
          WHERE c.relname = ? AND c.relnamespace = to_regnamespace(current_schema()) AND NOT t.tgisinternal`,
        [table],
      )) as { rows: { name: string; enabled: string; body: string }[] };
      const expected = this.appendOnlyTriggers(table, message);
      for (const trigger of expected) {
        const found = rows.rows.find((row) => row.name === trigger.name);
        if (!found) problems.push({ trigger: trigger.name, problem: 'missing' });
        else if (found.body.trim() !== trigger.definition.trim()) problems.push({ trigger: trigger.name, problem: 'changed' });
        else if (found.enabled === 'D') problems.push({ trigger: trigger.name, problem: 'disabled' });
      }
      for (const row of rows.rows) {
        if (!expected.some((trigger) => trigger.name === row.name)) problems.push({ trigger: row.name, problem: 'unexpected' });
      }
    }
    return problems;
  },
  forUpdate: <B extends Knex.QueryBuilder>(query: B) => query.forUpdate() as B,
  keepsCounters: false,
  async createGroupCounter() {},
  async claimWrite() {},
  classifyError(error) {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? (SQLSTATE[code] ?? null) : null;
  },
};
