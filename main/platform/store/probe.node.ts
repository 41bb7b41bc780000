import { existsSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import { compareAppVersions } from '../appVersion.std.ts';
import { kekName } from '../crypto/kek.node.ts';
import { KEK_BYTES, kekFacts } from '../crypto/keyRing.node.ts';
import type { SecretVault } from '../keychain/vault.std.ts';
import type { ProbeOutcome, ProbeResult } from './connectionSettings.std.ts';
import type { DatabaseConfig } from './database.node.ts';

/**
 * "Test connection": connects, reads `schema_migrations` and `meta` if present, and checks this workstation's
 * keychain against the database's key check. It never writes: PostgreSQL sessions are opened with
 * `default_transaction_read_only = on`, SQLite with `query_only`, and a missing SQLite file is not created.
 */
export interface ProbeOptions {
  /** The newest schema this app knows (MIGRATIONS.at(-1).version). */
  latestSchema: number;
  /** How long to wait for a server that does not answer. */
  timeoutMs?: number;
  /**
   * This app's version. With it, a database recording a newer oldest-usable version (`meta.min_app_version`) is
   * "app outdated" (update this workstation), and a newer schema that still accepts this version is usable.
   */
  appVersion?: string;
}

type Facts = Pick<ProbeResult, 'schemaVersion' | 'installId'>;
const NO_FACTS: Facts = { schemaVersion: null, installId: null };

const MESSAGES: Record<ProbeOutcome, { message: string; steps: string[] }> = {
  ok: { message: 'Connected. The database is set up and this workstation holds its key.', steps: [] },
  unreachable: {
    message: 'The database server could not be reached.',
    steps: ['Check the host name and port.', 'Check that the server is running and that the office firewall lets this workstation through.'],
  },
  auth_failed: {
    message: 'The database server refused the user name or password.',
    steps: ['Check the user name and enter the password again.', 'Ask the database administrator whether the role may log in from this workstation (pg_hba.conf).'],
  },
  tls_failed: {
    message: 'A secure (TLS) connection could not be set up as configured.',
    steps: [
      'If the mode is "verify-full", check that the CA file is the office CA and that the server certificate names this host.',
      'If the server has no TLS set up, ask the database administrator to enable it; do not switch TLS off on a shared network.',
    ],
  },
  database_missing: {
    message: 'The server answered, but the database named here does not exist.',
    steps: ['Check the database name.', 'Ask the database administrator to create it (README: "Setting up PostgreSQL").'],
  },
  not_initialised: {
    message: 'The database exists but the console has not been set up in it yet.',
    steps: ['Start the console on the first workstation with this connection: it creates the tables and the office key.', 'Then enrol the other workstations.'],
  },
  app_outdated: {
    message: 'Update this workstation: the office database is used by a newer version of the console, which this version cannot use.',
    steps: ['Install the version of the app the office uses on this workstation, then test again.', 'The database and the other workstations are not affected.'],
  },
  db_newer: {
    message: 'This database is used by a newer version of the console. Update this workstation before connecting it.',
    steps: ['Install the newest version of the app on this workstation.', 'Ask IT which version the office database requires.'],
  },
  key_not_enrolled: {
    message: "The connection works, but this workstation's keychain does not hold the office key for this database.",
    steps: ['On a workstation that already opens the database, an IT administrator creates an enrolment package (Settings → Enrol a workstation).', 'Import it on this workstation.'],
  },
  key_mismatch: {
    message: "The key in this workstation's keychain does not belong to this database.",
    steps: ['Check that the connection points at the office database.', 'Enrol this workstation again with a package from the office database.'],
  },
  keychain_unavailable: {
    message: "The connection works, but this workstation's keychain could not be read.",
    steps: ['Make sure you are signed in to the desktop session and the keychain is unlocked.'],
  },
};

export function probeOutcome(outcome: ProbeOutcome, facts: Facts = NO_FACTS): ProbeResult {
  return { outcome, ...MESSAGES[outcome], steps: [...MESSAGES[outcome].steps], ...facts };
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_|CERT_|ERR_OSSL)/;

/** Driver and socket errors → outcome, by code first; the two TLS cases pg reports only in words are matched on its own fixed texts. */
export function classifyConnectionError(error: unknown): ProbeOutcome | null {
  const e = error as { code?: unknown; message?: unknown; name?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (TLS_CODES.test(code)) return 'tls_failed';
  if (/server does not support SSL connections|error establishing an SSL connection/i.test(message)) return 'tls_failed';
  // pg_hba.conf allows only hostssl for this client: the server demands TLS the workstation did not offer.
  if (code === '28000' && /no encryption/i.test(message)) return 'tls_failed';
  if (code === '28P01' || code === '28000') return 'auth_failed';
  if (code === '3D000') return 'database_missing';
  if (UNREACHABLE_CODES.has(code)) return 'unreachable';
  if (e?.name === 'KnexTimeoutError' || /timeout/i.test(message)) return 'unreachable';
  return null;
}

/** Driver chatter (knex logs failed acquisitions itself) stays out of the console: the outcome says it in words. */
const QUIET = { warn: () => undefined, error: () => undefined, debug: () => undefined, deprecate: () => undefined };

/** The probe's connection: every session read-only, so even a bug here cannot write. Exported for its test. */
export function openReadOnly(config: DatabaseConfig, timeoutMs = 8_000): Knex {
  if (config.client === 'pg') {
    const connection = typeof config.connection === 'string' ? { connectionString: config.connection } : config.connection;
    return knexFactory({
      client: 'pg',
      connection: { connectionTimeoutMillis: timeoutMs, ...connection },
      acquireConnectionTimeout: timeoutMs + 2_000,
      log: QUIET,
      pool: {
        min: 0,
        max: 1,
        afterCreate(conn: { query(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
          conn.query('SET default_transaction_read_only = on', (err) => done(err, conn));
        },
      },
    });
  }
  return knexFactory({
    client: 'sqlite3',
    connection: { filename: config.filename },
    useNullAsDefault: true,
    log: QUIET,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { exec(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
        conn.exec('PRAGMA query_only = ON; PRAGMA busy_timeout = 5000;', (err) => done(err, conn));
      },
    },
  });
}

async function readMeta(db: Knex, key: string): Promise<string | null> {
  const row = await db('meta').where({ key }).first<{ value: string } | undefined>();
  return row?.value ?? null;
}

/** `config` may be a function: building it reads the CA file, whose failure is a TLS failure. */
export async function probeDatabase(config: DatabaseConfig | (() => DatabaseConfig), vault: SecretVault, options: ProbeOptions): Promise<ProbeResult> {
  let resolved: DatabaseConfig;
  try {
    resolved = typeof config === 'function' ? config() : config;
  } catch {
    return { ...probeOutcome('tls_failed'), message: 'The CA certificate file could not be read.' };
  }
  if (resolved.client === 'sqlite' && !existsSync(resolved.filename)) return probeOutcome('not_initialised');

  const db = openReadOnly(resolved, options.timeoutMs);
  try {
    let facts: Facts = NO_FACTS;
    try {
      await db.raw('select 1');
      if (!(await db.schema.hasTable('schema_migrations'))) return probeOutcome('not_initialised');
      const row = await db('schema_migrations').max<{ v: number | null }>('version as v').first();
      facts = { ...facts, schemaVersion: Number(row?.v ?? 0) };
      const hasMeta = await db.schema.hasTable('meta');
      const required = hasMeta ? await readMeta(db, 'min_app_version') : null;
      if (required && options.appVersion && compareAppVersions(options.appVersion, required) < 0) return probeOutcome('app_outdated', facts);
      const compatible = required !== null && options.appVersion !== undefined;
      if (facts.schemaVersion! > options.latestSchema && !compatible) return probeOutcome('db_newer', facts);
      if (!hasMeta) return probeOutcome('not_initialised', facts);
      const installId = await readMeta(db, 'install_id');
      const keyCheck = await readMeta(db, 'key_check');
      facts = { ...facts, installId };
      if (!installId || !keyCheck) return probeOutcome('not_initialised', facts);
      let kek: Buffer | null;
      try {
        kek = await vault.get(kekName(installId));
      } catch {
        return probeOutcome('keychain_unavailable', facts);
      }
      if (!kek) return probeOutcome('key_not_enrolled', facts);
      if (kek.length !== KEK_BYTES || kekFacts(kek).checkValue !== keyCheck) return probeOutcome('key_mismatch', facts);
      return probeOutcome('ok', facts);
    } catch (error) {
      const outcome = classifyConnectionError(error);
      if (outcome) return probeOutcome(outcome, facts);
      throw error;
    }
  } finally {
    await db.destroy();
  }
}

/** The database's `meta.key_check`, read the same read-only way (enrolment import proves a package against it). */
export async function readKeyCheck(config: DatabaseConfig): Promise<string | null> {
  if (config.client === 'sqlite' && !existsSync(config.filename)) return null;
  const db = openReadOnly(config);
  try {
    if (!(await db.schema.hasTable('meta'))) return null;
    return await readMeta(db, 'key_check');
  } finally {
    await db.destroy();
  }
}
