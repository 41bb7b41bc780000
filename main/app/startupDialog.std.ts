import { StartupError } from '../platform/startupError.std.ts';

export interface ErrorBox {
  title: string;
  content: string;
}

const TITLE = 'iTechno Privacy Console cannot start';

/** What the person at the desk sees when the app refuses to open or crashes. Unexpected errors show no details: they could hold PII. */
export function startupFailureBox(error: unknown, logFile: string | null): ErrorBox {
  if (error instanceof StartupError) {
    const steps = error.recovery.map((step, index) => `${index + 1}. ${step}`).join('\n');
    return { title: TITLE, content: steps ? `${error.message}\n\nWhat to do:\n${steps}` : error.message };
  }
  const where = logFile ? `Technical details were written to:\n${logFile}` : 'No log file could be written.';
  return {
    title: 'iTechno Privacy Console stopped unexpectedly',
    content: `An unexpected error stopped the app. Changes that had not finished were not saved.\n\n${where}\n\nWhat to do:\n1. Restart the app.\n2. If it happens again, contact IT and mention the time it happened.`,
  };
}
