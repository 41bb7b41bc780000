import Conf from 'conf';
import type { BackupSchedule } from './backupSchedule.std.ts';
import { DEFAULT_CONNECTION, TLS_MODES, type WorkstationConnection } from '../store/connectionSettings.std.ts';

/** Machine-local settings. Never a secret, never PII: keys live in the keychain, data in the store. */
export interface AppSettings {
  idleLockMinutes: number;
  /**
   * This workstation's witness of the audit chain's head (seq, hash, HMAC under the audit key: chainWitness.node.ts).
   * Not a secret: it only lets the app notice a chain cut short in the database.
   */
  auditWitness?: string;
  /** Random id of this workstation, made on first open: the owner of the jobs its process runs. Not a secret. */
  workstationId?: string;
  /** How this workstation reaches its database (workstation-only; the password is in the keychain). */
  databaseConnection: WorkstationConnection;
  /** Scheduled backups (features/backup); absent: off. */
  backupSchedule?: BackupSchedule;
  /** The last backup this workstation made or tried: when, outcome, size, file name. No secret, no PII. */
  backupLast?: BackupLast;
}

export interface BackupLast {
  at: string;
  ok: boolean;
  scheduled: boolean;
  bytes: number | null;
  file: string | null;
  /** Error code of a failed backup (AppError code or INTERNAL). */
  code: string | null;
}

export const SETTINGS_DEFAULTS: AppSettings = { idleLockMinutes: 10, databaseConnection: DEFAULT_CONNECTION };

/** JSON schema shared by electron-store (in Electron) and conf (under Node), so both validate alike. */
export const SETTINGS_SCHEMA = {
  idleLockMinutes: { type: 'integer', minimum: 1, maximum: 120, default: SETTINGS_DEFAULTS.idleLockMinutes },
  auditWitness: { type: 'string', maxLength: 1000 },
  workstationId: { type: 'string', maxLength: 64 },
  backupSchedule: {
    type: 'object',
    additionalProperties: false,
    required: ['enabled', 'folder', 'intervalHours', 'keep'],
    properties: {
      enabled: { type: 'boolean' },
      folder: { type: ['string', 'null'], maxLength: 1024 },
      intervalHours: { type: 'integer', minimum: 1, maximum: 720 },
      keep: { type: 'integer', minimum: 1, maximum: 100 },
    },
  },
  backupLast: {
    type: 'object',
    additionalProperties: false,
    required: ['at', 'ok', 'scheduled', 'bytes', 'file', 'code'],
    properties: {
      at: { type: 'string', maxLength: 40 },
      ok: { type: 'boolean' },
      scheduled: { type: 'boolean' },
      bytes: { type: ['integer', 'null'], minimum: 0 },
      file: { type: ['string', 'null'], maxLength: 255 },
      code: { type: ['string', 'null'], maxLength: 40 },
    },
  },
  // The zod schema (connectionSettings.std.ts) is the full check on every read and write; this keeps a hand-edited
  // file from holding anything but the known shape, and never a password.
  databaseConnection: {
    type: 'object',
    additionalProperties: false,
    required: ['engine'],
    properties: {
      engine: { enum: ['sqlite', 'postgresql'] },
      host: { type: 'string', maxLength: 253 },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      database: { type: 'string', maxLength: 63 },
      user: { type: 'string', maxLength: 63 },
      tls: {
        type: 'object',
        additionalProperties: false,
        required: ['mode'],
        properties: { mode: { enum: [...TLS_MODES] }, caFile: { type: 'string', maxLength: 1024 } },
      },
    },
    default: SETTINGS_DEFAULTS.databaseConnection,
  },
} as const;

/** The part of conf / electron-store the app uses; both implement it. */
export interface SettingsStore {
  get<K extends keyof AppSettings>(key: K): AppSettings[K];
  set<K extends keyof AppSettings>(key: K, value: AppSettings[K]): void;
  readonly path: string;
}

export function openNodeSettings(dataDir: string): SettingsStore {
  return new Conf<AppSettings>({
    cwd: dataDir,
    configName: 'settings',
    projectName: 'itechno-privacy-console',
    schema: SETTINGS_SCHEMA,
    clearInvalidConfig: false,
  });
}
