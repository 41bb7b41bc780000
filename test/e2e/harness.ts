import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import { build as esbuild } from 'esbuild';
import type { Core } from '../../main/core.contract.std.ts';
import { openCore } from '../../main/core.node.ts';
import { RENDERER_DIR_ENV } from './rendererDir.ts';
import { serveDirectory, type StaticServer } from './staticServer.ts';
import { directoryFileSaver, type TestFileSaver } from '../support/fileSavers.ts';
import { openTestVault } from '../support/vaults.ts';

export interface ConsoleApp {
  /** The first window, already showing the console. */
  page: Page;
  core: Core;
  dataDir: string;
  origin: string;
  /** Moves the core's clock forward; follow with core.sweepIdle() to apply the idle lock at once. */
  advanceTime(ms: number): void;
  /** Another window onto the same core, with its own session, like a second app window. */
  openWindow(): Promise<Page>;
  /** Channels the windows invoked, in the order they were handled: lets a test wait for a call the UI makes on its own, and its effect. */
  calls: string[];
  /** Console errors and uncaught exceptions from every window so far. */
  consoleErrors: string[];
  /** Content-Security-Policy violations reported by every window so far. */
  cspViolations: string[];
  /** Stands in for the save dialog: files "the user" saves land in a test directory (see fileSavers.ts). */
  files: TestFileSaver;
}

interface WorkerFixtures {
  server: StaticServer;
  bridgeScript: string;
}

/** The preload's bridge (main/app/bridge.std.ts) bundled for injection into the page's main world. */
async function bundleBridge(): Promise<string> {
  const result = await esbuild({
    entryPoints: [fileURLToPath(new URL('./bridgeEntry.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome130',
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no bridge bundle');
  return output.text;
}

/** Runs in the page before any of its scripts; reports violations so a run can prove there were none. */
function watchCspViolations(): void {
  interface ViolationEvent {
    violatedDirective: string;
    blockedURI: string;
    sourceFile: string;
    lineNumber: number;
  }
  interface Host {
    document: { addEventListener(type: 'securitypolicyviolation', listener: (event: ViolationEvent) => void): void };
    __pcReportCsp(text: string): Promise<void>;
  }
  const host = globalThis as unknown as Host;
  host.document.addEventListener('securitypolicyviolation', (event) => {
    void host.__pcReportCsp(`${event.violatedDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`);
  });
}

export const test = base.extend<{ app: ConsoleApp; managedSettings: object | null }, WorkerFixtures>({
  /** The machine-wide managed settings (managed.json) the core starts with; `test.use({ managedSettings })`. */
  managedSettings: [null, { option: true }],

  server: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the pattern even without dependencies
    async ({}, use) => {
      const rendererDir = process.env[RENDERER_DIR_ENV];
      if (!rendererDir) throw new Error('No renderer build: run the tests through playwright.config.ts, whose globalSetup builds it.');
      const server = await serveDirectory(rendererDir);
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],

  // eslint-disable-next-line no-empty-pattern -- as above
  bridgeScript: [async ({}, use) => use(await bundleBridge()), { scope: 'worker' }],

  app: async ({ page, context, server, bridgeScript, managedSettings }, use) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'itpc-e2e-'));
    // Never this machine's own /etc policy: none unless the test gives one.
    const managedSettingsFile = join(dataDir, 'managed.json');
    if (managedSettings) await writeFile(managedSettingsFile, JSON.stringify(managedSettings), { mode: 0o444 });
    const testVault = await openTestVault();
    let clockOffset = 0;
    // "Save where the user chooses" writes into exports/ of the test's data folder (no dialog in a browser).
    const files = directoryFileSaver(join(dataDir, 'exports'));
    const core = await openCore({ dataDir, vault: testVault.vault, clock: { now: () => Date.now() + clockOffset }, managedSettingsFile, fileSaver: files });
    const calls: string[] = [];
    const consoleErrors: string[] = [];
    const cspViolations: string[] = [];

    /** Gives a page the preload's API, wired to the core under a sender id of its own. */
    const bridge = async (target: Page) => {
      const senderId = `window-${randomUUID()}`;
      await target.exposeBinding('__pcInvoke', async (source, channel: unknown, input: unknown) => {
        // Mirrors main's check: only the top frame of our window, showing our origin, is trusted.
        const trusted = source.frame === target.mainFrame() && new URL(source.frame.url()).origin === server.origin;
        // Recorded once handled, so a test that waits for a call also waits for its effect (a session touched, say).
        const result = await core.handle({ senderId, trusted }, String(channel), input);
        calls.push(String(channel));
        return result;
      });
      await target.exposeBinding('__pcReportCsp', (_source, text: string) => void cspViolations.push(text));
      await target.addInitScript(watchCspViolations);
      await target.addInitScript({ content: bridgeScript });
      const stopEvents = core.onEvent((recipient, event, payload) => {
        if (recipient !== senderId || target.isClosed()) return;
        target
          .evaluate(([name, body]) => (globalThis as unknown as { __pcDeliver(e: string, p: unknown): void }).__pcDeliver(name, body), [event, payload] as const)
          .catch(() => undefined); // the window closed or navigated meanwhile
      });
      target.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      target.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
      target.on('close', () => {
        stopEvents();
        core.endSession(senderId);
      });
      await target.goto(`${server.origin}/index.html`);
    };

    await bridge(page);
    await use({
      page,
      core,
      dataDir,
      origin: server.origin,
      advanceTime: (ms) => void (clockOffset += ms),
      async openWindow() {
        const extra = await context.newPage();
        await bridge(extra);
        return extra;
      },
      calls,
      consoleErrors,
      cspViolations,
      files,
    });

    await context.close();
    await core.close();
    await testVault.dispose();
    await rm(dataDir, { recursive: true, force: true });
    await rm(files.dir, { recursive: true, force: true });
    // Checked after every test, so a clean run proves the whole suite ran without a single violation.
    expect(cspViolations, 'Content-Security-Policy violations').toEqual([]);
    expect(consoleErrors, 'console errors').toEqual([]);
  },
});

export { expect };
