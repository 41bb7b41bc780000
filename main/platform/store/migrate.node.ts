import { StartupError } from '../startupError.std.ts';
import type { Db } from './database.node.ts';
import { MIGRATIONS } from './migrations/index.node.ts';
import type { Migration } from './migrations/migration.node.ts';

const TABLE = 'schema_migrations';

export async function schemaVersion(db: Db): Promise<number> {
  if (!(await db.schema.hasTable(TABLE))) return 0;
  const row = await db(TABLE).max<{ v: number | null }>('version as v').first();
  return Number(row?.v ?? 0);
}

/** Refuses a database written by a newer version of the app, before anything is written to it. */
export async function assertNotNewer(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<void> {
  const current = await schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new StartupError(
      'DB_NEWER',
      `This database was written by a newer version of iTechno Privacy Console (schema ${current}; this app knows up to ${latest}). It was not opened or changed.`,
      ['Install the newest version of the app on this workstation.', 'Ask IT which version the shared database requires.'],
    );
  }
}

/** Brings the schema up to date; refuses a database written by a newer version of the app. */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<{ from: number; to: number }> {
  await assertNotNewer(db, migrations);
  if (!(await db.schema.hasTable(TABLE))) {
    await db.schema.createTable(TABLE, (t) => {
      t.integer('version').primary();
      t.string('name', 200).notNullable();
      t.string('applied_at', 32).notNullable();
    });
  }
  const from = await schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  for (const migration of migrations.filter((m) => m.version > from)) {
    await db.transaction(async (trx) => {
      await migration.up(trx);
      await trx(TABLE).insert({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() });
    });
  }
  return { from, to: Math.max(from, latest) };
}
