/** Error codes the renderer can act on. Messages never carry PII, values or stacks. */
export const ERROR_CODES = [
  'UNTRUSTED_SENDER',
  'UNKNOWN_CHANNEL',
  'NOT_AUTHENTICATED',
  'SESSION_LOCKED',
  'PASSWORD_CHANGE_REQUIRED',
  'FORBIDDEN',
  'REAUTH_REQUIRED',
  'INVALID_INPUT',
  'INVALID_CREDENTIALS',
  'LOCKED_OUT',
  'NOT_FOUND',
  'CONFLICT',
  'CANCELLED',
  'SETUP_REQUIRED',
  'UNAVAILABLE',
  'INTERNAL',
  /** The setting is locked by the machine-wide managed settings IT deployed. */
  'LOCKED_BY_POLICY',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Thrown by services; the router turns it into an ApiError. The message must be safe to show. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
