import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Log fields are ids, codes, counts and names of things — never payloads, values or messages from users. */
export type LogFields = Record<string, string | number | boolean | null>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  /** Logs the error's class, code and stack frames, but not its message, which could echo input. */
  error(event: string, error: unknown, fields?: LogFields): void;
  readonly file: string;
}

export function stackFrames(error: unknown): string | null {
  if (!(error instanceof Error) || !error.stack) return null;
  return error.stack
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 8)
    .map((line) => line.trim())
    .join(' | ');
}

export function createFileLogger(dir: string): Logger {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'app.log');
  const write = (level: string, event: string, fields: LogFields = {}) => {
    appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), level, event, ...fields })}\n`);
  };
  return {
    file,
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, error, fields) =>
      write('error', event, {
        ...fields,
        errorClass: error instanceof Error ? error.name : typeof error,
        errorCode: typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : null,
        stack: stackFrames(error),
      }),
  };
}
