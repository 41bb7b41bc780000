import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import type { AuditSink } from '../../platform/audit/auditSink.node.ts';
import type { Clock } from '../../platform/clock.std.ts';
import { passphraseProblem } from '../../platform/crypto/enrolmentPackage.node.ts';
import { kekName } from '../../platform/crypto/kek.node.ts';
import { kekFacts } from '../../platform/crypto/keyRing.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Job, JobKind, JobWork } from '../../platform/jobs/job.node.ts';
import type { JobRunner } from '../../platform/jobs/jobRunner.node.ts';
import type { SecretVault } from '../../platform/keychain/vault.std.ts';
import type { Logger } from '../../platform/log/logger.node.ts';
import { BACKUP_SCHEDULE_DEFAULTS, type BackupSchedule } from '../../platform/settings/backupSchedule.std.ts';
import type { AppSettings, SettingsStore } from '../../platform/settings/settings.node.ts';
import { openDatabase, type Db } from '../../platform/store/database.node.ts';
import { schemaVersion } from '../../platform/store/migrate.node.ts';
import { BACKUP_FILE_PATTERN, type BackupCreated, type BackupListItem, type BackupStatus } from './backup.contract.std.ts';
import { BACKUP_EXTENSION, BackupWriter, readBackupHeader, type BackupKey } from './backupFile.node.ts';

export const BACKUP_JOB = 'backup';
/** Frames (64 KiB each) encrypted per job batch: 4 MiB between progress reports. */
const FRAMES_PER_BATCH = 64;

/** What the PostgreSQL refusal says: the office database is backed up on the server. */
export const POSTGRES_BACKUP_MESSAGE =
  'This workstation uses the office PostgreSQL database: it is backed up on the database server with scripts/pg-backup.sh (README, "Backup and restore (IT)"), not from the console.';

export interface BackupDeps {
  db: Db;
  /** The SQLite file (null on PostgreSQL). */
  databaseFile: string | null;
  dataDir: string;
  vault: SecretVault;
  installId: () => string;
  /** The public fingerprint of the KEK in use: a backup made under an earlier one (before a rotation) no longer restores. */
  kekId: () => string;
  clock: Clock;
  jobs: JobRunner;
  settings: SettingsStore;
  /** Who locked the schedule in managed settings (null when not locked). */
  scheduleLockedBy: string | null;
  audit: AuditSink;
  logger: Logger;
  appVersion: string;
  progress: (senderId: string, payload: { taskId: string; done: number; total: number }) => void;
}

interface BackupCursor {
  [key: string]: string;
  snapshot: string;
  partial: string;
}

/** `itpc-backup-20261206-204500Z-1a2b.itpcbak`: sortable by time, no personal data. */
export function backupFileName(at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `itpc-backup-${stamp}Z-${randomBytes(2).toString('hex')}.${BACKUP_EXTENSION}`;
}

/** The clear database copies a backup or a restore makes in the data folder while it runs. */
const LEFTOVER_COPY = /^(backup-snapshot-[0-9a-f]+|restore-\d+)\.sqlite(-wal|-shm|-journal)?$/;

/** Removes a file if it is there; a file still open elsewhere (Windows) is removed again by whoever closes it. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // The backup's own clean-up (after closing its files) tries again.
  }
}

/**
 * Backups of this workstation's SQLite database: a consistent online snapshot (`VACUUM INTO` on a connection of its
 * own, so calls go on meanwhile; the snapshot holds no freed pages), encrypted into the folder by a job with
 * progress, the schedule run by the core's sweep, and the folder's list. Restores are in restore.node.ts.
 */
export class BackupService {
  private readonly running = new Map<string, string>();
  private scheduledRun: Promise<void> | null = null;

  constructor(private readonly deps: BackupDeps) {}

  get isSqlite(): boolean {
    return this.deps.databaseFile !== null;
  }

  refuseOnPostgres(): void {
    if (!this.isSqlite) throw new AppError('UNAVAILABLE', POSTGRES_BACKUP_MESSAGE);
  }

