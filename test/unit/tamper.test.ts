import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StartupError } from '../../main/platform/startupError.std.ts';
import { ADMIN, startCore, type TestCore } from '../support/core.ts';
import { dropAppendOnlyTriggers, withFile } from '../support/tamper.ts';

/** Issue 12: attacks by someone holding the database file (sqlite3 shell), without the keychain. */

async function seeded(): Promise<TestCore> {
  const t = await startCore();
  await t.call('session.setup', ADMIN);
  for (const minutes of [5, 6, 7, 8]) await t.call('settings.update', { idleLockMinutes: minutes });
  return t;
}

const eventCount = (dataDir: string) => withFile(dataDir, async (db) => Number((await db('audit_events').count<{ n: number }[]>('* as n'))[0]!.n));

describe('issue 12 item 4: the append-only triggers are checked at start-up', () => {
  test('dropped triggers: the app refuses to open with AUDIT_UNPROTECTED and writes nothing', async () => {
    const t = await seeded();
    await t.core.close();
    await withFile(t.dataDir, async (db) => {
      await dropAppendOnlyTriggers(db);
      await db('audit_events').where({ seq: 3 }).update({ details: '{}' });
    });
    const before = await eventCount(t.dataDir);
    const refused = await startCore({ dataDir: t.dataDir, vault: t.vault }).catch((e: unknown) => e);
    assert.ok(refused instanceof StartupError, String(refused));
    assert.equal(refused.code, 'AUDIT_UNPROTECTED');
    assert.match(refused.message, /audit_events_no_update \(missing\), audit_events_no_delete \(missing\)/);
    assert.ok(refused.recovery.some((step) => /backup/.test(step)));
    assert.equal(await eventCount(t.dataDir), before, 'not one audit event written');
  });

  test('a trigger replaced by one that lets deletes through is refused as changed; an extra trigger as unexpected', async () => {
    const t = await seeded();
    await t.core.close();
    await withFile(t.dataDir, async (db) => {
      await db.raw('DROP TRIGGER audit_events_no_delete');
      await db.raw(`CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events WHEN 0
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END`);
      await db.raw('CREATE TRIGGER audit_events_copy AFTER INSERT ON audit_events BEGIN SELECT 1; END');
    });
    const refused = await startCore({ dataDir: t.dataDir, vault: t.vault }).catch((e: unknown) => e);
    assert.ok(refused instanceof StartupError);
    assert.equal(refused.code, 'AUDIT_UNPROTECTED');
    assert.match(refused.message, /audit_events_no_delete \(changed\)/);
    assert.match(refused.message, /audit_events_copy \(unexpected\)/);
  });

  test('intact triggers open normally', async () => {
    const t = await seeded();
    await t.core.close();
    const reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    await reopened.cleanup();
  });
});
