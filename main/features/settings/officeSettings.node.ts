import type { Clock } from '../../platform/clock.std.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { lockedMessage, type ManagedPolicy } from '../../platform/settings/managedPolicy.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { CONSOLE_SETTINGS_DEFAULTS, consoleSettings, type ConsoleSettings } from './settings.contract.std.ts';

export const OFFICE_SETTINGS_TABLE = 'office_settings';

interface OfficeSettingRow {
  key: string;
  value: string;
}

const KEYS = Object.keys(CONSOLE_SETTINGS_DEFAULTS) as (keyof ConsoleSettings)[];

const SETTING_NAMES: Record<keyof ConsoleSettings, string> = {
  idleLockMinutes: 'The idle lock',
  locale: 'The date format (locale)',
  retentionDays: 'The retention period',
  requestDeadlineDays: 'The request deadline',
  minPasswordLength: 'The minimum password length',
};

/**
 * Settings that hold for the whole office, in the database every workstation shares: one row per setting, a
 * missing row meaning the default. A copy is kept in memory for the checks that run on every call (the idle
 * lock); it is refreshed by the periodic sweep, so a change made on another workstation applies within seconds.
 */
export class OfficeSettings {
  private current: ConsoleSettings = { ...CONSOLE_SETTINGS_DEFAULTS };

  /** Office settings IT locked on this workstation (managed settings): they win over the database's values. */
  private readonly locked: Partial<ConsoleSettings>;

  constructor(
    private readonly clock: Pick<Clock, 'nowIso'>,
    private readonly policy: ManagedPolicy | null = null,
  ) {
    // Managed settings lock the numeric office settings; the locale is not among what they can lock.
    const lockable = (key: keyof ConsoleSettings): key is keyof ManagedPolicy['locked'] & keyof ConsoleSettings => key in (policy?.locked ?? {});
    this.locked = Object.fromEntries(KEYS.filter(lockable).map((key) => [key, policy!.locked[key]]));
  }

  /** The last values read or written (never older than one sweep). */
  cached(): ConsoleSettings {
    return this.current;
  }

  /** Reads every setting; a stored value that no longer validates falls back to its default. */
  async refresh(q: Queryable): Promise<ConsoleSettings> {
    const rows = await q<OfficeSettingRow>(OFFICE_SETTINGS_TABLE).whereIn('key', KEYS).select('key', 'value');
    const next: ConsoleSettings = { ...CONSOLE_SETTINGS_DEFAULTS };
    for (const row of rows) {
      const key = row.key as keyof ConsoleSettings;
      const parsed = consoleSettings.shape[key].safeParse(safeJson(row.value));
      if (parsed.success) (next as Record<string, unknown>)[key] = parsed.data;
    }
    Object.assign(next, this.locked);
    this.current = next;
    return next;
  }

  /**
   * Writes the given settings (upsert, one row each) and returns the names of those whose value changed. A setting
   * IT locked may be sent only with its locked value (a form sends all its fields); any other value refuses the
   * whole update, before anything is written.
   */
  async update(q: Queryable, changes: Partial<ConsoleSettings>, actorId: string | null): Promise<{ settings: ConsoleSettings; fields: string[] }> {
    for (const key of KEYS) {
      if (this.locked[key] !== undefined && changes[key] !== undefined && changes[key] !== this.locked[key]) {
        throw new AppError('LOCKED_BY_POLICY', lockedMessage(SETTING_NAMES[key], this.policy!.managedBy));
      }
    }
    const before = await this.refresh(q);
    const fields = KEYS.filter((key) => changes[key] !== undefined && changes[key] !== before[key]);
    const now = this.clock.nowIso();
    for (const key of fields) {
      await q(OFFICE_SETTINGS_TABLE)
        .insert({ key, value: JSON.stringify(changes[key]), updated_at: now, updated_by: actorId })
        .onConflict('key')
        .merge(['value', 'updated_at', 'updated_by']);
    }
    return { settings: await this.refresh(q), fields };
  }

  /**
   * First open after the upgrade: a value this workstation kept in its own settings file moves into the database,
   * unless the office already has one there (the first workstation to open wins; the others adopt its value).
   */
  async adoptWorkstationValues(q: Queryable, values: Partial<ConsoleSettings>): Promise<void> {
    const now = this.clock.nowIso();
    for (const key of KEYS) {
      const parsed = consoleSettings.shape[key].safeParse(values[key]);
      if (!parsed.success) continue;
      await q(OFFICE_SETTINGS_TABLE).insert({ key, value: JSON.stringify(parsed.data), updated_at: now, updated_by: null }).onConflict('key').ignore();
    }
  }
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
