import type { Knex } from 'knex';
import { StartupError } from '../startupError.std.ts';
import { compareAppVersions } from '../appVersion.std.ts';
import type { Db, Queryable } from './database.node.ts';
import { dialectOf } from './dialect.node.ts';
import { MIGRATIONS } from './migrations/index.node.ts';
import type { Migration } from './migrations/migration.node.ts';

const TABLE = 'schema_migrations';
/** `meta` key: the oldest app version that can use this database (written by migrations that break older apps). */
export const MIN_APP_VERSION_KEY = 'min_app_version';
/**
 * Key of the PostgreSQL advisory lock held while migrating, so workstations starting together migrate once:
 * the first takes the lock and migrates, the others wait, then find nothing left to do. (An arbitrary constant,
 * "itpc" in ASCII; advisory locks are per database.)
 */
export const MIGRATION_LOCK_KEY = 0x69747063;

export async function schemaVersion(db: Queryable): Promise<number> {
  if (!(await db.schema.hasTable(TABLE))) return 0;
  const row = await db(TABLE).max<{ v: number | null }>('version as v').first();
  return Number(row?.v ?? 0);
}

/** The oldest app version the database accepts, or null when none is recorded. */
export async function minAppVersion(db: Queryable): Promise<string | null> {
  if (!(await db.schema.hasTable('meta'))) return null;
  const row = await db('meta').where({ key: MIN_APP_VERSION_KEY }).first<{ value: string } | undefined>();
  return row?.value ?? null;
}

export interface VersionCheck {
  /** This app's version (package.json), passed in by the composition root. */
  appVersion?: string;
}

function outdated(appVersion: string, required: string): StartupError {
  return new StartupError(
    'APP_OUTDATED',
    `Update this workstation: the shared database is used by iTechno Privacy Console ${required} or later, and this workstation runs ${appVersion}. The database was not opened or changed.`,
    [
      `Install iTechno Privacy Console ${required} or later on this workstation, then start it again.`,
      'The other workstations and the data are not affected; nothing needs to be restored.',
      'Ask IT which version the office uses if you are unsure.',
    ],
  );
}

/**
 * Refuses, before anything is written to it, a database this app cannot use: one that records a newer oldest
 * app version than this one ("update this workstation"), or one written by a newer app that recorded no such
 * version ("database newer"). A newer schema that still accepts this app's version is used as it is.
 */
export async function assertNotNewer(db: Queryable, migrations: readonly Migration[] = MIGRATIONS, check: VersionCheck = {}): Promise<void> {
  const current = await schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  const required = current > 0 ? await minAppVersion(db) : null;
  if (required && check.appVersion && compareAppVersions(check.appVersion, required) < 0) throw outdated(check.appVersion, required);
  if (current > latest && !(required && check.appVersion)) {
    throw new StartupError(
      'DB_NEWER',
      `This database was written by a newer version of iTechno Privacy Console (schema ${current}; this app knows up to ${latest}). It was not opened or changed.`,
      ['Install the newest version of the app on this workstation.', 'Ask IT which version the shared database requires.'],
    );
  }
}

/** Raises the recorded oldest app version to `version` (never lowers it). */
async function raiseMinAppVersion(trx: Knex.Transaction, version: string): Promise<void> {
  const current = await minAppVersion(trx);
  if (current && compareAppVersions(current, version) >= 0) return;
  if (current) await trx('meta').where({ key: MIN_APP_VERSION_KEY }).update({ value: version });
  else await trx('meta').insert({ key: MIN_APP_VERSION_KEY, value: version });
}

/**
 * Brings the schema up to date; refuses a database this app cannot use (see `assertNotNewer`). On PostgreSQL
 * every step takes a transaction-scoped advisory lock and reads the version again under it, so several
 * workstations starting together apply each migration exactly once; on SQLite the single connection already
 * serialises them.
 */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, check: VersionCheck = {}): Promise<{ from: number; to: number }> {
  await assertNotNewer(db, migrations, check);
  const locked = dialectOf(db).name === 'postgresql';
  const lock = async (trx: Knex.Transaction) => {
    if (locked) await trx.raw('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
  };
  await db.transaction(async (trx) => {
    await lock(trx);
    if (await trx.schema.hasTable(TABLE)) return;
    await trx.schema.createTable(TABLE, (t) => {
      t.integer('version').primary();
      t.string('name', 200).notNullable();
      t.string('applied_at', 32).notNullable();
    });
  });
  const from = await schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  for (const migration of migrations.filter((m) => m.version > from)) {
    await db.transaction(async (trx) => {
      await lock(trx);
      // Another workstation may have applied it while this one waited for the lock.
      if ((await schemaVersion(trx)) >= migration.version) return;
      await migration.up(trx);
      if (migration.minAppVersion) await raiseMinAppVersion(trx, migration.minAppVersion);
      await trx(TABLE).insert({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() });
    });
  }
  // Checked again: a newer workstation may have migrated past this app while it waited.
  await assertNotNewer(db, migrations, check);
  return { from, to: Math.max(from, latest) };
}
