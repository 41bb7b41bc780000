import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';

/**
 * A throw-away PostgreSQL cluster for one test file: initdb on a temporary directory (as the `postgres` user when
 * running as root, since initdb refuses root), listening on 127.0.0.1 and a free port only, password (SCRAM)
 * authentication, optional TLS with a certificate from a test CA. `stop()` shuts it down and removes everything.
 * Skips (returns a reason) when the PostgreSQL binaries are missing.
 */
export const PG_BIN = process.env.ITPC_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServerOptions {
  /** Serve TLS with a certificate signed by a CA made for this server (SAN IP:127.0.0.1). */
  tls?: boolean;
  /** pg_hba accepts TLS connections only (hostssl): a client without TLS is turned away. */
  tlsOnly?: boolean;
}

export interface PostgresServer {
  host: '127.0.0.1';
  port: number;
  superuser: { user: 'postgres'; password: string };
  /** PEM of the CA that signed the server certificate (tls only). */
  caFile: string | null;
  dir: string;
  /** Runs SQL as the superuser, in `database` (default `postgres`). */
  sql(statement: string, database?: string): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
  /** Creates a login role and an empty database it owns. */
  createDatabase(name: string, owner: { user: string; password: string }): Promise<void>;
  stop(): Promise<void>;
}

export function postgresSkipReason(): string | false {
  if (!existsSync(join(PG_BIN, 'initdb')) || !existsSync(join(PG_BIN, 'pg_ctl'))) return `PostgreSQL binaries not found in ${PG_BIN} (install Debian's postgresql package)`;
  if (userInfo().uid === 0 && spawnSync('id', ['postgres']).status !== 0) return 'running as root but no postgres user exists to run initdb';
  return false;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const asRoot = userInfo().uid === 0;
/** Runs a PostgreSQL binary as the postgres user when we are root (initdb refuses root), directly otherwise. */
function runPg(binary: string, args: string[]): void {
  const command = asRoot ? 'runuser' : join(PG_BIN, binary);
  const argv = asRoot ? ['-u', 'postgres', '--', join(PG_BIN, binary), ...args] : args;
  execFileSync(command, argv, { stdio: 'pipe' });
}

function ownForPostgres(path: string): void {
  if (!asRoot) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(path, uid, gid);
}

/** A CA and a server certificate it signs for 127.0.0.1 (openssl CLI). */
function makeCertificates(dir: string): { caFile: string; certFile: string; keyFile: string } {
  const f = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=ITPC Test CA', '-keyout', f('ca.key'), '-out', f('ca.pem'));
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr'));
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('san.ext'), '-out', f('server.crt'));
  for (const file of ['server.key', 'server.crt']) ownForPostgres(f(file));
  chmodSync(f('server.key'), 0o600);
  return { caFile: f('ca.pem'), certFile: f('server.crt'), keyFile: f('server.key') };
}

/** A self-signed certificate authority unrelated to any server (for "wrong CA" cases). */
export function makeUnrelatedCa(dir: string): string {
  const file = join(dir, 'other-ca.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Unrelated CA', '-keyout', join(dir, 'other-ca.key'), '-out', file], { stdio: 'pipe' });
  return file;
}

export async function startPostgres(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'itpc-pg-'));
  ownForPostgres(dir);
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`);
  ownForPostgres(pwfile);
  runPg('initdb', ['-D', data, '-U', 'postgres', '--auth-host=scram-sha-256', '--auth-local=trust', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const certs = options.tls || options.tlsOnly ? makeCertificates(dir) : null;
  const conf = [
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    `unix_socket_directories = '${dir}'`,
    'fsync = off',
    'max_connections = 40',
    ...(certs ? ['ssl = on', `ssl_cert_file = '${certs.certFile}'`, `ssl_key_file = '${certs.keyFile}'`] : []),
  ];
  appendFileSync(join(data, 'postgresql.conf'), `\n${conf.join('\n')}\n`);
  if (options.tlsOnly) {
    // Replace the host lines: TLS connections only, SCRAM passwords.
    const hba = readFileSync(join(data, 'pg_hba.conf'), 'utf8')
      .split('\n')
      .filter((line) => !/^host\s/.test(line))
      .concat('hostssl all all 127.0.0.1/32 scram-sha-256', '');
    writeFileSync(join(data, 'pg_hba.conf'), hba.join('\n'));
  }
  runPg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);

  const sql = async (statement: string, database = 'postgres') => {
    // knex over node-postgres (the app's own driver); one short-lived connection per statement batch.
    const db = knexFactory({
      client: 'pg',
      connection: { host: '127.0.0.1', port, user: 'postgres', password, database, ssl: certs ? { rejectUnauthorized: false } : false },
      pool: { min: 0, max: 1 },
    });
    try {
      return (await db.raw(statement)) as { rows: Record<string, unknown>[]; rowCount: number | null };
    } finally {
      await db.destroy();
    }
  };
  return {
    host: '127.0.0.1',
    port,
    superuser: { user: 'postgres', password },
    caFile: certs?.caFile ?? null,
    dir,
    sql,
    async createDatabase(name, owner) {
      const exists = await sql(`SELECT 1 FROM pg_roles WHERE rolname = '${owner.user}'`);
      if (exists.rowCount === 0) await sql(`CREATE ROLE "${owner.user}" LOGIN PASSWORD '${owner.password.replace(/'/g, "''")}'`);
      await sql(`CREATE DATABASE "${name}" OWNER "${owner.user}"`);
    },
    async stop() {
      try {
        runPg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
