import type { Knex } from 'knex';
import type { Queryable } from './database.node.ts';

/** Rows per INSERT statement for bulk writes (import, benchmark). */
export const INSERT_CHUNK = 500;

/** The number of rows a query selects (`count(*)`); the query itself is left untouched. */
export async function countRows(query: Knex.QueryBuilder): Promise<number> {
  const rows = await query.clone().count<{ n: number | string }[]>('* as n');
  return Number(rows[0]?.n ?? 0);
}

/** The column names every row shares, in the first row's order; null when the rows do not all have the same keys. */
function sharedColumns(rows: readonly object[]): string[] | null {
  const columns = Object.keys(rows[0]!);
  for (const row of rows) {
    let n = 0;
    for (const key in row) {
      if (!Object.hasOwn(row, key)) continue;
      n += 1;
      if (!(key in rows[0]!)) return null;
    }
    if (n !== columns.length) return null;
  }
  return columns;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const insertSql = new Map<string, string>();

/**
 * `insert into "t" ("a", "b") values (?, ?), …` for `count` rows, built once per shape. Both drivers accept
 * double-quoted identifiers; PostgreSQL's `$n` placeholders come from knex's own positionBindings.
 */
function multiRowInsert(table: string, columns: readonly string[], count: number): string {
  const cacheKey = `${table}|${columns.join(',')}|${count}`;
  let sql = insertSql.get(cacheKey);
  if (!sql) {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    sql = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array.from({ length: count }, () => tuple).join(', ')}`;
    if (insertSql.size > 64) insertSql.clear();
    insertSql.set(cacheKey, sql);
  }
  return sql;
}

/**
 * One multi-row INSERT handed straight to the driver on the caller's connection. knex's query builder costs
 * ~4 µs per row on the main thread (key sorting, escaping, placeholder scans), more than sealing a section;
 * the statement here is a cached string and the bindings a flat array, so nothing per row but the copy.
 */
async function insertDirect(q: Queryable, table: string, columns: readonly string[], rows: readonly object[]): Promise<void> {
  const bindings: unknown[] = new Array(rows.length * columns.length);
  let k = 0;
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    for (const column of columns) {
      const value = r[column];
      bindings[k++] = value === undefined ? null : value;
    }
  }
  const client = q.client as Knex.Client & {
    acquireConnection(): Promise<unknown>;
    releaseConnection(connection: unknown): Promise<void>;
    query(connection: unknown, obj: { sql: string; bindings: unknown[]; method: string; options: object }): Promise<unknown>;
  };
  const connection = await client.acquireConnection();
  try {
    await client.query(connection, { sql: multiRowInsert(table, columns, rows.length), bindings, method: 'insert', options: {} });
  } finally {
    // A transaction's client hands back its own connection and keeps it; a pool gets it back.
    await client.releaseConnection(connection);
  }
}

/**
 * Inserts in fixed-size chunks inside the caller's transaction (the same batching knex's batchInsert uses). Rows
 * that share their keys (every bulk caller's) go as a prepared multi-row statement; anything else through knex.
 */
export async function insertChunked(q: Queryable, table: string, rows: readonly object[], chunk = INSERT_CHUNK): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    const slice = rows.slice(i, i + chunk);
    const columns = IDENTIFIER.test(table) ? sharedColumns(slice) : null;
    if (columns && columns.length > 0 && columns.every((c) => IDENTIFIER.test(c))) await insertDirect(q, table, columns, slice);
    else await q(table).insert(slice);
  }
}
