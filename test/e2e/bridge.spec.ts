import { CONTENT_SECURITY_POLICY } from '../../main/app/csp.std.ts';
import { expect, test } from './harness.ts';

interface BridgeHost {
  privacyConsole: { invoke(channel: string, input: unknown): Promise<unknown> };
  document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null; querySelectorAll(selector: string): { length: number } };
}

test('index.html carries the app CSP, minus frame-ancestors which a meta tag cannot set', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('heading', { name: 'Set up the console' })).toBeVisible();
  const meta = await page.evaluate(() =>
    (globalThis as unknown as BridgeHost).document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
  );
  const expected = CONTENT_SECURITY_POLICY.split('; ').filter((directive) => !directive.startsWith('frame-ancestors'));
  expect(meta?.split('; ')).toEqual(expected);
  // Nothing may have slipped an inline <style> into the document (the CSP would have refused it anyway).
  const inlineStyles = await page.evaluate(() => (globalThis as unknown as BridgeHost).document.querySelectorAll('style').length);
  expect(inlineStyles).toBe(0);
});

test('the page reaches the core only through the known channels', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('heading', { name: 'Set up the console' })).toBeVisible();
  const refused = await page.evaluate(() => (globalThis as unknown as BridgeHost).privacyConsole.invoke('accounts.dropAll', {}));
  expect(refused).toEqual({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'Unknown channel' } });
  const denied = await page.evaluate(() => (globalThis as unknown as BridgeHost).privacyConsole.invoke('accounts.list', {}));
  expect(denied).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
});
