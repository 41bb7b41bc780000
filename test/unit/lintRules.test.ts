import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

/**
 * The lint rules that keep the layers are code too: each is run here on small in-memory files through the
 * repository's own eslint.config.js, so a rule that silently stops matching fails this test.
 */
const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: root });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

async function assertFlags(filePath: string, code: string, rule: string): Promise<void> {
  const found = await problems(filePath, code);
  assert.ok(found.some((p) => p.startsWith(`${rule}:`)), `${filePath}: expected ${rule}, got ${JSON.stringify(found)}`);
}

async function assertClean(filePath: string, code: string): Promise<void> {
  assert.deepEqual(await problems(filePath, code), [], filePath);
}

describe('lint: layers', () => {
  it('platform imports no feature, no shared domain code and not the composition root', async () => {
    await assertFlags('main/platform/ipc/probe.node.ts', "export type { Session } from '../../features/session/sessionManager.node.ts';\n", 'local/layers');
    await assertFlags('main/platform/ipc/probe.node.ts', "export type { ChannelName } from '../../api.std.ts';\n", 'local/layers');
    await assertFlags('main/platform/probe.std.ts', "export { POLICY_VERSION } from '../shared/policy.std.ts';\n", 'local/layers');
    await assertFlags('main/platform/store/migrations/probe.node.ts', "export const x = import('../../../core.node.ts');\n", 'local/layers');
    await assertClean('main/platform/ipc/probe.node.ts', "export type { Queryable } from '../store/database.node.ts';\n");
  });

  it('a feature reaches another only through its contract or a port', async () => {
    await assertFlags('main/features/orders/probe.node.ts', "export type { CustomerStore } from '../customers/customerStore.node.ts';\n", 'local/layers');
    await assertFlags('main/features/orders/probe.std.ts', "export { POLICY_VERSION } from '../customers/customerFields.std.ts';\n", 'local/layers');
    await assertFlags('main/features/orders/probe.node.ts', "export type { Core } from '../../core.contract.std.ts';\n", 'local/layers');
    await assertClean('main/features/orders/probe.node.ts', "export { hasConsent } from '../customers/customers.port.node.ts';\n");
    await assertClean('main/features/orders/probe.std.ts', "export { customerRow } from '../customers/customers.contract.std.ts';\n");
    await assertClean('main/features/orders/probe.node.ts', "export { maskCard } from './card.std.ts';\n");
    await assertClean('main/features/orders/probe.std.ts', "export { address } from '../../shared/address.std.ts';\n");
  });

  it('shared code imports only shared and platform code', async () => {
    await assertFlags('main/shared/probe.std.ts', "export { orderView } from '../features/orders/orders.contract.std.ts';\n", 'local/layers');
    await assertClean('main/shared/probe.std.ts', "export { line } from '../platform/ipc/schemas.std.ts';\n");
  });

  it('the composition root may import anything', async () => {
    await assertClean('main/probe.node.ts', "export { CustomerStore } from './features/customers/customerStore.node.ts';\n");
  });
});

describe('lint: runtime suffixes', () => {
  it('*.std.ts uses no Node global at run time (types are fine)', async () => {
    await assertFlags('main/shared/probe.std.ts', "export const bytes = Buffer.from('x');\n", 'no-restricted-globals');
    await assertFlags('main/features/orders/probe.std.ts', 'export const env = process.env;\n', 'no-restricted-globals');
    await assertFlags('main/probe.std.ts', 'export const here = __dirname;\n', 'no-restricted-globals');
    await assertClean('main/shared/probe.std.ts', 'export type Bytes = Buffer;\n');
    await assertClean('main/shared/probe.node.ts', "export const bytes = Buffer.from('x');\n");
  });

  it('*.std.ts imports no Node builtin and *.node.ts no Electron', async () => {
    await assertFlags('main/shared/probe.std.ts', "import { join } from 'node:path';\nexport const j = join;\n", '@typescript-eslint/no-restricted-imports');
    await assertFlags('main/shared/probe.node.ts', "import { app } from 'electron';\nexport const a = app;\n", '@typescript-eslint/no-restricted-imports');
  });
});
