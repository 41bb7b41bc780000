import { readFile } from 'node:fs/promises';
import { DEFAULT_THEME, defaultCssVariablesResolver, mergeMantineTheme } from '@mantine/core';
import { expect, test } from '@playwright/test';
import { theme } from '../../renderer/src/app/theme.ts';

/**
 * MantineProvider's inline variables are switched off for the CSP, so themeVariables.css must declare every
 * variable the theme changes from Mantine's defaults (which styles.css already carries).
 */
test('themeVariables.css declares every CSS variable the theme changes', async () => {
  const css = (await readFile(new URL('../../renderer/src/app/themeVariables.css', import.meta.url), 'utf8')).replace(/\s+/g, ' ');
  const defaults = defaultCssVariablesResolver(DEFAULT_THEME);
  const ours = defaultCssVariablesResolver(mergeMantineTheme(DEFAULT_THEME, theme));
  const missing: string[] = [];
  for (const scope of ['variables', 'light', 'dark'] as const) {
    const defaultValues: Record<string, string | undefined> = defaults[scope];
    for (const [name, value] of Object.entries(ours[scope])) {
      if (defaultValues[name] !== value && !css.includes(`${name}: ${value};`)) missing.push(`${scope} ${name}: ${value}`);
    }
  }
  expect(missing).toEqual([]);
});
