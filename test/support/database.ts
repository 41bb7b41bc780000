import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { DatabaseConfig } from '../../main/platform/store/database.node.ts';

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

let admin: Knex | null = null;
function adminConnection(): Knex {
  admin ??= knexFactory({ client: 'pg', connection: process.env.ITPC_TEST_PG!, pool: { min: 0, max: 2, idleTimeoutMillis: 1000 } });
  return admin;
}
/** Lets the test process end: the admin pool would otherwise keep it alive. */
process.once('beforeExit', () => {
  void admin?.destroy();
  admin = null;
});

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
    await adminConnection().raw(`CREATE DATABASE ${name}`);
    return {
      config: { client: 'pg', connection: pgConnection(name) },
      engine: 'pg',
      async drop() {
        await adminConnection().raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
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
