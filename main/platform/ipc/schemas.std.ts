import { z } from 'zod';

/** Shared building blocks for contracts. Control characters are refused everywhere text is accepted. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/;

export function text(max: number, min = 1) {
  return z
    .string()
    .trim()
    .min(min, { message: min === 1 ? 'Required' : `At least ${min} characters` })
    .max(max, { message: `At most ${max} characters` })
    .refine((s) => !CONTROL_CHARS.test(s), { message: 'Contains control characters' });
}

/** `text()` allows line breaks and tabs (notes, reasons); names and address lines are one line. */
export function line(max: number) {
  return text(max).refine((s) => !/[\t\n\r]/.test(s), { message: 'Must be a single line (no line breaks or tabs)' });
}

export const id = z.string().uuid({ message: 'Not a valid id' });
export const empty = z.object({}).strict();
export const ok = z.object({ ok: z.literal(true) });
