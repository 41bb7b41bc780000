import type { Knex } from 'knex';
import type { GroupCounter } from './dialect.node.ts';

/** The table of kept counts, one row per counted value starting at zero (both dialects then add their triggers). */
export async function createCounterTable(q: Knex | Knex.Transaction, { column, width, counterTable, values }: GroupCounter): Promise<void> {
  await q.schema.createTable(counterTable, (t) => {
    t.string(column, width).primary();
    t.integer('n').notNullable();
  });
  await q(counterTable).insert(values.map((value) => ({ [column]: value, n: 0 })));
}
