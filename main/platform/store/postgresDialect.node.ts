import type { Knex } from 'knex';
import type { GroupCounter, ProtectiveTrigger, SqlDialect, StagedEventsSpec, StoreErrorKind, TakenStaged, TriggerProblem } from './dialect.node.ts';
import { createCounterTable } from './counterTable.node.ts';
import { triggerProblems } from './triggerProblems.node.ts';

/** SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const SQLSTATE: Record<string, StoreErrorKind> = {
  '23505': 'unique_violation',
  '40001': 'serialization_failure',
  '40P01': 'deadlock',
  '55P03': 'busy', // lock not available (lock_timeout / NOWAIT)
  '57P01': 'unavailable', // admin shutdown
  '57P02': 'unavailable', // crash shutdown
  '57P03': 'unavailable', // cannot connect now (starting up, shutting down)
  '53300': 'unavailable', // too many connections
};
/** Socket errors of node-postgres and knex's pool, by their Node error code. */
const NODE_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

const quoteIdent = (name: string): string => {
  // Identifiers come from migrations (constants), never from input; refuse anything unusual all the same.
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unexpected SQL identifier: ${name}`);
  return `"${name}"`;
};
const quoteLiteral = (text: string): string => {
  // For constants of the code (a head key, trigger messages): a backslash would read differently where a DBA turned
  // standard_conforming_strings off, so none is accepted. Values from data go through node-postgres' escapeLiteral.
  if (text.includes('\\')) throw new Error('Unexpected SQL literal');
  return `'${text.replaceAll("'", "''")}'`;
};

/** One simple-protocol query's results (node-postgres gives an array for several statements). */
interface PgResult {
  rows: Record<string, unknown>[];
}

/** What the seal uses of a node-postgres connection taken from knex's pool. */
interface PgConnection {
  /** One result per statement: an array when the query holds several. */
  query(sql: string): Promise<PgResult | PgResult[]>;
  escapeLiteral(text: string): string;
  end(): Promise<void>;
}

/** Lock the head's table, then lock and read the head, then take the oldest staged rows out (`takeStaged`). */
function takeStagedStatements({ headTable, headKey, stagedTable, limit }: StagedEventsSpec): string[] {
  const table = quoteIdent(headTable);
  const staged = quoteIdent(stagedTable);
  return [
    `LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`,
    `SELECT value FROM ${table} WHERE key = ${quoteLiteral(headKey)} FOR UPDATE`,
    `DELETE FROM ${staged} WHERE id IN (SELECT id FROM ${staged} ORDER BY at, id LIMIT ${Math.trunc(limit)}) RETURNING *`,
  ];
}

function takenFrom([, head, staged]: PgResult[]): TakenStaged {
  const value = head?.rows[0]?.value;
  return { head: typeof value === 'string' ? value : null, staged: staged?.rows ?? [] };
}

/** The body of an append-only table's trigger function: refuses the change with the table's message. */
function appendOnlyBody(message: string): string {
  return `
      BEGIN
        RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = ${quoteLiteral(message)};
      END
    `;
}

/**
 * PostgreSQL (node-postgres): plpgsql triggers keep tables append-only and counters current; row locks are
 * `SELECT … FOR UPDATE`; every transaction runs SERIALIZABLE (see transaction.node.ts), so the SQLSTATEs of a
 * serialization failure or deadlock are what `inTransaction` retries.
 */
