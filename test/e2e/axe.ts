import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './harness.ts';

/** No serious or critical WCAG 2.1 A/AA violation, colour contrast included, in the light and the dark scheme. */
export async function expectAccessible(page: Page): Promise<void> {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const findings: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).withTags(tags).analyze();
    for (const v of results.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
      findings.push(...v.nodes.map((n) => `[${colorScheme}] ${v.id}: ${n.target.join(' ')} ${n.any[0]?.message ?? ''}`));
    }
  }
  await page.emulateMedia({ colorScheme: null });
  expect(findings).toEqual([]);
}
