import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import pinoRoll from 'pino-roll';
import type { SonicBoom } from 'sonic-boom';

/** Log fields are ids, codes, counts and names of things — never payloads, values or messages from users. */
export type LogFields = Record<string, string | number | boolean | null>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  /** Logs the error's class, code and stack frames, but not its message, which could echo input. */
  error(event: string, error: unknown, fields?: LogFields): void;
  /** The file written now: `app.N.log`, N growing as the log rotates. */
  readonly file: string;
  /** Writes out what is still buffered and closes the file; later lines are dropped. */
  close(): Promise<void>;
}

export interface FileLoggerOptions {
  /** Size at which the log rolls over to the next file (pino-roll syntax: '10m', '1k' or megabytes). */
  maxSize?: string | number;
  /** Rolled-over files kept besides the current one; older ones are deleted. */
  keep?: number;
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

/** Only these fields describe an error: never `message`, never the Error object (pino's serializer would add it). */
function errorFields(error: unknown): LogFields {
  return {
    errorClass: error instanceof Error ? error.name : typeof error,
    errorCode: typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : null,
    stack: stackFrames(error),
  };
}

/**
 * JSON lines through pino into `dir/app.N.log`, rolled over by size (pino-roll) and written asynchronously by
 * sonic-boom in this thread: no worker-thread transport, so the bundled Electron main and plain Node behave alike.
 */
export async function createFileLogger(dir: string, options: FileLoggerOptions = {}): Promise<Logger> {
  mkdirSync(dir, { recursive: true });
  // sonic-boom sets these at run time; its type declarations omit them.
  const stream: SonicBoom & { file?: string; destroyed?: boolean } = await pinoRoll({
    file: join(dir, 'app'),
    extension: '.log',
    size: options.maxSize ?? '10m',
    limit: { count: options.keep ?? 5 },
    mkdir: true,
    sync: false,
  });
  // A full disk or a removed folder must not take the app down with an unhandled 'error' event.
  stream.on('error', () => undefined);
  const log = pino(
    {
      base: null,
      messageKey: 'event',
      timestamp: () => `,"at":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  let closed: Promise<void> | null = null;
  const write = (level: 'info' | 'warn' | 'error', event: string, fields: LogFields = {}) => {
    if (!closed) log[level](fields, event);
  };
  return {
    get file() {
      return stream.file ?? join(dir, 'app.1.log');
    },
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, error, fields) => write('error', event, { ...fields, ...errorFields(error) }),
    close() {
      closed ??= new Promise<void>((resolve) => {
        if (stream.destroyed) return resolve();
        stream.once('close', () => resolve());
        stream.end();
      });
      return closed;
    },
  };
}
