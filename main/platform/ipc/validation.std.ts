import type { z } from 'zod';

/** Field paths and rule messages only: a schema message never repeats the rejected value. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.');
    const message = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
    return path ? `${path}: ${message}` : message;
  });
  return `Invalid request — ${parts.join('; ')}`;
}
