import { readFile, writeFile } from 'node:fs/promises';
import { DEFAULT_THEME, defaultCssVariablesResolver, mergeMantineTheme } from '@mantine/core';
import { expect, test } from '@playwright/test';
import { CONTRAST_VARIABLES } from '../../renderer/src/app/contrastVariables.ts';
import { theme } from '../../renderer/src/app/theme.ts';

const CSS_FILE = new URL('../../renderer/src/app/themeVariables.css', import.meta.url);
const SCOPES = { variables: ':root', light: ":root[data-mantine-color-scheme='light']", dark: ":root[data-mantine-color-scheme='dark']" } as const;

/** Every variable the theme changes from Mantine's defaults (which styles.css already carries), then the contrast fixes. */
function expectedVariables(): Record<keyof typeof SCOPES, Record<string, string>> {
  const defaults = defaultCssVariablesResolver(DEFAULT_THEME);
  const ours = defaultCssVariablesResolver(mergeMantineTheme(DEFAULT_THEME, theme));
  const expected = { variables: {}, light: {}, dark: {} } as Record<keyof typeof SCOPES, Record<string, string>>;
  for (const scope of Object.keys(SCOPES) as (keyof typeof SCOPES)[]) {
    const defaultValues: Record<string, string | undefined> = defaults[scope];
    for (const [name, value] of Object.entries(ours[scope])) if (defaultValues[name] !== value) expected[scope][name] = value;
  }
  Object.assign(expected.light, CONTRAST_VARIABLES.light);
  Object.assign(expected.dark, CONTRAST_VARIABLES.dark);
  return expected;
}

function render(expected: ReturnType<typeof expectedVariables>): string {
  const blocks = (Object.keys(SCOPES) as (keyof typeof SCOPES)[]).map((scope) => {
    const lines = Object.entries(expected[scope]).map(([name, value]) => `  ${name}: ${value};`);
    return `${SCOPES[scope]} {\n${lines.join('\n')}\n}\n`;
  });
  return [
    '/*',
    ' * Static copy of the CSS variables MantineProvider would inject for theme.ts, plus the contrast fixes of',
    ' * contrastVariables.ts (see the comments there). Written by test/e2e/themeVariables.spec.ts: run it with',
    ' * UPDATE_THEME_VARIABLES=1 after changing either file.',
    ' */',
    blocks.join('\n'),
  ].join('\n');
}

/**
 * MantineProvider's inline variables are switched off for the CSP, so themeVariables.css must declare every
 * variable the theme changes from Mantine's defaults, and the contrast fixes for both colour schemes.
 */
test('themeVariables.css declares every CSS variable the theme changes, and the contrast fixes', async () => {
  const expected = expectedVariables();
  if (process.env.UPDATE_THEME_VARIABLES) await writeFile(CSS_FILE, render(expected));
  const css = (await readFile(CSS_FILE, 'utf8')).replace(/\s+/g, ' ');
  const missing: string[] = [];
  for (const scope of Object.keys(SCOPES) as (keyof typeof SCOPES)[]) {
    const block = css.split(`${SCOPES[scope]} {`)[1]?.split('}')[0] ?? '';
    for (const [name, value] of Object.entries(expected[scope])) if (!block.includes(`${name}: ${value};`)) missing.push(`${scope} ${name}: ${value}`);
  }
  expect(missing).toEqual([]);
});