  schedule(): BackupSchedule {
    return this.deps.settings.get('backupSchedule') ?? BACKUP_SCHEDULE_DEFAULTS;
  }

  folder(schedule: BackupSchedule = this.schedule()): string {
    return schedule.folder ?? join(this.deps.dataDir, 'backups');
  }

  saveSchedule(schedule: BackupSchedule): BackupSchedule {
    this.refuseOnPostgres();
    if (schedule.folder) {
      try {
        mkdirSync(schedule.folder, { recursive: true });
        if (!statSync(schedule.folder).isDirectory()) throw new Error('not a folder');
      } catch {
        throw new AppError('INVALID_INPUT', 'The backup folder cannot be used: it is not a folder this account can create or write. Nothing was changed.');
      }
    }
    this.deps.settings.set('backupSchedule', schedule);
    return this.schedule();
  }

  get busy(): boolean {
    return this.running.size > 0 || this.scheduledRun !== null;
  }

  /** The backups in the folder, newest first, read from their clear headers (no key needed). */
  async list(): Promise<{ backups: BackupListItem[]; unreadable: number }> {
    const folder = this.folder();
    let names: string[];
    try {
      names = readdirSync(folder).filter((name) => BACKUP_FILE_PATTERN.test(name));
    } catch {
      return { backups: [], unreadable: 0 };
    }
    const backups: BackupListItem[] = [];
    let unreadable = 0;
    for (const file of names) {
      const path = join(folder, file);
      try {
        const { header } = await readBackupHeader(path);
        backups.push({
          file,
          createdAt: header.createdAt,
          appVersion: header.appVersion,
          schemaVersion: header.schemaVersion,
          bytes: statSync(path).size,
          keySource: header.key.source,
          thisDatabase: header.installId === this.deps.installId(),
          underCurrentKey: header.kekId === this.deps.kekId(),
        });
      } catch {
        unreadable += 1;
      }
    }
    backups.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.file.localeCompare(a.file));
    return { backups, unreadable };
  }

  /**
   * At open, before jobs recover: clear copies a killed backup (its snapshot, taken before the job held a cursor)
   * or a killed restore (its decrypted copy) left in the data folder. Each holds keys of customers deleted since.
   */
  removeLeftovers(): number {
    let removed = 0;
    for (const name of readdirSync(this.deps.dataDir)) {
      if (!LEFTOVER_COPY.test(name)) continue;
      removeQuietly(join(this.deps.dataDir, name));
      removed += 1;
    }
    return removed;
  }

  async status(): Promise<BackupStatus> {
    const schedule = this.schedule();
    const last = this.deps.settings.get('backupLast') ?? null;
    const { backups, unreadable } = this.isSqlite ? await this.list() : { backups: [], unreadable: 0 };
    return {
      engine: this.isSqlite ? 'sqlite' : 'postgresql',
      schedule,
      folder: this.folder(schedule),
      lockedBy: this.deps.scheduleLockedBy,
      last,
      nextDueAt: schedule.enabled && this.isSqlite ? new Date(this.nextDue(schedule, last)).toISOString() : null,
      busy: this.busy,
      backups,
      unreadable,
    };
  }

  private nextDue(schedule: BackupSchedule, last: AppSettings['backupLast'] | null): number {
    return last ? Date.parse(last.at) + schedule.intervalHours * 3_600_000 : this.deps.clock.now();
  }

  /** The job kind: a killed or failed backup leaves no partial file and no snapshot (nothing to resume). */
  jobKind(): JobKind {
    return {
      kind: BACKUP_JOB,
      async rollbackBatch(_trx: Knex.Transaction, job: Job): Promise<boolean> {
        const cursor = job.cursor as Partial<BackupCursor> | null;
        if (cursor?.snapshot) removeQuietly(cursor.snapshot);
        if (cursor?.partial) removeQuietly(cursor.partial);
        return true;
      },
    };
  }

  cancel(taskId: string): boolean {
    const jobId = this.running.get(taskId);
    return jobId ? this.deps.jobs.cancel(jobId) : false;
  }

  /**
   * Makes one backup into the folder and removes the oldest of this database's backups beyond `keep`. Refused on
   * PostgreSQL, while another backup runs, and (passphrase) for a passphrase that is too weak.
   */
  async create(input: { taskId: string; senderId: string | null; startedBy: string | null; passphrase?: string; scheduled: boolean }): Promise<BackupCreated> {
    this.refuseOnPostgres();
    if (input.passphrase !== undefined) {
      const problem = passphraseProblem(input.passphrase);
      if (problem) throw new AppError('INVALID_INPUT', `The passphrase is too weak: ${problem.toLowerCase()}. Nothing was written.`);
    }
    if (this.running.size > 0) throw new AppError('CONFLICT', 'A backup is already running on this workstation.');
    this.running.set(input.taskId, '');
    try {
      return await this.run(input);
    } catch (error) {
      this.recordLast({ ok: false, scheduled: input.scheduled, bytes: null, file: null, code: error instanceof AppError ? error.code : 'INTERNAL' });
      throw error;
    } finally {
      this.running.delete(input.taskId);
    }
  }

  private async run(input: { taskId: string; senderId: string | null; startedBy: string | null; passphrase?: string; scheduled: boolean }): Promise<BackupCreated> {
    const { db, clock, dataDir } = this.deps;
    const folder = this.folder();
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
    } catch {
      throw new AppError('UNAVAILABLE', 'The backup folder cannot be created or written. Check the folder in the schedule. Nothing was written.');
    }
    const createdAt = new Date(clock.now());
    const file = backupFileName(createdAt);
    const target = join(folder, file);
    const cursor: BackupCursor = { snapshot: join(dataDir, `backup-snapshot-${randomBytes(6).toString('hex')}.sqlite`), partial: `${target}.partial` };
    const key = await this.key(input.passphrase);
    let writer: BackupWriter | null = null;
    let bytes = 0;
    const work: JobWork = {
      prepare: async () => {
        if (!writer) {
          writer = await this.snapshot(cursor, {
            appVersion: this.deps.appVersion,
            schemaVersion: await schemaVersion(db),
            installId: this.deps.installId(),
            createdAt: createdAt.toISOString(),
            kekId: key.kekId,
          }, key.key, key.checkValue);
          return;
        }
        await writer.writeFrames(FRAMES_PER_BATCH);
        if (writer.finished) {
          bytes = await writer.finish();
          removeQuietly(cursor.snapshot);
          await rename(cursor.partial, target);
        }
      },
      step: async () => ({ done: writer?.encrypted ?? 0, total: writer?.plainBytes ?? 0, cursor, finished: Boolean(writer?.finished) }),
    };
    try {
      const handle = await this.deps.jobs.start(BACKUP_JOB, work, {
        startedBy: input.startedBy,
        onProgress: (job) => {
          if (input.senderId) this.deps.progress(input.senderId, { taskId: input.taskId, done: job.done, total: job.total ?? 0 });
        },
        cancelError: () => new AppError('CANCELLED', 'The backup was cancelled. No file was left behind.'),
      });
      this.running.set(input.taskId, handle.id);
      await handle.result;
    } catch (error) {
      // The job's roll-back removed the snapshot and the partial file; a writer still open is closed here.
      await (writer as BackupWriter | null)?.close();
      removeQuietly(cursor.snapshot);
      removeQuietly(cursor.partial);
      if (error instanceof AppError) throw error;
      this.deps.logger.error('backup.failed', error);
      throw new AppError('UNAVAILABLE', 'The backup could not be written (see the application log). No file was left behind.');
    } finally {
      if (key.key.source === 'kek') key.key.kek.fill(0);
    }
    const removed = await this.prune(this.schedule().keep, file);
    this.recordLast({ ok: true, scheduled: input.scheduled, bytes, file, code: null });
    return { file, bytes, createdAt: createdAt.toISOString(), keySource: key.key.source, removed };
  }

  /** The file key's source: the KEK from the keychain (its fingerprint goes in the header), or a passphrase. */
  private async key(passphrase: string | undefined): Promise<{ key: BackupKey; kekId: string; checkValue: string }> {
    const kek = await this.deps.vault.get(kekName(this.deps.installId()));
    if (!kek) throw new AppError('UNAVAILABLE', "This workstation's keychain no longer holds the database key, so no backup can be made.");
    const { kekId, checkValue } = kekFacts(kek);
    if (passphrase !== undefined) {
      kek.fill(0);
      return { key: { source: 'passphrase', passphrase }, kekId, checkValue };
    }
    return { key: { source: 'kek', kek }, kekId, checkValue };
  }

  /** `VACUUM INTO` on a connection of its own: one read transaction, so the copy is consistent while calls go on. */
  private async snapshot(cursor: BackupCursor, facts: { appVersion: string; schemaVersion: number; installId: string; createdAt: string; kekId: string }, key: BackupKey, checkValue: string): Promise<BackupWriter> {
    const source = openDatabase({ client: 'sqlite', filename: this.deps.databaseFile! });
    try {
      await source.raw('VACUUM INTO ?', [cursor.snapshot]);
      // Read after the copy: a KEK rotation committed before it shows here, and the copy would open under neither key.
      const check = await source('meta').where({ key: 'key_check' }).first<{ value: string } | undefined>('value');
      if (check?.value !== checkValue) throw new AppError('CONFLICT', 'The database key was rotated while the backup was being made: make the backup again. No file was left behind.');
    } finally {
      await source.destroy();
    }
    const plainBytes = statSync(cursor.snapshot).size;
    return BackupWriter.create(cursor.snapshot, cursor.partial, { ...facts, plainBytes }, key);
  }

  /** Removes this database's oldest backups beyond `keep` (never `keepFile`, never another database's). */
  private async prune(keep: number, keepFile: string): Promise<number> {
    const folder = this.folder();
    const ours = (await this.list()).backups.filter((b) => b.thisDatabase);
    let removed = 0;
    for (const backup of ours.slice(keep)) {
      if (backup.file === keepFile) continue;
      removeQuietly(join(folder, backup.file));
      removed += 1;
    }
    return removed;
  }

  private recordLast(last: Omit<NonNullable<AppSettings['backupLast']>, 'at'>): void {
    try {
      this.deps.settings.set('backupLast', { at: this.deps.clock.nowIso(), ...last });
    } catch (error) {
      this.deps.logger.error('backup.status_write_failed', error);
    }
  }

  /** Called by the core's sweep: starts the scheduled backup when due (one at a time; audited; never throws). */
  runIfDue(): void {
    if (!this.isSqlite || this.scheduledRun || this.running.size > 0) return;
    const schedule = this.schedule();
    if (!schedule.enabled) return;
    if (this.deps.clock.now() < this.nextDue(schedule, this.deps.settings.get('backupLast') ?? null)) return;
    const taskId = `scheduled-${randomBytes(8).toString('hex')}`;
    this.scheduledRun = this.create({ taskId, senderId: null, startedBy: null, scheduled: true })
      .then(
        (made) => this.deps.audit.append(this.deps.db, { actorId: null, action: 'backup.created', outcome: 'ok', details: { scheduled: true, file: made.file, bytes: made.bytes, keySource: made.keySource, removed: made.removed } }),
        (error: unknown) => {
          const code = error instanceof AppError ? error.code : 'INTERNAL';
          this.deps.logger.warn('backup.scheduled_failed', { code });
          return this.deps.audit.append(this.deps.db, { actorId: null, action: 'backup.created', outcome: 'failed', details: { scheduled: true, code } });
        },
      )
      .then(() => undefined)
      .catch((error: unknown) => this.deps.logger.error('backup.scheduled_audit_failed', error))
      .finally(() => {
        this.scheduledRun = null;
      });
  }

  /** Resolves once a scheduled backup under way has finished (tests, closing). */
  async settled(): Promise<void> {
    await this.scheduledRun;
  }
}
