import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import ts from 'typescript';
import { CHANNEL_NAMES } from '../../main/api.std.ts';
import { resolveAppFile, serveAppRequest } from '../../main/app/appProtocol.node.ts';
import { APP_ENTRY_URL, isAppUrl } from '../../main/app/appUrl.std.ts';
import { createBridge, type BridgeTransport } from '../../main/app/bridge.std.ts';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META } from '../../main/app/csp.std.ts';
import {
  denyPermissionCheck,
  denyPermissionRequest,
  denyWindowOpen,
  guardNavigation,
  isTrustedFrame,
} from '../../main/app/guards.std.ts';
import { appMenuTemplate } from '../../main/app/menu.std.ts';
import { startupFailureBox } from '../../main/app/startupDialog.std.ts';
import { StartupError } from '../../main/platform/startupError.std.ts';

const FOREIGN_URLS = [
  'file:///etc/passwd',
  'http://console/index.html',
  'https://example.com/',
  'app://evil/index.html',
  'app://console.evil/index.html',
  'app://console:8080/index.html',
  'app://user@console/index.html',
  'app://console/../../etc/passwd',
  'app://console/assets/../../secret',
  'app://console/%2e%2e/secret',
  'app://console/..%2fsecret',
  'app://console/..%5csecret',
  'app://console/a\\..\\secret',
  'app://console/index.html%00.png',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'about:blank',
  'not a url',
  '',
];

const REPO = join(import.meta.dirname, '..', '..');

