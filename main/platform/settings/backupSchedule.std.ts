import { z } from 'zod';

/**
 * Scheduled backups of this workstation's SQLite database (features/backup): whether they run, into which folder,
 * how often, and how many are kept. A workstation setting (settings.json), lockable by IT in managed settings.
 * The folder is an absolute path; none means the `backups` folder in the data folder.
 */
export const backupSchedule = z
  .object({
    enabled: z.boolean(),
    folder: z
      .string()
      .min(1)
      .max(1024)
      // eslint-disable-next-line no-control-regex -- refusing control characters in a path is the point
      .refine((p) => !/[\u0000-\u001F\u007F]/.test(p), { message: 'Contains control characters' })
      .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), { message: 'Must be an absolute path' })
      .nullable(),
    intervalHours: z.number().int().min(1).max(24 * 30),
    keep: z.number().int().min(1).max(100),
  })
  .strict();
export type BackupSchedule = z.infer<typeof backupSchedule>;

export const BACKUP_SCHEDULE_DEFAULTS: BackupSchedule = { enabled: false, folder: null, intervalHours: 24, keep: 7 };
