import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { DatabaseConfig } from '../../main/platform/store/database.node.ts';

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
    child.on('exit', (code) => fail(new Error(`race child exited (${code}) before reporting`)));
    // A child that fails before `ready` must not leave the others waiting.
    return { child, ready: Promise.race([ready, done.then(() => undefined)]), done };
  });
  const timer = setTimeout(() => children.forEach(({ child }) => child.kill('SIGKILL')), timeoutMs);
  try {
    await Promise.all(children.map((c) => c.ready));
    for (const { child } of children) child.stdin.write('go\n');
    return await Promise.all(children.map((c) => c.done));
  } finally {
    clearTimeout(timer);
    for (const { child } of children) child.stdin.end();
  }
}
