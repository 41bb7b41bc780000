import type { Queryable } from '../../platform/store/database.node.ts';
import { OfficeSettings } from './officeSettings.node.ts';
import type { ConsoleSettings } from './settings.contract.std.ts';

/** What other features may use of settings. */

/** The office-wide settings as stored now (defaults for missing rows), read inside the caller's transaction. */
export function officeSettingsIn(q: Queryable): Promise<ConsoleSettings> {
  // Reading needs no clock; only writes stamp a time.
  return new OfficeSettings({ nowIso: () => new Date().toISOString() }).refresh(q);
}
