import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LOCKOUT_MS, MAX_UNKNOWN_NAMES } from '../../main/features/accounts/accountService.node.ts';
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

describe('issue 12 item 5: the lockout does not reveal which usernames exist', () => {
  const answer = async (t: TestCore, username: string, password = 'wrong password!') => {
    const result = await t.core.handle(t.caller('prober'), 'session.login', { username, password });
    return result.ok ? { code: 'ok', message: '' } : result.error;
  };
  const attempts = async (t: TestCore, username: string, n: number) => {
    const out = [];
    for (let i = 0; i < n; i += 1) out.push(await answer(t, username));
    return out;
  };

  test('an unknown name answers exactly like a known one, failure by failure, and after the lockout ends', async () => {
    const t = await seeded();
    try {
      const known = await attempts(t, ADMIN.username, 7);
      const unknown = await attempts(t, 'nobody.here', 7);
      assert.deepEqual(
        known.map((a) => a.code),
        ['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'LOCKED_OUT', 'LOCKED_OUT', 'LOCKED_OUT'],
      );
      assert.deepEqual(unknown, known, 'same codes and same messages (including the minutes left)');
      t.clock.advance(LOCKOUT_MS + 1000);
      assert.deepEqual(await attempts(t, 'nobody.here', 5), await attempts(t, ADMIN.username, 5));
      // Usernames are matched case-insensitively for known names: unknown ones alike.
      assert.equal((await answer(t, 'NOBODY.HERE')).code, 'LOCKED_OUT');
    } finally {
      await t.cleanup();
    }
  });

  test('counts survive a restart like an account\'s, and the name is never stored in clear', async () => {
    const t = await seeded();
    await attempts(t, ADMIN.username, 3);
    await attempts(t, 'nobody.here', 3);
    await t.core.close();
    const stored = await withFile(t.dataDir, (db) => db('login_failures').select());
    assert.equal(stored.length, 1);
    assert.doesNotMatch(JSON.stringify(stored), /nobody/i);
    const reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    try {
      assert.deepEqual(await attempts(reopened, 'nobody.here', 2), await attempts(reopened, ADMIN.username, 2));
      assert.equal((await answer(reopened, 'nobody.here')).code, 'LOCKED_OUT');
    } finally {
      await reopened.cleanup();
    }
  });

  test('the counters for unknown names stay bounded', async () => {
    const t = await seeded();
    try {
      await t.core.close();
      await withFile(t.dataDir, async (db) => {
        const rows = Array.from({ length: MAX_UNKNOWN_NAMES }, (_, i) => ({ name_index: `x${i}`, failed_attempts: 1, locked_until: null, last_failed_at: '2000-01-01T00:00:00.000Z' }));
        for (let i = 0; i < rows.length; i += 500) await db('login_failures').insert(rows.slice(i, i + 500));
      });
      const reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
      await attempts(reopened, 'someone.new', 1);
      await reopened.core.close();
      const left = await withFile(t.dataDir, async (db) => ({
        n: Number((await db('login_failures').count<{ n: number }[]>('* as n'))[0]!.n),
        oldest: await db('login_failures').where({ name_index: 'x0' }).first(),
      }));
      assert.equal(left.n, MAX_UNKNOWN_NAMES);
      assert.equal(left.oldest, undefined, 'the least recently tried name was forgotten');
    } finally {
      await t.core.close().catch(() => {});
    }
  });

  test('an unknown name costs the same scrypt as a known one (timing)', async () => {
    // A real cost (2^15) so hashing dominates; medians of alternating attempts, generous bounds for a shared CPU.
    const t = await startCore({ passwordCost: 15 });
    try {
      await t.call('session.setup', ADMIN);
      const time = async (username: string) => {
        const started = performance.now();
        await answer(t, username);
        return performance.now() - started;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        t.clock.advance(LOCKOUT_MS + 1000);
        known.push(await time(ADMIN.username));
        unknown.push(await time(`nobody${i}`));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const ratio = median(unknown) / median(known);
      assert.ok(ratio > 0.5 && ratio < 2, `unknown/known median time ratio ${ratio.toFixed(2)}`);
    } finally {
      await t.cleanup();
    }
  });
});

describe('issue 12 item 6: repeated denials from one sender are coalesced', () => {
  const deniedRows = (dataDir: string) =>
    withFile(dataDir, async (db) =>
      (await db('audit_events').where({ action: 'access.denied' }).orderBy('seq').select('details')).map((r: { details: string }) => JSON.parse(r.details) as { channel: string; code: string; count: number }),
    );

  test('100 denied calls write a bounded number of rows whose counts add up to 100', async () => {
    const t = await seeded();
    const before = await t.call<{ total: number }>('audit.list', { limit: 1 });
    for (let i = 0; i < 100; i += 1) {
      const result = await t.core.handle(t.caller('compromised'), 'fs.readFile', { path: '/etc/passwd' });
      assert.equal(!result.ok && result.error.code, 'UNKNOWN_CHANNEL');
    }
    const during = await t.call<{ total: number }>('audit.list', { limit: 1 });
    assert.equal(during.total - before.total, 1, 'the first denial is written at once, the rest are counted');
    await t.core.close();
    const rows = await deniedRows(t.dataDir);
    assert.ok(rows.length <= 3, `${rows.length} rows`);
    assert.equal(rows.reduce((n, r) => n + r.count, 0), 100);
    assert.ok(rows.every((r) => r.channel === '(unknown)' && r.code === 'UNKNOWN_CHANNEL'));
    // The chain stays intact with the summary events in it.
    const reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    await reopened.call('session.login', { username: ADMIN.username, password: ADMIN.password });
    assert.equal((await reopened.call<{ ok: boolean }>('audit.verify', {})).ok, true);
    await reopened.cleanup();
  });

  test('the held-back count is written on the next denial after the window; other senders and codes keep their own', async () => {
    const t = await seeded();
    const deny = (sender: string) => t.core.handle({ senderId: sender, trusted: false } as never, 'session.status', {});
    for (let i = 0; i < 10; i += 1) await deny('a');
    await deny('b');
    t.clock.advance(61_000);
    await deny('a');
    await t.core.close();
    const rows = await deniedRows(t.dataDir);
    // a: first (1), summary (9) on the next denial, new window's first (1); b: its own first (1).
    assert.deepEqual(
      rows.map((r) => r.count),
      [1, 1, 9, 1],
    );
    assert.ok(rows.every((r) => r.code === 'UNTRUSTED_SENDER'));
  });
});
