import Conf from 'conf';

/** Machine-local settings. Never a secret, never PII: keys live in the keychain, data in the store. */
export interface AppSettings {
  idleLockMinutes: number;
  /**
   * This workstation's witness of the audit chain's head (seq, hash, HMAC under the audit key: chainWitness.node.ts).
   * Not a secret: it only lets the app notice a chain cut short in the database.
   */
  auditWitness?: string;
}

export const SETTINGS_DEFAULTS: AppSettings = { idleLockMinutes: 10 };

/** JSON schema shared by electron-store (in Electron) and conf (under Node), so both validate alike. */
export const SETTINGS_SCHEMA = {
  idleLockMinutes: { type: 'integer', minimum: 1, maximum: 120, default: SETTINGS_DEFAULTS.idleLockMinutes },
  auditWitness: { type: 'string', maxLength: 1000 },
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
