import { isDeepStrictEqual } from 'node:util';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { AppError } from '../ipc/errors.std.ts';
import { StartupError } from '../startupError.std.ts';
import { lockedMessage, managedPolicy, type ManagedPolicy, type ManagedView } from './managedPolicy.std.ts';
import type { AppSettings, SettingsStore } from './settings.node.ts';

/** Far larger than any real policy; a bigger file is not one IT wrote. */
const MAX_FILE_BYTES = 64 * 1024;

/**
 * The machine-wide place IT deploys the file to, writable only by administrators:
 * Windows `C:\ProgramData\iTechno\PrivacyConsole\managed.json`, macOS
 * `/Library/Application Support/iTechno/PrivacyConsole/managed.json`, Linux `/etc/itechno-privacy-console/managed.json`.
 * Fixed paths: never taken from the environment (a user can redefine %ProgramData% for their own processes and so
 * point the console at a file of their own). Tests pass another path through CoreOptions.
 */
export function managedSettingsPath(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return 'C:\\ProgramData\\iTechno\\PrivacyConsole\\managed.json';
  if (platform === 'darwin') return '/Library/Application Support/iTechno/PrivacyConsole/managed.json';
  return '/etc/itechno-privacy-console/managed.json';
}

function refused(file: string, problem: string): StartupError {
  return new StartupError('MANAGED_SETTINGS_INVALID', `The managed settings file ${file} cannot be used: ${problem}. The console does not start without it, so no setting IT locked is silently left unlocked.`, [
    `Ask IT to correct ${file} (its format is in the README, "Managed settings"), or to remove it.`,
    'Start the console again.',
  ]);
}

/**
 * Reads the managed settings. No file: nothing is locked (null). A file that cannot be read, is not JSON, does not
 * match the format, or that any user could rewrite, refuses the start (StartupError) instead of being ignored.
 */
export function loadManagedPolicy(file: string): ManagedPolicy | null {
  let text: string;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw refused(file, 'it is not a file');
    if (stats.size > MAX_FILE_BYTES) throw refused(file, `it is larger than ${MAX_FILE_BYTES / 1024} KB`);
    // Windows: the folder's ACL, set by IT when it deploys the file (README), keeps users out. POSIX: checked here.
    if (process.platform !== 'win32') {
      if ((stats.mode & 0o002) !== 0) throw refused(file, 'every user can change it (it must be writable by administrators only: chmod 644, owned by root)');
      // The person running the console must not be able to unlock it (root, the administrator, may).
      if (process.getuid?.() !== 0 && writableByMe(file)) throw refused(file, 'the signed-in user can change it (it must be owned by root, chmod 644)');
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof StartupError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw refused(file, `it could not be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw refused(file, `it is not valid JSON (${error instanceof Error ? error.message : 'syntax error'})`);
  }
  const parsed = managedPolicy.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw refused(file, problems.join('; '));
  }
  return parsed.data;
}

function writableByMe(file: string): boolean {
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The settings screen's view of the policy (nothing locked when there is no file). */
export function managedView(file: string, policy: ManagedPolicy | null): ManagedView {
  return { file, managedBy: policy?.managedBy ?? null, locked: policy?.locked ?? {} };
}

/** Throws LOCKED_BY_POLICY when the connection differs from the one IT locked; the same one may be saved again. */
export function refuseLockedConnection(policy: ManagedPolicy | null, connection: AppSettings['databaseConnection']): void {
  const locked = policy?.locked.databaseConnection;
  if (locked && !isDeepStrictEqual(locked, connection)) throw new AppError('LOCKED_BY_POLICY', lockedMessage('The database connection', policy.managedBy));
}

/**
 * This workstation's settings as the policy has them: a locked database connection is what every reader (start-up,
 * the settings screen) sees, and writing another one is refused. Everything else passes through.
 */
export function withManagedSettings(settings: SettingsStore, policy: ManagedPolicy | null): SettingsStore {
  const locked = policy?.locked.databaseConnection;
  const schedule = policy?.locked.backupSchedule;
  if (!policy || (!locked && !schedule)) return settings;
  return {
    get path() {
      return settings.path;
    },
    get<K extends keyof AppSettings>(key: K): AppSettings[K] {
      if (key === 'databaseConnection' && locked) return structuredClone(locked) as AppSettings[K];
      if (key === 'backupSchedule' && schedule) return structuredClone(schedule) as AppSettings[K];
      return settings.get(key);
    },
    set<K extends keyof AppSettings>(key: K, value: AppSettings[K]): void {
      if (key === 'databaseConnection' && locked) {
        refuseLockedConnection(policy, value as AppSettings['databaseConnection']);
        return;
      }
      if (key === 'backupSchedule' && schedule) {
        if (!isDeepStrictEqual(schedule, value)) throw new AppError('LOCKED_BY_POLICY', lockedMessage('The backup schedule', policy.managedBy));
        return;
      }
      settings.set(key, value);
    },
  };
}
