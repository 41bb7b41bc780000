/**
 * Two managers on two workstations (two Node processes, each with its own core on one shared database) approving
 * and then releasing the same disclosure request at the same moment: exactly one decision, one release, one
 * register entry, one file. Runs on SQLite and, with ITPC_TEST_PG, on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { ApiResult } from '../../main/platform/ipc/errors.std.ts';
import { openDatabase } from '../../main/platform/store/database.node.ts';
import { ADMIN, startCore, tempDir } from '../support/core.ts';
import { PASSWORD, sampleCustomer } from '../support/customers.ts';
import { DirectoryVault } from '../support/fileVault.ts';
import { race, sharedTestDatabase, type RaceCall, type RaceSpec } from '../support/races.ts';

const USERS = {
  manager: { username: 'mia.manager', displayName: 'Mia Manager', role: 'manager' },
  manager2: { username: 'max.manager', displayName: 'Max Manager', role: 'manager' },
  staff: { username: 'sam.staff', displayName: 'Sam Staff', role: 'staff' },
} as const;

test('two managers approving and releasing one disclosure at once: one decision, one register entry, one file', async () => {
  const root = tempDir('itpc-disclosure-race-');
  const vaultDir = join(root, 'vault');
  mkdirSync(vaultDir);
  const { config, drop } = await sharedTestDatabase(root);
  const db = openDatabase(config);
  try {
    const parent = await startCore({ dataDir: join(root, 'parent'), vault: new DirectoryVault(vaultDir), database: config });
    let requestId: string;
    let approvalId: string;
    try {
      await parent.call('session.setup', ADMIN, 'admin');
      for (const [who, user] of Object.entries(USERS)) {
        await parent.call('accounts.create', { ...user, password: PASSWORD }, 'admin');
        await parent.call('session.login', { username: user.username, password: PASSWORD }, who);
      }
      const { recipient } = await parent.call<{ recipient: { id: string } }>('disclosures.recipients.save', { name: 'Race Couriers', kind: 'shipping', allowedFields: ['name', 'shippingAddress'] }, 'manager');
      const { customer } = await parent.call<{ customer: { id: string } }>('customers.create', sampleCustomer({ email: 'race.disclosure@example.com' }), 'staff');
      const { request } = await parent.call<{ request: { id: string; approvalId: string } }>(
        'disclosures.requests.create',
        { customerIds: [customer.id], recipientId: recipient.id, kind: 'ecommerce_chain', fields: ['name', 'shippingAddress'], purpose: 'Ship the race order' },
        'staff',
      );
      requestId = request.id;
      approvalId = request.approvalId;
    } finally {
      await parent.cleanup();
    }
    let children = 0;
    const spec = (who: 'manager' | 'manager2'): RaceSpec => {
      const login: RaceCall = { senderId: who, channel: 'session.login', input: { username: USERS[who].username, password: PASSWORD } };
      return {
        database: config,
        dataDir: join(root, `child-${(children += 1)}`),
        vaultDir,
        before: [login, { senderId: who, channel: 'session.reauthenticate', input: { password: PASSWORD } }],
        race: [
          { senderId: who, channel: 'approvals.decide', input: { id: approvalId, decision: 'approve' } },
          { senderId: who, channel: 'disclosures.release', input: { taskId: randomUUID(), requestId, format: 'csv', encrypt: false } },
        ],
      };
    };
    const results = (await race([spec('manager'), spec('manager2')])) as ApiResult<unknown>[][];
    const decisions = results.map((r) => (r[0]!.ok ? 'ok' : r[0]!.error.code)).sort();
    const releases = results.map((r) => (r[1]!.ok ? 'ok' : r[1]!.error.code)).sort();
    assert.deepEqual(decisions, ['CONFLICT', 'ok'], JSON.stringify(results));
    assert.deepEqual(releases, ['CONFLICT', 'ok'], JSON.stringify(results));
    assert.equal((await db('approvals').where({ id: approvalId }).first()).status, 'approved');
    assert.equal((await db('disclosure_register').select('id')).length, 1);
    assert.equal((await db('disclosure_requests').where({ id: requestId }).first()).release_state, 'released');
    const files = [1, 2].flatMap((n) => {
      const dir = join(root, `child-${n}`, 'saved');
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    });
    assert.equal(files.length, 1, `one file: ${files.join(', ')}`);
  } finally {
    await db.destroy();
    await drop();
    rmSync(root, { recursive: true, force: true });
  }
});