/** The literal object passed to `new BrowserWindow(...)` in main.main.ts, as property → source text. */
function browserWindowLiteral(): { top: Map<string, string>; webPreferences: Map<string, string>; calls: number } {
  const file = join(REPO, 'main', 'app', 'main.main.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const props = (literal: ts.ObjectLiteralExpression) =>
    new Map(
      literal.properties.map((p) => {
        assert.ok(ts.isPropertyAssignment(p), `only plain properties (no spread, no shorthand): ${p.getText()}`);
        return [p.name.getText(), p.initializer.getText()] as const;
      }),
    );
  const found: ts.ObjectLiteralExpression[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && node.expression.getText() === 'BrowserWindow') {
      const arg = node.arguments?.[0];
      assert.ok(arg && ts.isObjectLiteralExpression(arg), 'new BrowserWindow gets an object literal, so scanners can read it');
      found.push(arg);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const literal = found[0];
  assert.ok(literal, 'main.main.ts creates a BrowserWindow');
  const top = props(literal);
  const prefs = literal.properties.find((p) => p.name?.getText() === 'webPreferences');
  assert.ok(prefs && ts.isPropertyAssignment(prefs) && ts.isObjectLiteralExpression(prefs.initializer), 'webPreferences is a literal');
  return { top, webPreferences: props(prefs.initializer), calls: found.length };
}

test('window options keep the renderer isolated (literal at the BrowserWindow call, readable by scanners)', () => {
  const { top, webPreferences, calls } = browserWindowLiteral();
  assert.equal(calls, 1, 'one window, created in one place');
  assert.equal(top.get('show'), 'false');
  assert.deepEqual(Object.fromEntries(webPreferences), {
    preload: 'preloadPath',
    contextIsolation: 'true',
    sandbox: 'true',
    nodeIntegration: 'false',
    nodeIntegrationInWorker: 'false',
    nodeIntegrationInSubFrames: 'false',
    webSecurity: 'true',
    allowRunningInsecureContent: 'false',
    experimentalFeatures: 'false',
    disableBlinkFeatures: "'Auxclick'",
    webviewTag: 'false',
    spellcheck: 'false',
    devTools: '!app.isPackaged',
    navigateOnDragDrop: 'false',
    safeDialogs: 'true',
  });
});

test('the renderer page carries the CSP as a meta tag too, identical to the header minus frame-ancestors', () => {
  const html = readFileSync(join(REPO, 'renderer', 'index.html'), 'utf8');
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/i.exec(html);
  assert.ok(meta, 'index.html has a CSP meta tag a scanner can read');
  assert.equal(meta[1], CONTENT_SECURITY_POLICY_META);
  // The meta tag must come before any script or stylesheet, or it would not apply to them.
  assert.ok(html.indexOf('Content-Security-Policy') < html.search(/<script|<link rel="stylesheet"/i));
});

test('CSP allows only same-origin resources and no inline or eval script', () => {
  assert.equal(
    CONTENT_SECURITY_POLICY,
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
  for (const policy of [CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META]) {
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|\*|http:|https:/);
  }
  assert.equal(CONTENT_SECURITY_POLICY_META, CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
});

test('only app://console URLs are app URLs', () => {
  assert.equal(isAppUrl(APP_ENTRY_URL), true);
  assert.equal(isAppUrl('app://console/'), true);
  assert.equal(isAppUrl('app://console/accounts?page=2#top'), true);
  for (const url of FOREIGN_URLS) assert.equal(isAppUrl(url), false, url);
});

test('navigation and redirects away from the app are prevented', () => {
  const navigate = (url: string) => {
    let prevented = false;
    guardNavigation({ url, preventDefault: () => void (prevented = true) });
    return prevented;
  };
  assert.equal(navigate('app://console/index.html'), false);
  for (const url of FOREIGN_URLS) assert.equal(navigate(url), true, url);
});

test('new windows and permissions are denied', () => {
  assert.deepEqual(denyWindowOpen(), { action: 'deny' });
  const answers: boolean[] = [];
  for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
    denyPermissionRequest(null, permission, (granted) => answers.push(granted));
  }
  assert.deepEqual(answers, [false, false, false, false, false]);
  assert.equal(denyPermissionCheck(), false);
});

test('only the top frame of our window on the app origin is a trusted IPC sender', () => {
  const top = { url: APP_ENTRY_URL, processId: 4, frameToken: 'top' };
  assert.equal(isTrustedFrame(top, top), true);
  assert.equal(isTrustedFrame({ ...top }, top), true, 'compared by identity fields, not object identity');
  assert.equal(isTrustedFrame(top, null), false, 'not one of our windows');
  assert.equal(isTrustedFrame(null, top), false, 'frame gone');
  assert.equal(isTrustedFrame({ ...top, frameToken: 'child' }, top), false, 'subframe');
  assert.equal(isTrustedFrame({ ...top, processId: 5 }, top), false, 'other process');
  assert.equal(isTrustedFrame({ ...top, url: 'https://example.com/' }, { ...top, url: 'https://example.com/' }), false);
});

test('the app menu has no items that open remote content', () => {
  for (const isMac of [true, false]) {
    const packaged = JSON.stringify(appMenuTemplate({ isMac, isPackaged: true }));
    assert.doesNotMatch(packaged, /click|help|http|toggleDevTools|reload/i);
  }
  assert.match(JSON.stringify(appMenuTemplate({ isMac: false, isPackaged: false })), /toggleDevTools/);
});

test('startup errors show the message and numbered recovery steps', () => {
  const box = startupFailureBox(new StartupError('KEY_MISSING', 'The key is missing.', ['Restore the keychain.', 'Call IT.']), null);
  assert.equal(box.content, 'The key is missing.\n\nWhat to do:\n1. Restore the keychain.\n2. Call IT.');
  const unexpected = startupFailureBox(new Error('SELECT * FROM people WHERE email = ada@example.com'), '/data/logs/app.log');
  assert.doesNotMatch(unexpected.content, /ada@example\.com/);
  assert.match(unexpected.content, /\/data\/logs\/app\.log/);
});

test('the bridge refuses unknown channels and events before any IPC', async () => {
  const sent: unknown[][] = [];
  const pushed: ((event: unknown, payload: unknown) => void)[] = [];
  const transport: BridgeTransport = {
    invoke: async (channel, input) => {
      sent.push([channel, input]);
      return { ok: true, value: 'from-main' };
    },
    subscribe: (listener) => {
      pushed.push(listener);
      return () => pushed.splice(pushed.indexOf(listener), 1);
    },
  };
  const bridge = createBridge(transport);
  const loose = bridge as unknown as { invoke(c: unknown, i: unknown): Promise<unknown>; on(e: unknown, l: unknown): unknown };

  const refused = await loose.invoke('fs.readFile', {});
  assert.deepEqual(refused, { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'Unknown channel' } });
  assert.equal((await loose.invoke({ toString: () => 'session.status' }, {}) as { ok: boolean }).ok, false);
  assert.deepEqual(sent, []);

  const channel = CHANNEL_NAMES[0];
  assert.ok(channel);
  assert.deepEqual(await loose.invoke(channel, {}), { ok: true, value: 'from-main' });
  assert.deepEqual(sent, [[channel, {}]]);

  assert.throws(() => loose.on('ipc-internal', () => {}), TypeError);
  const received: unknown[] = [];
  const unsubscribe = bridge.on('session.locked', (payload) => received.push(payload));
  pushed.forEach((listener) => listener('progress', { taskId: 't', done: 1, total: 2 }));
  pushed.forEach((listener) => listener('session.locked', { reason: 'idle' }));
  unsubscribe();
  pushed.forEach((listener) => listener('session.locked', { reason: 'manual' }));
  assert.deepEqual(received, [{ reason: 'idle' }]);
});

test('a failing transport becomes an INTERNAL result, not a thrown error', async () => {
  const bridge = createBridge({ invoke: () => Promise.reject(new Error('boom')), subscribe: () => () => {} });
  const result = await bridge.invoke(CHANNEL_NAMES[0]!, {} as never);
  assert.deepEqual(result, { ok: false, error: { code: 'INTERNAL', message: 'The request could not be completed.' } });
});

const root = mkdtempSync(join(tmpdir(), 'itpc-protocol-'));
const rendererDir = join(root, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>console</title>');
writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
writeFileSync(join(root, 'secret.txt'), 'outside the renderer build');
symlinkSync(join(root, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
after(() => rmSync(root, { recursive: true, force: true }));

test('the app protocol resolves files only under the renderer build', async () => {
  assert.equal(await resolveAppFile(rendererDir, 'app://console/assets/app.js'), join(rendererDir, 'assets', 'app.js'));
  assert.equal(await resolveAppFile(rendererDir, 'app://console/'), join(rendererDir, 'index.html'));
  assert.equal(await resolveAppFile(rendererDir, 'app://console/accounts'), join(rendererDir, 'index.html'), 'client route');
  for (const url of [
    ...FOREIGN_URLS,
    'app://console/assets/link.txt',
    `app://console/${join(root, 'secret.txt')}`,
    'app://console/%E0.js',
    'app://console/missing.js',
    'app://console/assets.txt',
  ]) {
    assert.equal(await resolveAppFile(rendererDir, url), null, url);
  }
});

test('the app protocol answers with the CSP header and refuses writes', async () => {
  const ok = await serveAppRequest(new Request('app://console/assets/app.js'), rendererDir);
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  assert.equal(ok.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(ok.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(await ok.text(), 'export {};');

  const traversal = await serveAppRequest(new Request('app://console/..%2fsecret.txt'), rendererDir);
  assert.equal(traversal.status, 404);
  assert.equal(traversal.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  assert.doesNotMatch(await traversal.text(), /outside/);

  const post = await serveAppRequest(new Request('app://console/index.html', { method: 'POST', body: 'x' }), rendererDir);
  assert.equal(post.status, 405);
});
