import type { z } from 'zod';

/**
 * Runs a contract schema (the same one main enforces) over a form's payload and returns @mantine/form errors
 * keyed by field path ("shippingAddress.city", "items.0.sku"). The first message per field wins.
 */
export function schemaErrors(schema: z.ZodType, payload: unknown): Record<string, string> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.') || 'form';
    if (!(path in errors)) errors[path] = issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'Required' : issue.message;
  }
  return errors;
}

/** Empty optional inputs are left out of the payload rather than sent as "". */
export function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed ? trimmed : undefined;
}
