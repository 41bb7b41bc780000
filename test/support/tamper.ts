import { join } from 'node:path';
import { DATABASE_FILE } from '../../main/core.node.ts';
import { openDatabase, type Db } from '../../main/platform/store/database.node.ts';
import { APPEND_ONLY_TABLES } from '../../main/platform/store/dialect.node.ts';
import { sqliteDialect } from '../../main/platform/store/sqliteDialect.node.ts';

/** Opens a closed core's SQLite file the way an attacker with the sqlite3 shell would: outside the app. */
export async function withFile<T>(dataDir: string, change: (db: Db) => Promise<T>): Promise<T> {
  const db = openDatabase({ client: 'sqlite', filename: join(dataDir, DATABASE_FILE) });
  try {
    return await change(db);
  } finally {
    await db.destroy();
  }
}

export async function dropAppendOnlyTriggers(db: Db): Promise<void> {
  for (const { table, message } of APPEND_ONLY_TABLES) {
    for (const trigger of sqliteDialect.appendOnlyTriggers(table, message)) await db.raw(`DROP TRIGGER IF EXISTS ${trigger.name}`);
  }
}

/** A careful attacker puts the triggers back exactly as `.schema` showed them, so the start-up check passes. */
export async function restoreAppendOnlyTriggers(db: Db): Promise<void> {
  await dropAppendOnlyTriggers(db);
  for (const { table, message } of APPEND_ONLY_TABLES) {
    for (const trigger of sqliteDialect.appendOnlyTriggers(table, message)) await db.raw(trigger.definition);
  }
}
