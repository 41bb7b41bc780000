/**
 * Backup benchmark (issue #11), part of `npm run bench` (run.ts calls `backupSection`; BENCH_BACKUP=0 skips it):
 * on a database of N customers with orders (the import's synthetic data, sealed through the real path), through
 * the IPC router:
 *
 *  1. `backup.create`: VACUUM INTO snapshot + AES-256-GCM frames + fsync, as a job with progress events;
 *  2. `backup.restore` of that backup after one customer was deleted: decrypt + integrity check + key check +
 *     migrations + audit-chain walk on the copy, the switch-over, the ledger re-applied (1 deletion), audit.
 *
 * Figures: seconds and sizes (database file, backup file); JSON keys `backup.*`.
 */
import { randomUUID } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE, openCore } from '../../main/core.node.ts';
import type { ErasurePort } from '../../main/features/erasure/erasure.port.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { ADMIN, tempDir } from '../support/core.ts';
import { customerAt, pools, prng } from './synthetic.ts';

type Put = (key: string, value: number) => void;
const log = (...args: unknown[]) => console.error('[bench:backup]', ...args);
const MB = 1024 * 1024;

export interface BackupBenchDeps {
  n: number;
  /** Fills the SQLite database in `dir` (created, migrated, keyed with `vault`) with N customers and their orders. */
  seed(dir: string, vault: MemoryVault): Promise<void>;
}

export async function backupSection(deps: BackupBenchDeps, put: Put, out: string[]): Promise<void> {
  const vault = new MemoryVault();
  const dir = tempDir('itpc-bench-backup-');
  try {
    await deps.seed(dir, vault);
    log(`seeded ${deps.n.toLocaleString('en-GB')} customers`);
    let port!: ErasurePort;
    const core = await openCore({ dataDir: dir, vault, passwordCost: 10, onErasurePort: (p) => void (port = p) });
    const must = async <T>(senderId: string, channel: string, input: unknown): Promise<T> => {
      const r = await core.handle({ senderId, trusted: true }, channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value as T;
    };
    try {
      await must('admin', 'session.setup', ADMIN);
      for (const [who, role] of [['staff', 'staff'], ['manager', 'manager']] as const) {
        await must('admin', 'accounts.create', { username: `bench.${who}`, displayName: `Bench ${who}`, role, password: ADMIN.password });
        await must(who, 'session.login', { username: `bench.${who}`, password: ADMIN.password });
      }
      // A customer in the backup, deleted after it: the restore deletes it again.
      const details = { ...customerAt(9_500_000, pools(prng(21)), prng(22)), email: `bench.restore.${randomUUID()}@example.com` };
      const { customer } = await must<{ customer: { id: string } }>('staff', 'customers.create', details);
      const databaseMB = statSync(join(dir, DATABASE_FILE)).size / MB;
      let progressEvents = 0;
      let firstProgressAt = 0;
      const off = core.onEvent((_sender, event) => {
        if (event !== 'progress') return;
        progressEvents += 1;
        if (!firstProgressAt) firstProgressAt = performance.now();
      });
      const started = performance.now();
      const made = await must<{ file: string; bytes: number }>('admin', 'backup.create', { taskId: randomUUID() });
      const backupMs = performance.now() - started;
      // The first progress event follows the snapshot (VACUUM INTO); the rest is encryption.
      const snapshotMs = firstProgressAt - started;
      off();
      log(`backup ${(backupMs / 1000).toFixed(1)} s (snapshot ${(snapshotMs / 1000).toFixed(1)} s)`);

      const { request } = await must<{ request: { id: string } }>('staff', 'erasure.file', { customerId: customer.id, reason: 'customer_request', channel: 'email' });
      await must('manager', 'session.reauthenticate', { password: ADMIN.password });
      await must('manager', 'erasure.decide', { id: request.id, decision: 'approve' });
      await port.reclaimed();

      await must('admin', 'session.reauthenticate', { password: ADMIN.password });
      const restoreStarted = performance.now();
      const restored = await must<{ deletionsReapplied: number }>('admin', 'backup.restore', { file: made.file, confirm: true });
      const restoreMs = performance.now() - restoreStarted;
      log(`restore ${(restoreMs / 1000).toFixed(1)} s`);

      const backupMB = made.bytes / MB;
      out.push('### Backup and restore (SQLite)', '');
      out.push(`${deps.n.toLocaleString('en-GB')} customers with orders; through the IPC router (backup.create, backup.restore).`, '');
      out.push('| measure | result |', '|---|---:|');
      out.push(`| database file | ${databaseMB.toFixed(1)} MB |`);
      out.push(`| backup (VACUUM INTO, 64 KiB AES-256-GCM frames, fsync; a job, ${progressEvents} progress events) | ${(backupMs / 1000).toFixed(2)} s, ${backupMB.toFixed(1)} MB (${(backupMB / (backupMs / 1000)).toFixed(1)} MB/s) |`);
      out.push(`| of which the snapshot (VACUUM INTO) / encryption | ${(snapshotMs / 1000).toFixed(2)} s / ${((backupMs - snapshotMs) / 1000).toFixed(2)} s |`);
      out.push(`| restore (decrypt, integrity check, migrations, chain walk, switch, ${restored.deletionsReapplied} deletion re-applied, audit) | ${(restoreMs / 1000).toFixed(2)} s |`, '');
      put('backup.databaseMB', databaseMB);
      put('backup.fileMB', backupMB);
      put('backup.createS', backupMs / 1000);
      put('backup.snapshotS', snapshotMs / 1000);
      put('backup.createMBPerS', backupMB / (backupMs / 1000));
      put('backup.progressEvents', progressEvents);
      put('backup.restoreS', restoreMs / 1000);
      put('backup.restoreDeletionsReapplied', restored.deletionsReapplied);
    } finally {
      await core.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
