/**
 * The auditor's audit log (issue #13): filter by actor, action, outcome and days; account ids in details read as
 * names; the filtered range exports as CSV through the FileSaver, audited with field names only.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectError, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';

let t: CustomerTestCore;
before(async () => {
  t = await startCustomerCore();
  await t.try('auditor', 'customers.list', { limit: 5 });
  await t.core.handle(t.caller('stranger'), 'session.login', { username: 'nobody', password: 'guess' });
});
after(() => t.cleanup());

type Listed = { events: { actorId: string | null; action: string; outcome: string; at: string; details: Record<string, unknown> }[]; total: number; accountNames: Record<string, string> };

describe('audit.list filters', () => {
  test('by actor, action, outcome and days', async () => {
    const byAuditor: Listed = await t.as('auditor', 'audit.list', { actorId: t.userId.auditor });
    assert.ok(byAuditor.events.length > 0 && byAuditor.events.every((e) => e.actorId === t.userId.auditor));
    const system: Listed = await t.as('auditor', 'audit.list', { actorId: 'system' });
    assert.ok(system.events.every((e) => e.actorId === null));
    const denied: Listed = await t.as('auditor', 'audit.list', { outcome: 'denied' });
    assert.ok(denied.total >= 1 && denied.events.every((e) => e.outcome === 'denied'));
    const created: Listed = await t.as('auditor', 'audit.list', { action: 'account.created' });
    assert.equal(created.total, 5);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal((await t.as('auditor', 'audit.list', { from: today, to: today })).total, (await t.as('auditor', 'audit.list', {})).total);
    assert.equal((await t.as('auditor', 'audit.list', { to: '2000-01-01' })).total, 0);
    const actions = await t.as('auditor', 'audit.actions', {});
    assert.ok(actions.actions.includes('account.created'));
  });

  test('account ids in details come with their names', async () => {
    const created: Listed = await t.as('auditor', 'audit.list', { action: 'account.created' });
    const names = Object.values(created.accountNames);
    assert.ok(names.includes('Sam Staff'), JSON.stringify(created.accountNames));
  });

  test('malformed filters are refused', async () => {
    expectError(await t.try('auditor', 'audit.list', { from: '06/12/2026' }), 'INVALID_INPUT');
    expectError(await t.try('auditor', 'audit.list', { from: '2026-12-06', to: '2026-12-01' }), 'INVALID_INPUT');
    expectError(await t.try('auditor', 'audit.list', { outcome: 'maybe' }), 'INVALID_INPUT');
    expectError(await t.try('auditor', 'audit.list', { actorId: 'someone' }), 'INVALID_INPUT');
    expectError(await t.try('auditor', 'audit.export', { limit: 5 }), 'INVALID_INPUT');
    expectError(await t.try('staff', 'audit.export', {}), 'FORBIDDEN');
  });
});

describe('audit.export', () => {
  test('writes the filtered range as CSV, names for ids, and audits field names only', async () => {
    const result = await t.as('auditor', 'audit.export', { action: 'account.created', from: '2020-01-01' });
    assert.equal(result.saved, true);
    assert.equal(result.rows, 5);
    const csv = readFileSync(join(t.dataDir, 'exports', result.fileName), 'utf8');
    const lines = csv.trim().split('\r\n');
    assert.equal(lines[0], 'seq,at,actor,action,outcome,details');
    assert.equal(lines.length, 6);
    assert.ok(lines.slice(1).every((line) => line.includes('"account.created"')));
    assert.ok(csv.includes('Ada Admin'));
    const event = (await t.as('auditor', 'audit.list', { action: 'audit.exported' })).events[0];
    assert.deepEqual(event.details, { filters: 'action,from', saved: true, rows: 5 });
  });
});
