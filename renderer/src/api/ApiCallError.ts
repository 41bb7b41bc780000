import type { ApiError, ErrorCode } from '../../../main/platform/ipc/errors.std';

/** A refusal from main, carrying its code so callers can react and its message (safe to show) for people. */
export class ApiCallError extends Error {
  readonly code: ErrorCode;

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiCallError) return error.message;
  return 'Something went wrong. Try again, and contact IT if it keeps happening.';
}
