export type StartupErrorCode =
  | 'DB_NEWER'
  | 'APP_OUTDATED'
  | 'KEY_MISSING'
  | 'KEY_MISMATCH'
  | 'KEY_CHECK_MISSING'
  | 'KEYCHAIN_UNAVAILABLE'
  | 'DUPLICATE_RECORDS'
  | 'AUDIT_UNPROTECTED'
  | 'DB_CONNECTION'
  | 'MANAGED_SETTINGS_INVALID';

/** Why the app refuses to open, with steps a person can follow. Never carries PII or key material. */
export class StartupError extends Error {
  constructor(
    readonly code: StartupErrorCode,
    message: string,
    readonly recovery: readonly string[],
  ) {
    super(message);
    this.name = 'StartupError';
  }
}
