import Store from 'electron-store';
import { SETTINGS_SCHEMA, type AppSettings, type SettingsStore } from '../platform/settings/settings.node.ts';

/** settings.json in userData, validated by the same schema conf uses under plain Node. */
export function openElectronSettings(): SettingsStore {
  return new Store<AppSettings>({ name: 'settings', schema: SETTINGS_SCHEMA });
}
