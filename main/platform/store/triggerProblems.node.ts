import type { ProtectiveTrigger, TriggerProblem } from './dialect.node.ts';

/**
 * How the triggers found on a protected table differ from those the app created: each expected one missing,
 * changed or disabled, and any other one (which could undo the protection, e.g. copy rows out and back).
 */
export function triggerProblems(
  expected: readonly ProtectiveTrigger[],
  present: readonly { name: string; definition: string; enabled: boolean }[],
): TriggerProblem[] {
  const problems: TriggerProblem[] = [];
  for (const trigger of expected) {
    const found = present.find((row) => row.name === trigger.name);
    if (!found) problems.push({ trigger: trigger.name, problem: 'missing' });
    else if (found.definition !== trigger.definition) problems.push({ trigger: trigger.name, problem: 'changed' });
    else if (!found.enabled) problems.push({ trigger: trigger.name, problem: 'disabled' });
  }
  for (const row of present) {
    if (!expected.some((trigger) => trigger.name === row.name)) problems.push({ trigger: row.name, problem: 'unexpected' });
  }
  return problems;
}
