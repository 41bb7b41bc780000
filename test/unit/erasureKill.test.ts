/**
 * Deletions against a killed process and a second workstation: a kill -9 during single deletions or a retention
 * batch leaves every customer either whole or completely deleted (and the batch finishes after reopening); two
 * managers approving one request at once on two workstations give exactly one decision and one deletion.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Knex } from 'knex';
import type { ApiResult } from '../../main/platform/ipc/errors.std.ts';
import { openDatabase } from '../../main/platform/store/database.node.ts';
import { ADMIN, startCore, tempDir } from '../support/core.ts';
import { PASSWORD, sampleCustomer, sampleOrder, startCustomerCore, USERS, type CustomerTestCore } from '../support/customers.ts';
import { openTestDb } from '../support/database.ts';
import { DirectoryVault } from '../support/fileVault.ts';
import { race, sharedTestDatabase } from '../support/races.ts';

/** Rows about one customer, by table (orders' children through its orders). */
async function footprint(db: Knex, id: string) {
  const orders = (await db('orders').where({ customer_id: id }).select<{ id: string }[]>('id')).map((r) => r.id);
  const count = async (table: string, column: string, values: string[]) =>
    values.length ? Number((await db(table).whereIn(column, values).count<{ n: number }[]>('* as n'))[0]!.n) : 0;
  return {
    customers: await count('customers', 'id', [id]),
    customer_keys: await count('customer_keys', 'customer_id', [id]),
    customer_consents: await count('customer_consents', 'customer_id', [id]),
    orders: orders.length,
    order_items: await count('order_items', 'order_id', orders),
    tombstone: await count('deletion_tombstones', 'id', [id]),
    ledger: await count('deletion_ledger', 'customer_id', [id]),
  };
}

/** Whole (every row, no tombstone) or completely deleted (no row, tombstone and ledger entry): never in between. */
async function wholeOrGone(db: Knex, ids: readonly string[], withOrders: ReadonlySet<string>): Promise<{ whole: number; gone: number }> {
  let whole = 0;
  let gone = 0;
  for (const id of ids) {
    const f = await footprint(db, id);
    const isWhole = f.customers === 1 && f.customer_keys === 1 && f.customer_consents > 0 && f.orders === (withOrders.has(id) ? 1 : 0) && f.order_items === (withOrders.has(id) ? 2 : 0) && f.tombstone === 0 && f.ledger === 0;
    const isGone = f.customers === 0 && f.customer_keys === 0 && f.customer_consents === 0 && f.orders === 0 && f.order_items === 0 && f.tombstone === 1 && f.ledger === 1;
    assert.ok(isWhole || isGone, `customer ${id} is half deleted: ${JSON.stringify(f)}`);
    if (isWhole) whole += 1;
    else gone += 1;
  }
  return { whole, gone };
}

async function seed(t: CustomerTestCore, count: number): Promise<{ ids: string[]; withOrders: Set<string> }> {
  const ids: string[] = [];
  const withOrders = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const id = (await t.as('staff', 'customers.create', { ...sampleCustomer({ email: `kill${i}@erasure.test` }), consents: { newsletter: true }, consentChannel: 'email' })).customer.id as string;
    if (i % 5 === 0) {
      await t.as('staff', 'orders.create', sampleOrder(id));
      withOrders.add(id);
    }
    ids.push(id);
  }
  return { ids, withOrders };
}

/** Runs the child until `kill(line)` says so, then SIGKILLs it; returns its output. */
async function runAndKill(args: string[], kill: (output: string) => boolean): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../support/erasureChild.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let killed = false;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
    if (!killed && kill(output)) {
      killed = true;
      child.kill('SIGKILL');
    }
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
  assert.equal(signal, 'SIGKILL', `child output: ${output.slice(-300)}`);
  assert.ok(!output.includes('finished'), 'killed before it finished');
  return output;
}

