import { readFileSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import type { PostgresConnection } from './connectionSettings.std.ts';

export type Db = Knex;
/** A connection or a transaction: services take either so the router can run a call in one transaction. */
export type Queryable = Knex | Knex.Transaction;

/**
 * node-postgres connection fields. `ssl` follows pgTlsOptions: `false` (no TLS), `{ rejectUnauthorized: false }`
 * (encrypted, server not verified) or `{ ca, rejectUnauthorized: true }` (CA + host name checked: node-postgres
 * hands `host` to tls.connect, which checks the certificate's names against it, IP literals included).
 */
export interface PgConnectionFields {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  ssl: false | { rejectUnauthorized: boolean; ca?: string };
  /** Fail fast on an unreachable server instead of the OS TCP timeout. */
  connectionTimeoutMillis?: number;
  application_name?: string;
}

/** A connection string (tests, tools) or the structured fields a workstation's settings produce. */
export type DatabaseConfig = { client: 'sqlite'; filename: string } | { client: 'pg'; connection: string | PgConnectionFields };

/**
 * Maps the workstation's TLS mode onto node-postgres `ssl` options, like libpq's sslmode of the same name:
 * - `disable`: no TLS (only for a server on the same machine or a trusted, isolated network);
 * - `require`: TLS always, so nothing crosses the network in clear, but the server's certificate is not
 *   checked: it protects against eavesdropping, not against a machine impersonating the server;
 * - `verify-full`: TLS, the certificate must chain to the office CA file AND name the host the workstation dials
 *   (Node's checkServerIdentity). The recommended mode on any shared network.
 * A CA file that cannot be read throws; callers turn that into a TLS failure.
 */
export function pgTlsOptions(tls: PostgresConnection['tls'], readCa: (path: string) => string = (p) => readFileSync(p, 'utf8')): PgConnectionFields['ssl'] {
  switch (tls.mode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true, ca: readCa(tls.caFile) };
  }
}

export function pgConnectionFields(settings: PostgresConnection, password: string, timeoutMs = 10_000): PgConnectionFields {
  return {
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password,
    ssl: pgTlsOptions(settings.tls),
    connectionTimeoutMillis: timeoutMs,
    application_name: 'itechno-privacy-console',
  };
}

/** The page cache each SQLite connection ships with, in MiB (the benchmark reports the import at this setting). */
export const SQLITE_CACHE_MIB = 32;

const SQLITE_PRAGMAS = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA foreign_keys = ON',
  'PRAGMA busy_timeout = 5000',
  // Deleted PII is overwritten in the file instead of lingering in free pages.
  'PRAGMA secure_delete = ON',
  'PRAGMA synchronous = FULL',
  // 32 MiB of page cache (SQLite's default is ~2 MB): the blind indexes are random keys, so an import or a search
  // at a million customers touches pages all over them (issue #14: main-process RSS at 1M must stay within 250 MB).
  `PRAGMA cache_size = -${SQLITE_CACHE_MIB * 1024}`,
];

export function openDatabase(config: DatabaseConfig): Db {
  if (config.client === 'pg') {
    return knexFactory({ client: 'pg', connection: config.connection, pool: { min: 0, max: 5 } });
  }
  return knexFactory({
    client: 'sqlite3',
    connection: { filename: config.filename },
    useNullAsDefault: true,
    // One connection: a call waits while another holds it (a 100k-row import takes ~20 s in one transaction).
    acquireConnectionTimeout: 90_000,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { exec(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
        conn.exec(`${SQLITE_PRAGMAS.join(';\n')};`, (err) => done(err, conn));
      },
    },
  });
}

/** Blobs come back as Buffer from both drivers; this narrows the type. */
export function asBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  throw new Error('Expected binary column');
}
