import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { openDatabase, type DatabaseConfig } from '../../main/platform/store/database.node.ts';

/**
 * Which engine the suite runs on: PostgreSQL when ITPC_TEST_PG holds a connection string to a throw-away server
 * (scripts/with-postgres.sh sets it; `npm test` runs the suite once without and once with it), else SQLite files.
 */
export const TEST_ENGINE: 'sqlite' | 'pg' = process.env.ITPC_TEST_PG ? 'pg' : 'sqlite';
/** For `it(name, { skip: onlyOn('sqlite', 'reads SQLite pages') }, …)`: the reason is printed with the skip. */
export function onlyOn(engine: 'sqlite' | 'pg', why: string): string | false {
  return TEST_ENGINE === engine ? false : `${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} only: ${why}`;
}

export interface TestDatabase {
  config: DatabaseConfig;
  engine: 'sqlite' | 'pg';
  /** Removes the database (a PostgreSQL database is dropped, closing any connection still open to it). */
  drop(): Promise<void>;
}

/** Runs one statement on the test server's maintenance database through a connection opened for it alone. */
export async function onServerRaw(sql: string): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: process.env.ITPC_TEST_PG!, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(sql);
  } finally {
    await admin.destroy();
  }
}

/** The connection string of database `name` on the test server. */
export function pgConnection(name: string): string {
  const url = new URL(process.env.ITPC_TEST_PG!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh, empty database for one test (or one core): a temp SQLite file, or a new database on the test server. */
export async function testDatabase(): Promise<TestDatabase> {
  if (TEST_ENGINE === 'pg') {
    const name = `itpc_t_${randomBytes(6).toString('hex')}`;
    await onServerRaw(`CREATE DATABASE ${name}`);
    return {
      config: { client: 'pg', connection: pgConnection(name) },
      engine: 'pg',
      async drop() {
        await onServerRaw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'itpc-db-'));
  return {
    config: { client: 'sqlite', filename: join(dir, 'test.sqlite') },
    engine: 'sqlite',
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const MARKER = 'itpc-test-database.json';

/**
 * The database a core in `dataDir` uses in tests: on SQLite none is named (the core's own file in `dataDir`, as in
 * the app); on PostgreSQL a new database, remembered in `dataDir` so a core reopened there (also in a child
 * process) finds the same one. `created` says whether this call made it.
 */
export async function databaseFor(dataDir: string): Promise<{ config: DatabaseConfig | undefined; created: TestDatabase | null }> {
  if (TEST_ENGINE === 'sqlite') return { config: undefined, created: null };
  const marker = join(dataDir, MARKER);
  if (existsSync(marker)) return { config: JSON.parse(readFileSync(marker, 'utf8')) as DatabaseConfig, created: null };
  const created = await testDatabase();
  writeFileSync(marker, JSON.stringify(created.config));
  return { config: created.config, created };
}

/**
 * What an attacker holding the database (file or server superuser) can do, for tamper tests on either engine:
 * drops the append-only triggers of `table`.
 */
export async function dropAppendOnlyTriggers(db: Knex, table = 'audit_events'): Promise<void> {
  const pg = String(db.client.config.client) === 'pg';
  for (const suffix of pg ? ['no_update', 'no_delete', 'no_truncate'] : ['no_update', 'no_delete']) {
    await db.raw(pg ? `DROP TRIGGER IF EXISTS ${table}_${suffix} ON ${table}` : `DROP TRIGGER IF EXISTS ${table}_${suffix}`);
  }
}

/** A raw connection to the database of the core in `dataDir` (its SQLite file, or its PostgreSQL database). */
export function openTestDb(dataDir: string): Knex {
  const marker = join(dataDir, MARKER);
  if (TEST_ENGINE === 'pg' && existsSync(marker)) return openDatabase(JSON.parse(readFileSync(marker, 'utf8')) as DatabaseConfig);
  return openDatabase({ client: 'sqlite', filename: join(dataDir, 'privacy-console.sqlite') });
}

/** Options for `openCore` in `dataDir` that point it at the same database `startCore` gave that directory. */
export function coreDatabase(dataDir: string): { database?: DatabaseConfig } {
  const marker = join(dataDir, MARKER);
  return TEST_ENGINE === 'pg' && existsSync(marker) ? { database: JSON.parse(readFileSync(marker, 'utf8')) as DatabaseConfig } : {};
}

/**
 * A fingerprint of everything the database of the core in `dataDir` holds: the file's bytes on SQLite; on
 * PostgreSQL every row of every table (in key order), so "left untouched" can be asserted on both engines.
 */
export async function databaseFingerprint(dataDir: string): Promise<string> {
  const hash = createHash('sha256');
  if (TEST_ENGINE === 'sqlite') return hash.update(readFileSync(join(dataDir, 'privacy-console.sqlite'))).digest('hex');
  const db = openTestDb(dataDir);
  try {
    const tables = (await db('pg_tables').where({ schemaname: 'public' }).orderBy('tablename').select<{ tablename: string }[]>('tablename')).map((r) => r.tablename);
    for (const table of tables) hash.update(`${table}\n${JSON.stringify(await db(table).orderByRaw('1'))}\n`);
    return hash.digest('hex');
  } finally {
    await db.destroy();
  }
}

/** A connection to a fresh database (`testDatabase`); destroying the connection also drops the database. */
export async function freshDb(): Promise<Knex> {
  const database = await testDatabase();
  const db = openDatabase(database.config);
  const destroy = db.destroy.bind(db);
  Object.defineProperty(db, 'destroy', {
    configurable: true,
    writable: true,
    value: async () => {
      await destroy();
      await database.drop();
    },
  });
  return db;
}