describe('a kill -9 during deletions', { concurrency: false }, () => {
  test('mid-way through approving single deletions: each customer is whole or completely deleted; the chain verifies', async () => {
    const dataDir = tempDir('itpc-erase-kill-');
    const vaultDir = tempDir('itpc-erase-kill-vault-');
    try {
      const t = await startCustomerCore({ dataDir, vault: new DirectoryVault(vaultDir) });
      const { ids, withOrders } = await seed(t, 40);
      const requests: string[] = [];
      for (const id of ids) requests.push((await t.as('staff', 'erasure.file', { customerId: id, reason: 'customer_request', channel: 'email' })).request.id);
      await t.core.close();

      const output = await runAndKill([dataDir, vaultDir, 'requests', JSON.stringify(requests)], (out) => /deleted 5\n/.test(out));
      const raw = openTestDb(dataDir);
      try {
        const { whole, gone } = await wholeOrGone(raw, ids, withOrders);
        assert.ok(gone >= 5 && whole > 0, `gone ${gone}, whole ${whole}; ${output.slice(-80)}`);
      } finally {
        await raw.destroy();
      }
      const reopened = await startCore({ dataDir, vault: new DirectoryVault(vaultDir) });
      try {
        await reopened.call('session.login', { username: ADMIN.username, password: ADMIN.password }, 'admin');
        assert.equal((await reopened.call<{ ok: boolean }>('audit.verify', {}, 'admin')).ok, true);
      } finally {
        await reopened.core.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(vaultDir, { recursive: true, force: true });
    }
  });

  test('mid-way through a retention batch: whole or deleted, and the reopened core finishes the batch', async () => {
    const dataDir = tempDir('itpc-retain-kill-');
    const vaultDir = tempDir('itpc-retain-kill-vault-');
    try {
      const t = await startCustomerCore({ dataDir, vault: new DirectoryVault(vaultDir) });
      const { ids, withOrders } = await seed(t, 300);
      for (const id of ids) await t.as('staff', 'customers.setStatus', { customerId: id, status: 'closed' });
      const side = t.openDb();
      await side('customers').whereIn('id', ids).update({ closed_at: '2020-01-01T00:00:00.000Z' });
      await side.destroy();
      const { batch } = await t.as('manager', 'erasure.proposeRetention', {});
      assert.equal(batch.itemCount, 300);
      await t.core.close();

      await runAndKill([dataDir, vaultDir, 'retention'], (out) => {
        const m = [...out.matchAll(/progress (\d+) (\d+)/g)].at(-1);
        return Boolean(m && Number(m[1]) >= 50 && Number(m[1]) < Number(m[2]));
      });
      const raw = openTestDb(dataDir);
      try {
        const { whole, gone } = await wholeOrGone(raw, ids, withOrders);
        assert.ok(gone >= 50 && whole > 0, `gone ${gone}, whole ${whole}`);
        assert.equal((await raw('jobs').where({ kind: 'retention-batch' }).first()).state, 'running', 'the kill left the job running');
      } finally {
        await raw.destroy();
      }

      const reopened = await startCore({ dataDir, vault: new DirectoryVault(vaultDir) });
      try {
        await reopened.call('session.login', { username: USERS.manager.username, password: PASSWORD }, 'manager');
        let finished: string | null = null;
        for (let i = 0; i < 400 && !finished; i += 1) {
          await new Promise((r) => setTimeout(r, 50));
          finished = (await reopened.call<{ batches: { finishedAt: string | null }[] }>('erasure.retention', {}, 'manager')).batches[0]!.finishedAt;
        }
        assert.ok(finished, 'the resumed job finished the batch');
        const check = reopened.openDb();
        try {
          assert.deepEqual(await wholeOrGone(check, ids, withOrders), { whole: 0, gone: 300 });
        } finally {
          await check.destroy();
        }
        await reopened.call('session.login', { username: ADMIN.username, password: ADMIN.password }, 'admin');
        assert.equal((await reopened.call<{ ok: boolean }>('audit.verify', {}, 'admin')).ok, true);
      } finally {
        await reopened.core.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(vaultDir, { recursive: true, force: true });
    }
  });
});

describe('two workstations', () => {
  test('two managers approving the same deletion request at once: exactly one decision and one deletion', async () => {
    const root = tempDir('itpc-erase-race-');
    const vaultDir = join(root, 'vault');
    mkdirSync(vaultDir);
    const { config, drop } = await sharedTestDatabase(root);
    try {
      const t = await startCustomerCore({ dataDir: join(root, 'parent'), vault: new DirectoryVault(vaultDir), database: config });
      const customerId = (await t.as('staff', 'customers.create', sampleCustomer({ email: 'raced@erasure.test' }))).customer.id as string;
      const filed = await t.as('staff', 'erasure.file', { customerId, reason: 'no_longer_uses', channel: 'phone' });
      await t.core.close();
      const spec = (who: 'manager' | 'manager2', n: number) => ({
        database: config,
        dataDir: join(root, `child-${n}`),
        vaultDir,
        before: [{ senderId: who, channel: 'session.login', input: { username: USERS[who].username, password: PASSWORD } }],
        race: [{ senderId: who, channel: 'erasure.decide', input: { id: filed.request.id, decision: 'approve' } }],
      });
      const results = (await race([spec('manager', 1), spec('manager2', 2)])).map((r) => r.at(-1) as ApiResult<unknown>);
      assert.deepEqual(results.map((r) => (r.ok ? 'ok' : r.error.code)).sort(), ['CONFLICT', 'ok']);
      const db = openDatabase(config);
      try {
        const row = await db('approvals').where({ id: filed.request.id }).first();
        assert.equal(row.status, 'approved');
        assert.equal(Number((await db('deletion_tombstones').where({ id: customerId }).count<{ n: number }[]>('* as n'))[0]!.n), 1);
        assert.equal(await db('customers').where({ id: customerId }).first(), undefined);
        assert.equal(Number((await db('audit_events').where({ action: 'customer.deleted' }).count<{ n: number }[]>('* as n'))[0]!.n), 1);
      } finally {
        await db.destroy();
      }
    } finally {
      await drop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
