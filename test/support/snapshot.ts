import type { TestCore } from './core.ts';
import { openDatabase } from '../../main/platform/store/database.node.ts';
import { countRows } from '../../main/platform/store/queries.node.ts';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../main/core.node.ts';

/** Row counts of every table, read through a second connection (WAL readers see committed data). */
export async function tableCounts(t: TestCore): Promise<Record<string, number>> {
  const db = openDatabase({ client: 'sqlite', filename: join(t.dataDir, DATABASE_FILE) });
  try {
    const tables = (await db('sqlite_master').where({ type: 'table' }).select<{ name: string }[]>('name')).map((r) => r.name);
    const counts: Record<string, number> = {};
    for (const name of tables.sort()) counts[name] = await countRows(db(name));
    return counts;
  } finally {
    await db.destroy();
  }
}
