import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase, type DatabaseConfig } from '../../main/platform/store/database.node.ts';

/**
 * The shared database of one test: a SQLite file, or a fresh database on the PostgreSQL server `ITPC_TEST_PG`
 * names (a connection string to it).
 * TODO(integrator): replace with test/support/database.ts `testDatabase()` once it lands.
 */
export async function sharedTestDatabase(root: string): Promise<{ config: DatabaseConfig; drop(): Promise<void> }> {
  const server = process.env.ITPC_TEST_PG;
  if (!server) return { config: { client: 'sqlite', filename: join(root, 'shared.sqlite') }, drop: async () => undefined };
  const name = `itpc_race_${randomUUID().replaceAll('-', '')}`;
  const admin = openDatabase({ client: 'pg', connection: server });
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    config: { client: 'pg', connection: url.toString() },
    async drop() {
      const again = openDatabase({ client: 'pg', connection: server });
      await again.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.destroy();
    },
  };
}

export interface RaceCall {
  senderId: string;
  channel: string;
  input: unknown;
}

/** What one child "workstation" does: see raceChild.ts. */
export interface RaceSpec {
  database: DatabaseConfig;
  /** The child's own folder (logs, settings.json); the database is shared through `database`. */
  dataDir: string;
  /** Its keychain: the same folder for every child means every workstation holds the office key. */
  vaultDir: string;
  before?: RaceCall[];
  race?: RaceCall[];
  openOnGo?: boolean;
}

const CHILD = join(import.meta.dirname, 'raceChild.ts');

/**
 * Runs each spec in its own Node process (its own core and connection pool on the shared database), releases them
 * together once all are ready and returns each child's race results, in spec order.
 */
export async function race(specs: readonly RaceSpec[], timeoutMs = 60_000): Promise<unknown[][]> {
  const children = specs.map((spec) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(spec)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let markReady!: () => void;
    let finish!: (results: unknown[]) => void;
    let fail!: (error: Error) => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const done = new Promise<unknown[]>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === 'ready') markReady();
        else if (line.startsWith('result ')) finish(JSON.parse(line.slice(7)) as unknown[]);
        else if (line.startsWith('failed ')) fail(new Error(`race child: ${line.slice(7)}`));
      }
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    child.on('exit', (code) => fail(new Error(`race child exited (${code}) before reporting`)));
    // A child that fails before `ready` must not leave the others waiting.
    return { child, ready: Promise.race([ready, done.then(() => undefined)]), done, exited };
  });
  const timer = setTimeout(() => children.forEach(({ child }) => child.kill('SIGKILL')), timeoutMs);
  try {
    await Promise.all(children.map((c) => c.ready));
    for (const { child } of children) child.stdin.write('go\n');
    return await Promise.all(children.map((c) => c.done));
  } finally {
    for (const { child } of children) child.stdin.end();
    // Children close their cores (flushing logs and witnesses into the shared directories) before the caller
    // removes those directories.
    await Promise.all(children.map((c) => c.exited));
    clearTimeout(timer);
  }
}
