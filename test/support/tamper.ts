import type { Db } from '../../main/platform/store/database.node.ts';
import { APPEND_ONLY_TABLES, dialectOf } from '../../main/platform/store/dialect.node.ts';
import { dropAppendOnlyTriggers, openTestDb } from './database.ts';

export { dropAppendOnlyTriggers };

/** Opens a closed core's database the way an attacker holding it would: outside the app (sqlite3 shell, psql). */
export async function withFile<T>(dataDir: string, change: (db: Db) => Promise<T>): Promise<T> {
  const db = openTestDb(dataDir);
  try {
    return await change(db);
  } finally {
    await db.destroy();
  }
}

/** A careful attacker puts the triggers back exactly as the schema showed them, so the start-up check passes. */
export async function restoreAppendOnlyTriggers(db: Db): Promise<void> {
  const dialect = dialectOf(db);
  for (const { table, message } of APPEND_ONLY_TABLES) {
    await dropAppendOnlyTriggers(db, table);
    if (dialect.name === 'postgresql') await db.raw(`DROP FUNCTION IF EXISTS ${table}_append_only()`);
    await db.transaction((trx) => dialect.appendOnly(trx, table, message));
  }
}
