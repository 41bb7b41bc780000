import type { Knex } from 'knex';
import type { Queryable } from './database.node.ts';

/** Rows per INSERT statement for bulk writes (import, benchmark). */
export const INSERT_CHUNK = 500;

/** The number of rows a query selects (`count(*)`); the query itself is left untouched. */
export async function countRows(query: Knex.QueryBuilder): Promise<number> {
  const rows = await query.clone().count<{ n: number | string }[]>('* as n');
  return Number(rows[0]?.n ?? 0);
}

/** Inserts in fixed-size chunks inside the caller's transaction (the same batching knex's batchInsert uses). */
export async function insertChunked(q: Queryable, table: string, rows: readonly object[], chunk = INSERT_CHUNK): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) await q(table).insert(rows.slice(i, i + chunk));
}