export const postgresDialect: SqlDialect = {
  name: 'postgresql',

  async appendOnly(q, table, message) {
    const t = quoteIdent(table);
    // One function per table, so the message lives in the function (no trigger arguments to get wrong).
    await q.raw(`CREATE FUNCTION ${quoteIdent(`${table}_append_only`)}() RETURNS trigger LANGUAGE plpgsql AS $fn$${appendOnlyBody(message)}$fn$`);
    await q.raw(`CREATE TRIGGER ${quoteIdent(`${table}_no_update`)} BEFORE UPDATE ON ${t}
      FOR EACH ROW EXECUTE FUNCTION ${quoteIdent(`${table}_append_only`)}()`);
    await q.raw(`CREATE TRIGGER ${quoteIdent(`${table}_no_delete`)} BEFORE DELETE ON ${t}
      FOR EACH ROW EXECUTE FUNCTION ${quoteIdent(`${table}_append_only`)}()`);
    // TRUNCATE fires no row triggers: a statement trigger refuses it too.
    await q.raw(`CREATE TRIGGER ${quoteIdent(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${t}
      FOR EACH STATEMENT EXECUTE FUNCTION ${quoteIdent(`${table}_append_only`)}()`);
  },

  /** The three triggers `appendOnly` creates, each with the body of the one function they run (pg_proc.prosrc). */
  appendOnlyTriggers(table: string, message: string): ProtectiveTrigger[] {
    return ['update', 'delete', 'truncate'].map((op) => ({ name: `${table}_no_${op}`, table, definition: appendOnlyBody(message) }));
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
      const present = rows.rows.map((row) => ({ name: row.name, definition: row.body.trim(), enabled: row.enabled !== 'D' }));
      const expected = this.appendOnlyTriggers(table, message).map((trigger) => ({ ...trigger, definition: trigger.definition.trim() }));
      problems.push(...triggerProblems(expected, present));
    }
    return problems;
  },

  forUpdate: <B extends Knex.QueryBuilder>(query: B) => query.forUpdate() as B,

  /** Writers need no claim here: SERIALIZABLE transactions and the audit-head lock order them. */
  async claimWrite() {},

  /**
   * Nothing to run. A deleted row stays in its heap page as a dead tuple until (auto)vacuum marks the space
   * reusable, and its bytes until a later write overwrites them; VACUUM needs the table owner (the app's login
   * role is not) and VACUUM FULL locks every table against the whole office. What protects the data there is the
   * shredded key: every ciphertext left in a dead tuple is under a key that no longer exists. The clear columns
   * left (ids, enums, times, keyed blind indexes) name no one; autovacuum removes them on its own schedule.
   */
  async reclaimFreedSpace() {},

  async storeInKeyOrder() {},

  /**
   * LOCK TABLE takes no snapshot (unlike SELECT … FOR UPDATE or pg_advisory_xact_lock, whose statement does), so
   * issued first it queues appenders instead of letting all but one fail at the end. SHARE ROW EXCLUSIVE conflicts
   * with itself and with INSERT/UPDATE/DELETE, not with readers: listing and verifying the log are never blocked.
   */
  async lockForAppend(q, table) {
    await q.raw(`LOCK TABLE ${quoteIdent(table)} IN SHARE ROW EXCLUSIVE MODE`);
  },

  auditStaging: {
    // Three statements in one simple-protocol query (no parameters, so the key is a quoted literal): one round trip
    // instead of three, and a seal is on every reads-only call's path.
    async takeStaged(q, spec) {
      const results = (await q.raw(takeStagedStatements(spec).join(';\n'))) as PgResult[];
      return takenFrom(results);
    },

    // Five round trips (BEGIN, take, INSERT, UPDATE, COMMIT) become two: knex's transaction sends each on its own, so
    // the seal runs on a connection of knex's pool directly, as simple-protocol queries with escaped literals.
    async sealInOwnTransaction(db, spec, chain) {
      const client = db.client as Knex.Client & { acquireConnection(): Promise<PgConnection>; releaseConnection(connection: PgConnection): Promise<void> };
      const connection = await client.acquireConnection();
      try {
        // The literals of the second round trip read the same whatever the role or database sets as defaults.
        const opening = ['BEGIN ISOLATION LEVEL READ COMMITTED', "SET LOCAL client_encoding = 'UTF8'", 'SET LOCAL standard_conforming_strings = on'];
        const results = (await connection.query([...opening, ...takeStagedStatements(spec)].join(';\n'))) as PgResult[];
        const chained = chain(takenFrom(results.slice(opening.length)));
        if (!chained) {
          await connection.query('ROLLBACK');
          return 0;
        }
        const columns = Object.keys(chained.rows[0]!);
        const literal = (value: unknown): string => {
          if (value === null || value === undefined) return 'NULL';
          if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
          // node-postgres' own escaping: doubles quotes and, where there are backslashes, writes E'…' so the value
          // reads the same whatever standard_conforming_strings is set to.
          if (typeof value === 'string') return connection.escapeLiteral(value);
          throw new Error('A sealed event holds a value that is neither text, an integer nor null');
        };
        const values = chained.rows.map((row) => `(${columns.map((column) => literal((row as Record<string, unknown>)[column])).join(', ')})`);
        await connection.query(
          [
            `INSERT INTO ${quoteIdent(spec.eventsTable)} (${columns.map(quoteIdent).join(', ')}) VALUES ${values.join(',\n')}`,
            `UPDATE ${quoteIdent(spec.headTable)} SET value = ${literal(chained.head)} WHERE key = ${literal(spec.headKey)}`,
            'COMMIT',
          ].join(';\n'),
        );
        return chained.rows.length;
      } catch (error) {
        // A statement that failed left the transaction aborted: nothing taken out of staging is lost. A connection
        // that cannot even roll back is closed, so the pool never hands out one still inside a transaction.
        await connection.query('ROLLBACK').catch(() => connection.end().catch(() => undefined));
        throw error;
      } finally {
        await client.releaseConnection(connection);
      }
    },
  },

  keepsCounters: true,

  /**
   * Statement-level triggers with transition tables: one UPDATE of the counter rows per statement (a 500-row
   * INSERT adds 500 in one go), instead of one per row. The counter rows are a hot spot for concurrent writers
   * of the counted table; under SERIALIZABLE a collision is a serialization failure, which is retried.
   */
  async createGroupCounter(q: Knex | Knex.Transaction, counter: GroupCounter) {
    const { table, column, counterTable } = counter;
    await createCounterTable(q, counter);
    const [tbl, col, counts] = [quoteIdent(table), quoteIdent(column), quoteIdent(counterTable)];
    const apply = (deltas: string) => `UPDATE ${counts} AS c SET n = c.n + d.k
          FROM (SELECT ${col} AS v, sum(k)::integer AS k FROM (${deltas}) AS x GROUP BY ${col} HAVING sum(k) <> 0) AS d
          WHERE c.${col} = d.v;`;
    const fn = (op: string, deltas: string) => `CREATE FUNCTION ${quoteIdent(`${table}_count_${op}`)}() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${apply(deltas)}
        RETURN NULL;
      END
    $fn$`;
    await q.raw(fn('insert', `SELECT ${col}, 1 AS k FROM new_rows`));
    await q.raw(fn('delete', `SELECT ${col}, -1 AS k FROM old_rows`));
    await q.raw(fn('update', `SELECT ${col}, 1 AS k FROM new_rows UNION ALL SELECT ${col}, -1 AS k FROM old_rows`));
    await q.raw(`CREATE TRIGGER ${quoteIdent(`${table}_count_insert`)} AFTER INSERT ON ${tbl}
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${quoteIdent(`${table}_count_insert`)}()`);
    await q.raw(`CREATE TRIGGER ${quoteIdent(`${table}_count_delete`)} AFTER DELETE ON ${tbl}
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${quoteIdent(`${table}_count_delete`)}()`);
    await q.raw(`CREATE TRIGGER ${quoteIdent(`${table}_count_${column}`)} AFTER UPDATE ON ${tbl}
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${quoteIdent(`${table}_count_update`)}()`);
  },

  classifyError(error) {
    const e = error as { code?: unknown; message?: unknown } | null;
    const code = typeof e?.code === 'string' ? e.code : '';
    if (SQLSTATE[code]) return SQLSTATE[code];
    if (code.startsWith('08') || NODE_UNAVAILABLE.has(code)) return 'unavailable'; // class 08: connection exception
    // node-postgres' own messages for a connection that went away; knex's pool when no connection can be made.
    const message = typeof e?.message === 'string' ? e.message : '';
    if (/^Connection terminated|^Knex: Timeout acquiring a connection/.test(message)) return 'unavailable';
    return null;
  },
};
