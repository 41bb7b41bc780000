import { z } from 'zod';
import { line } from '../ipc/schemas.std.ts';
import { workstationConnection } from '../store/connectionSettings.std.ts';
import { backupSchedule } from './backupSchedule.std.ts';

/**
 * Machine-wide managed settings: a JSON file IT deploys in the operating system's standard place, read-only to
 * users (managedSettings.node.ts). Each setting named under `locked` is forced to that value on this workstation
 * and cannot be changed in the console. The file never holds a secret: the database password stays in the keychain.
 * Strict throughout: an unknown or misspelt key refuses the file rather than silently locking nothing.
 */
export const UPDATE_CHANNELS = ['stable', 'pilot'] as const;

export const managedLocks = z
  .object({
    /** Office settings (their ranges are those of settings.contract.std.ts; a unit test keeps them equal). */
    idleLockMinutes: z.number().int().min(1).max(120).optional(),
    retentionDays: z.number().int().min(30).max(3650).optional(),
    requestDeadlineDays: z.number().int().min(1).max(90).optional(),
    minPasswordLength: z.number().int().min(12).max(64).optional(),
    /** This workstation's database: engine, host, port, database, user, TLS. Never a password (strict: refused). */
    databaseConnection: workstationConnection.optional(),
    /**
     * How new versions arrive. The console has no self-updater: IT deploys each signed build, so automatic updates
     * can only be off; a file asking for them is refused rather than promising what the console does not do.
     */
    updates: z.object({ automatic: z.literal(false), channel: z.enum(UPDATE_CHANNELS) }).strict().optional(),
    /** Scheduled backups of this workstation's database: on or off, folder, interval, how many are kept. */
    backupSchedule: backupSchedule.optional(),
  })
  .strict();
export type ManagedLocks = z.infer<typeof managedLocks>;
export type LockableSetting = keyof ManagedLocks;

export const managedPolicy = z
  .object({
    /** The file format, so a later format is refused by an older console instead of half-read. */
    version: z.literal(1),
    /** Who locked the settings, shown beside each one: "IT department, ticket desk ext. 4410". */
    managedBy: line(120),
    locked: managedLocks,
  })
  .strict();
export type ManagedPolicy = z.infer<typeof managedPolicy>;

/** What the settings screen shows: which settings are locked, to what, by whom, and from which file. */
export const managedView = z.object({
  file: z.string(),
  managedBy: z.string().nullable(),
  locked: managedLocks,
});
export type ManagedView = z.infer<typeof managedView>;

/** The refusal when a locked setting is changed anyway. */
export function lockedMessage(setting: string, managedBy: string): string {
  return `${setting} is locked by ${managedBy}. Nothing was changed.`;
}
