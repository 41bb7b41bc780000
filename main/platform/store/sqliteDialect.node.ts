import type { Knex } from 'knex';
import type { GroupCounter, SqlDialect, StoreErrorKind } from './dialect.node.ts';

function driverCode(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown } | null;
  return { code: typeof e?.code === 'string' ? e.code : '', message: typeof e?.message === 'string' ? e.message : '' };
}

/** SQLite (node-sqlite3): triggers for append-only tables and counters; one writer, so no row locks. */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',

  async appendOnly(q, table, message) {
    // The statement text is stored in sqlite_master as written: keep it byte-identical to migration 0001's.
    await q.raw(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
        BEGIN SELECT RAISE(ABORT, '${message}'); END`);
    await q.raw(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
        BEGIN SELECT RAISE(ABORT, '${message}'); END`);
  },

  forUpdate: (query) => query,

  async lockForAppend() {},

  keepsCounters: true,

  async createGroupCounter(q: Knex | Knex.Transaction, { table, column, width, counterTable, values }: GroupCounter) {
    await q.schema.createTable(counterTable, (t) => {
      t.string(column, width).primary();
      t.integer('n').notNullable();
    });
    await q(counterTable).insert(values.map((value) => ({ [column]: value, n: 0 })));
    await q.raw(`CREATE TRIGGER ${table}_count_insert AFTER INSERT ON ${table}
    BEGIN UPDATE ${counterTable} SET n = n + 1 WHERE ${column} = NEW.${column}; END`);
    await q.raw(`CREATE TRIGGER ${table}_count_delete AFTER DELETE ON ${table}
    BEGIN UPDATE ${counterTable} SET n = n - 1 WHERE ${column} = OLD.${column}; END`);
    await q.raw(`CREATE TRIGGER ${table}_count_${column} AFTER UPDATE OF ${column} ON ${table} WHEN OLD.${column} <> NEW.${column}
    BEGIN
      UPDATE ${counterTable} SET n = n - 1 WHERE ${column} = OLD.${column};
      UPDATE ${counterTable} SET n = n + 1 WHERE ${column} = NEW.${column};
    END`);
  },

  classifyError(error): StoreErrorKind | null {
    const { code, message } = driverCode(error);
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return 'busy';
    if (code === 'SQLITE_CONSTRAINT' && /UNIQUE constraint failed|PRIMARY KEY/i.test(message)) return 'unique_violation';
    return null;
  },
};
