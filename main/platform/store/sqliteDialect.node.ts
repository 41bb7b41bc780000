import type { Knex } from 'knex';
import type { GroupCounter, ProtectiveTrigger, SqlDialect, StoreErrorKind, TriggerProblem } from './dialect.node.ts';
import { createCounterTable } from './counterTable.node.ts';
import { triggerProblems } from './triggerProblems.node.ts';

function driverCode(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown } | null;
  return { code: typeof e?.code === 'string' ? e.code : '', message: typeof e?.message === 'string' ? e.message : '' };
}

/** Transactions that already hold SQLite's write lock (claimWrite). */
const writeClaimed = new WeakSet<Knex.Transaction>();

/** The append-only triggers' SQL. sqlite_master keeps it as written: keep it byte-identical to migration 0001's. */
function appendOnlyTriggers(table: string, message: string): ProtectiveTrigger[] {
  return (['update', 'delete'] as const).map((op) => ({
    name: `${table}_no_${op}`,
    table,
    definition: `CREATE TRIGGER ${table}_no_${op} BEFORE ${op.toUpperCase()} ON ${table}
        BEGIN SELECT RAISE(ABORT, '${message}'); END`,
  }));
}

/** SQLite (node-sqlite3): triggers for append-only tables and counters; one writer, so no row locks. */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',

  async appendOnly(q, table, message) {
    for (const trigger of appendOnlyTriggers(table, message)) await q.raw(trigger.definition);
  },

  appendOnlyTriggers,

  async protectiveTriggersIntact(q, tables) {
    const problems: TriggerProblem[] = [];
    for (const { table, message } of tables) {
      const present = await q('sqlite_master').where({ type: 'trigger', tbl_name: table }).select<{ name: string; sql: string | null }[]>('name', 'sql');
      problems.push(...triggerProblems(appendOnlyTriggers(table, message), present.map((row) => ({ name: row.name, definition: row.sql ?? '', enabled: true }))));
    }
    return problems;
  },

  forUpdate: (query) => query,

  async lockForAppend() {},


  keepsCounters: true,

  async createGroupCounter(q: Knex | Knex.Transaction, counter: GroupCounter) {
    const { table, column, counterTable } = counter;
    await createCounterTable(q, counter);
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

  async claimWrite(q) {
    // Once per transaction: the router claims first and the audit append claims again; the lock, once taken, is
    // held until the commit.
    if (q.isTransaction && writeClaimed.has(q as Knex.Transaction)) return;
    // A write statement that changes nothing still begins the write transaction (RESERVED lock, busy handler).
    // A database without the app's schema (a bare test database) has nothing to race: the failed statement
    // leaves the transaction as it was.
    try {
      await q.raw('UPDATE meta SET value = value WHERE 0 = 1');
      if (q.isTransaction) writeClaimed.add(q as Knex.Transaction);
    } catch (error) {
      if (!/no such table/.test(driverCode(error).message)) throw error;
    }
  },

  async storeInKeyOrder(q, table) {
    const created = await q('sqlite_master').where({ type: 'table', name: table }).first<{ sql: string } | undefined>('sql');
    if (!created) throw new Error(`No table ${table} to store in key order`);
    if (/WITHOUT ROWID\s*$/i.test(created.sql)) return;
    const indexes = await q('sqlite_master').where({ type: 'index', tbl_name: table }).whereNotNull('sql').first('name');
    const triggers = await q('sqlite_master').where({ type: 'trigger', tbl_name: table }).first('name');
    // Only what the copy below recreates: an index or trigger of the table's own would be lost with the old table.
    if (indexes || triggers) throw new Error(`${table} has indexes or triggers of its own; it cannot be rebuilt as is`);
    // Dropping a table others reference would delete their rows (ON DELETE CASCADE), and a trigger or view naming
    // it would stop the rename: only a table nothing else points at is rebuilt.
    const others = await q('sqlite_master').whereNot('tbl_name', table).whereIn('type', ['table', 'trigger', 'view']).select<{ name: string; type: string; sql: string | null }[]>('name', 'type', 'sql');
    for (const other of others) {
      const referenced = other.type === 'table' && ((await q.raw(`SELECT 1 FROM pragma_foreign_key_list(?) WHERE "table" = ?`, [other.name, table])) as unknown[]).length > 0;
      if (referenced || (other.type !== 'table' && new RegExp(`\\b${table}\\b`).test(other.sql ?? ''))) {
        throw new Error(`${table} is referenced by ${other.type} ${other.name}; it cannot be rebuilt as is`);
      }
    }
    const rebuilt = `${table}_in_key_order`;
    // The table's own definition under the new name: the columns, the key and the foreign keys stay exactly as written.
    const definition = created.sql.replace(/^CREATE TABLE\s+(`[^`]+`|"[^"]+"|\w+)/i, `CREATE TABLE \`${rebuilt}\``);
    if (definition === created.sql) throw new Error(`Unexpected definition of ${table}`);
    await q.raw(`${definition} WITHOUT ROWID`);
    await q.raw(`INSERT INTO \`${rebuilt}\` SELECT * FROM \`${table}\``);
    await q.raw(`DROP TABLE \`${table}\``);
    await q.raw(`ALTER TABLE \`${rebuilt}\` RENAME TO \`${table}\``);
  },

  async reclaimFreedSpace(db) {
    // Waits (busy timeout) for readers of older snapshots; a checkpoint they still block is retried next time.
    await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  },

  classifyError(error): StoreErrorKind | null {
    const { code, message } = driverCode(error);
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return 'busy';
    if (code === 'SQLITE_CONSTRAINT' && /UNIQUE constraint failed|PRIMARY KEY/i.test(message)) return 'unique_violation';
    return null;
  },
};
