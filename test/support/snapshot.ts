import type { TestCore } from './core.ts';
import { countRows } from '../../main/platform/store/queries.node.ts';

/** Row counts of every table, read through a second connection (it sees committed data only). */
export async function tableCounts(t: TestCore): Promise<Record<string, number>> {
  const db = t.openDb();
  try {
    const tables =
      t.engine === 'pg'
        ? (await db('pg_tables').where({ schemaname: 'public' }).select<{ tablename: string }[]>('tablename')).map((r) => r.tablename)
        : (await db('sqlite_master').where({ type: 'table' }).select<{ name: string }[]>('name')).map((r) => r.name);
    const counts: Record<string, number> = {};
    for (const name of tables.sort()) counts[name] = await countRows(db(name));
    return counts;
  } finally {
    await db.destroy();
  }
}
