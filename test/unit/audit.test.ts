import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Db } from '../../main/platform/store/database.node.ts';
import { ADMIN, startCore, type TestCore } from '../support/core.ts';
import { dropAppendOnlyTriggers } from '../support/database.ts';
import { restoreAppendOnlyTriggers } from '../support/tamper.ts';

/** Seeds a chain of events: setup, then a few verify calls and settings changes. */
async function seeded(): Promise<TestCore> {
  const t = await startCore();
  await t.call('session.setup', ADMIN);
  for (const minutes of [5, 6, 7, 8]) await t.call('settings.update', { idleLockMinutes: minutes });
  return t;
}

/**
 * Tampers with the database the way an attacker holding it would: outside the app, triggers dropped, then put
 * back as they were (left dropped, the app refuses to start: tamper.test.ts).
 */
async function tamper(t: TestCore, change: (db: Db) => Promise<unknown>) {
  await t.core.close();
  const db = t.openDb();
  await dropAppendOnlyTriggers(db);
  await change(db);
  await restoreAppendOnlyTriggers(db);
  await db.destroy();
  return startCore({ dataDir: t.dataDir, vault: t.vault });
}

async function verify(t: TestCore) {
  await t.call('session.login', { username: ADMIN.username, password: ADMIN.password });
  return t.call<{ ok: boolean; firstBrokenSeq: number | null; reason: string | null; checked: number }>('audit.verify', {});
}

describe('hash-chained audit log', () => {
  test('verifying with a task id sends progress to the caller only: from 0 to the whole chain, ending with it', async () => {
    const t = await seeded();
    try {
      await t.call('session.login', { username: ADMIN.username, password: ADMIN.password });
      const taskId = '0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b';
      const seen: { sender: string; done: number; total: number }[] = [];
      const off = t.core.onEvent((sender, event, payload) => {
        const p = payload as { taskId?: string; done: number; total: number };
        if (event === 'progress' && p.taskId === taskId) seen.push({ sender, done: p.done, total: p.total });
      });
      const result = await t.call<{ ok: boolean; checked: number }>('audit.verify', { taskId });
      off();
      assert.equal(result.ok, true);
      assert.ok(seen.length >= 2, 'a first and a last event');
      assert.deepEqual(seen[0], { sender: t.caller().senderId, done: 0, total: result.checked });
      assert.deepEqual(seen.at(-1), { sender: t.caller().senderId, done: result.checked, total: result.checked });
      assert.ok(seen.every((e, i) => i === 0 || e.done >= seen[i - 1]!.done), 'never goes back');
      assert.equal((await t.core.handle(t.caller(), 'audit.verify', { taskId: 'not-an-id' })).ok, false);
    } finally {
      await t.cleanup();
    }
  });

  test('an intact chain verifies', async () => {
    const t = await seeded();
    const result = await verify(t);
    assert.equal(result.ok, true);
    assert.equal(result.checked, 6);
    await t.cleanup();
  });

  test('the app cannot update or delete events', async () => {
    const t = await seeded();
    await t.core.close();
    const db = t.openDb();
    await assert.rejects(db('audit_events').where({ seq: 2 }).update({ action: 'x' }), /append-only/);
    await assert.rejects(db('audit_events').where({ seq: 2 }).delete(), /append-only/);
    // PostgreSQL: TRUNCATE fires no row trigger; a statement trigger refuses it (SQLite has no TRUNCATE).
    if (t.engine === 'pg') await assert.rejects(db.raw('TRUNCATE audit_events'), /append-only/);
    await db.destroy();
  });

  test('an edited event is reported at its sequence number', async () => {
    const t = await seeded();
    const reopened = await tamper(t, (db) => db('audit_events').where({ seq: 3 }).update({ details: '{"fields":["nothing"]}' }));
    const result = await verify(reopened);
    assert.equal(result.ok, false);
    assert.equal(result.firstBrokenSeq, 3);
    assert.equal(result.reason, 'event altered');
    await reopened.cleanup();
  });

  test('a deleted event in the middle is reported at its sequence number', async () => {
    const t = await seeded();
    const reopened = await tamper(t, (db) => db('audit_events').where({ seq: 4 }).delete());
    const result = await verify(reopened);
    assert.equal(result.firstBrokenSeq, 4);
    assert.equal(result.reason, 'event missing');
    await reopened.cleanup();
  });

  test('deleted events at the end are reported', async () => {
    const t = await seeded();
    const reopened = await tamper(t, (db) => db('audit_events').where('seq', '>=', 5).delete());
    const result = await verify(reopened);
    assert.equal(result.firstBrokenSeq, 5);
    await reopened.cleanup();
  });

  test('a wiped log (every event and the head deleted) is reported', async () => {
    const t = await seeded();
    const reopened = await tamper(t, async (db) => {
      await db('audit_events').delete();
      await db('meta').where({ key: 'audit_head' }).delete();
    });
    await reopened.call('session.login', { username: ADMIN.username, password: ADMIN.password });
    // Signing in appends event 1 again, so the wipe shows as an altered first event or a broken link.
    const result = await reopened.call<{ ok: boolean; firstBrokenSeq: number | null }>('audit.verify', {});
    assert.equal(result.ok, false);
    await reopened.cleanup();
  });

  test('a wiped log is still reported after a refused setup call (only a successful setup counts)', async () => {
    const t = await seeded();
    const reopened = await tamper(t, async (db) => {
      await db('audit_events').delete();
      await db('meta').where({ key: 'audit_head' }).delete();
    });
    // The attacker's one call: a setup that is refused (accounts exist) but still audited, as outcome 'failed'.
    const refused = await reopened.core.handle(reopened.caller('attacker'), 'session.setup', ADMIN);
    assert.equal(!refused.ok && refused.error.code, 'CONFLICT');
    const result = await verify(reopened);
    assert.equal(result.ok, false);
    assert.equal(result.firstBrokenSeq, 1);
    await reopened.cleanup();
  });

  test('a re-chained forgery without the key is caught at the first forged event', async () => {
    const t = await seeded();
    const reopened = await tamper(t, async (db) => {
      await db('audit_events').where({ seq: 2 }).update({ hash: 'f'.repeat(64) });
      await db('audit_events').where({ seq: 3 }).update({ prev_hash: 'f'.repeat(64) });
    });
    const result = await verify(reopened);
    assert.equal(result.firstBrokenSeq, 2);
    await reopened.cleanup();
  });

  test('audit details never hold the values that were changed', async () => {
    const t = await seeded();
    const { events } = await t.call<{ events: { action: string; details: Record<string, unknown> }[] }>('audit.list', {});
    const setup = events.find((e) => e.action === 'setup.completed');
    assert.ok(setup);
    const details = JSON.stringify(events.map((e) => e.details));
    try {
      assert.equal(details.includes(ADMIN.displayName), false);
      assert.equal(details.includes(ADMIN.username), false);
      assert.deepEqual(Object.keys(setup.details).sort(), ['role', 'userId']);
    } finally {
      await t.cleanup();
    }
  });
});
