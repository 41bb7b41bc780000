import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { empty } from '../../platform/ipc/schemas.std.ts';
import { managedView } from '../../platform/settings/managedPolicy.std.ts';
import { MAX_MIN_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../accounts/accounts.contract.std.ts';

/**
 * Office-wide settings: one value for every workstation sharing the database (kept in its `office_settings`
 * table). Workstation settings (database connection, window state) stay in the workstation's own settings file.
 * They never hold a secret or PII.
 */
/** Locales the console formats dates in (the office's choice); anything else is refused, never guessed. */
export const OFFICE_LOCALES = ['en-GB', 'en-US', 'en-IE', 'de-DE', 'fr-FR', 'nl-NL', 'es-ES', 'it-IT', 'sv-SE', 'fi-FI', 'pl-PL'] as const;
export type OfficeLocale = (typeof OFFICE_LOCALES)[number];
export const OFFICE_LOCALE_LABELS: Record<OfficeLocale, string> = {
  'en-GB': 'English (United Kingdom)',
  'en-US': 'English (United States)',
  'en-IE': 'English (Ireland)',
  'de-DE': 'German (Germany)',
  'fr-FR': 'French (France)',
  'nl-NL': 'Dutch (Netherlands)',
  'es-ES': 'Spanish (Spain)',
  'it-IT': 'Italian (Italy)',
  'sv-SE': 'Swedish (Sweden)',
  'fi-FI': 'Finnish (Finland)',
  'pl-PL': 'Polish (Poland)',
};

export const consoleSettings = z.object({
  /** Minutes without activity before a session locks. */
  idleLockMinutes: z.number().int().min(1).max(120),
  /** Days a closed customer's record is kept before it is due for deletion. */
  retentionDays: z.number().int().min(30).max(3650),
  /** Days within which a customer's request (correction, access, deletion) must be answered. */
  requestDeadlineDays: z.number().int().min(1).max(90),
  /** Minimum length of new passwords (issue #11); never below the built-in floor. No expiry: current guidance. */
  minPasswordLength: z.number().int().min(MIN_PASSWORD_LENGTH).max(MAX_MIN_PASSWORD_LENGTH),
  /** How dates and times are written everywhere in the console (issue #13). */
  locale: z.enum(OFFICE_LOCALES, { message: `Choose one of: ${OFFICE_LOCALES.join(', ')}` }),
});
export type ConsoleSettings = z.infer<typeof consoleSettings>;

export const CONSOLE_SETTINGS_DEFAULTS: ConsoleSettings = {
  idleLockMinutes: 10,
  retentionDays: 90,
  requestDeadlineDays: 30,
  minPasswordLength: MIN_PASSWORD_LENGTH,
  locale: 'en-GB',
};

export const settingsChannels = {
  'settings.get': channel({
    input: empty,
    output: consoleSettings,
    access: { kind: 'permission', permission: 'settings.manage' },
  }),
  'settings.update': channel({
    input: consoleSettings.partial().strict(),
    output: consoleSettings,
    access: { kind: 'permission', permission: 'settings.manage' },
    audit: 'settings.updated',
  }),
  /** Which settings IT locked on this workstation (managed settings), to what, and by whom. */
  'settings.managed': channel({
    input: empty,
    output: managedView,
    access: { kind: 'permission', permission: 'settings.manage' },
  }),
};
