import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { empty, id } from '../../platform/ipc/schemas.std.ts';
import { backupSchedule } from '../../platform/settings/backupSchedule.std.ts';

/**
 * Encrypted backups of this workstation's SQLite database and their restore (issue #11). IT administrators only
 * (`backups.manage`); a restore needs the password re-entered. On PostgreSQL the office database is backed up by
 * the database administrator with `scripts/pg-backup.sh` (README "Backup and restore (IT)"): these channels refuse.
 */
export const BACKUP_FILE_PATTERN = /^itpc-backup-\d{8}-\d{6}Z-[0-9a-f]{4}\.itpcbak$/;
export const backupFileName = z.string().max(80).regex(BACKUP_FILE_PATTERN, { message: 'Not a backup file name' });

/** A passphrase for a backup IT carries off-site: at least 20 characters (the enrolment package's rule). */
const passphrase = z
  .string()
  .min(1)
  .max(1024)
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'The passphrase holds control characters');

export const backupListItem = z.object({
  file: z.string(),
  createdAt: z.string(),
  appVersion: z.string(),
  schemaVersion: z.number(),
  bytes: z.number(),
  keySource: z.enum(['kek', 'passphrase']),
  /** A backup of this database (its install id); another database's backups cannot be restored here. */
  thisDatabase: z.boolean(),
  /** Made under the KEK in use; one from before a KEK rotation needs the retired key, so it is not offered. */
  underCurrentKey: z.boolean(),
});
export type BackupListItem = z.infer<typeof backupListItem>;

export const backupLast = z.object({
  at: z.string(),
  ok: z.boolean(),
  scheduled: z.boolean(),
  bytes: z.number().nullable(),
  file: z.string().nullable(),
  code: z.string().nullable(),
});

export const backupStatus = z.object({
  engine: z.enum(['sqlite', 'postgresql']),
  schedule: backupSchedule,
  /** The folder backups go to (the schedule's, or the data folder's `backups`). */
  folder: z.string(),
  /** Who locked the schedule in managed settings, or null. */
  lockedBy: z.string().nullable(),
  last: backupLast.nullable(),
  /** When the schedule next runs (null when it is off). */
  nextDueAt: z.string().nullable(),
  /** A backup or restore running on this workstation now. */
  busy: z.boolean(),
  backups: z.array(backupListItem),
  /** Files in the folder that look like backups but cannot be read as one (damaged header). */
  unreadable: z.number(),
});
export type BackupStatus = z.infer<typeof backupStatus>;

export const backupCreated = z.object({ file: z.string(), bytes: z.number(), createdAt: z.string(), keySource: z.enum(['kek', 'passphrase']), removed: z.number() });
export type BackupCreated = z.infer<typeof backupCreated>;

export const restoreResult = z.object({
  file: z.string(),
  backupCreatedAt: z.string(),
  /** Customers deleted after the backup was made, deleted again in the restored database. */
  deletionsReapplied: z.number(),
  /** The database file as it was before the restore, kept beside it (file name only). */
  keptAside: z.string(),
  schemaFrom: z.number(),
  schemaTo: z.number(),
});
export type RestoreResult = z.infer<typeof restoreResult>;

export const backupChannels = {
  'backup.status': channel({
    input: empty,
    output: backupStatus,
    access: { kind: 'permission', permission: 'backups.manage' },
  }),
  /**
   * Backs up now: a consistent snapshot (VACUUM INTO), encrypted in frames under a key from this database's KEK, or
   * from `passphrase` (20+ characters) for a copy kept away from the keychain. A job with `progress` events for
   * `taskId`; the reply comes when the file is complete. Older backups beyond the schedule's `keep` are removed.
   */
  'backup.create': channel({
    input: z.object({ taskId: id, passphrase: passphrase.optional() }).strict(),
    output: backupCreated,
    access: { kind: 'permission', permission: 'backups.manage' },
    audit: 'backup.created',
    transactional: false,
  }),
  'backup.cancel': channel({
    input: z.object({ taskId: id }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    access: { kind: 'permission', permission: 'backups.manage' },
  }),
  /** Asks IT for the backup folder (Electron's folder dialog); nothing is saved until `backup.saveSchedule`. */
  'backup.chooseFolder': channel({
    input: empty,
    output: z.object({ folder: z.string().nullable() }),
    access: { kind: 'permission', permission: 'backups.manage' },
    // The dialog stays open as long as IT likes: never inside a transaction.
    transactional: false,
  }),
  'backup.saveSchedule': channel({
    input: backupSchedule,
    output: backupSchedule,
    access: { kind: 'permission', permission: 'backups.manage' },
    audit: 'backup.schedule_saved',
  }),
  /**
   * Restores a backup from the folder in place of the database: decrypted and checked (every frame, SQLite's
   * integrity check, key, migrations, audit chain) on a copy first — anything wrong refuses with nothing changed —
   * then the database is switched over, customers deleted since the backup are deleted again, the restore is
   * audited in the restored chain and the chain witness moves to it. The database as it was is kept aside.
   */
  'backup.restore': channel({
    input: z.object({ file: backupFileName, passphrase: passphrase.optional(), confirm: z.literal(true) }).strict(),
    output: restoreResult,
    access: { kind: 'permission', permission: 'backups.manage' },
    reauth: true,
    audit: 'backup.restored',
    transactional: false,
  }),
};
