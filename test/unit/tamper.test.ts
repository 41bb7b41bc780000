import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LOCKOUT_MS, MAX_UNKNOWN_NAMES } from '../../main/features/accounts/accountService.node.ts';
import { StartupError } from '../../main/platform/startupError.std.ts';
import { ADMIN, startCore, type TestCore } from '../support/core.ts';
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kekName } from '../../main/platform/crypto/kek.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { witnessName } from '../../main/platform/audit/chainWitness.node.ts';
import { DATABASE_FILE } from '../../main/core.node.ts';
import { dropAppendOnlyTriggers, restoreAppendOnlyTriggers, withFile } from '../support/tamper.ts';
import { coreDatabase, TEST_ENGINE } from '../support/database.ts';

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
      if (TEST_ENGINE === 'pg') {
        // The triggers stay, but the function they run now lets every change through; and one more trigger.
        await db.raw(`CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN RETURN OLD; END $fn$`);
        await db.raw('CREATE TRIGGER audit_events_copy AFTER INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()');
        return;
      }
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

type Verdict = { ok: boolean; checked: number; firstBrokenSeq: number | null; reason: string | null };

async function signIn(t: TestCore) {
  await t.call('session.login', { username: ADMIN.username, password: ADMIN.password });
}

/** The attack of issue 12 item 1: triggers dropped, the last events deleted, the head row set to the new last event. */
async function cutAfter(dataDir: string, keep: number): Promise<void> {
  await withFile(dataDir, async (db) => {
    await dropAppendOnlyTriggers(db);
    await db('audit_events').where('seq', '>', keep).delete();
    const last = await db('audit_events').where({ seq: keep }).first<{ hash: string }>('hash');
    await db('meta').where({ key: 'audit_head' }).update({ value: `${keep}:${last!.hash}` });
    await restoreAppendOnlyTriggers(db);
  });
}

describe('issue 12 item 1: a witness of the chain head outside the database', () => {
  test('cutting the last events off and rewriting the head row is reported where the chain ends', async () => {
    const t = await seeded();
    await t.core.close();
    await cutAfter(t.dataDir, 3);
    const reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    try {
      await signIn(reopened);
      const verdict = await reopened.call<Verdict>('audit.verify', {});
      assert.equal(verdict.ok, false);
      assert.equal(verdict.firstBrokenSeq, 4);
      assert.match(verdict.reason!, /no longer reaches the witnessed event 5 \(the chain was cut after event 3\)/);
      // The start-up check wrote its finding into the chain itself (where it ended, which head it missed).
      const { events } = await reopened.call<{ events: { seq: number; action: string; outcome: string; details: Record<string, unknown> }[] }>('audit.list', { action: 'audit.integrity' });
      assert.deepEqual(events.map((e) => [e.seq, e.outcome, e.details]), [[4, 'failed', { check: 'witness', witnessedSeq: 5, chainEndsAt: 3 }]]);
    } finally {
      await reopened.core.close();
    }
    // Reported again after another restart, not written twice, and the witness was not moved onto the cut chain.
    const again = await startCore({ dataDir: t.dataDir, vault: t.vault });
    try {
      await signIn(again);
      const verdict = await again.call<Verdict>('audit.verify', {});
      assert.equal(verdict.firstBrokenSeq, 4);
      const { events } = await again.call<{ events: unknown[] }>('audit.list', { action: 'audit.integrity' });
      assert.equal(events.length, 1);
      const kept = JSON.parse((await t.vault.get(witnessName(await installIdOf(t.dataDir))))!.toString('utf8')) as { seq: number };
      assert.equal(kept.seq, 5);
    } finally {
      await again.cleanup();
    }
  });

  test('deleting every event but the first-run setup is reported at event 2', async () => {
    const t = await seeded();
    await t.core.close();
    await cutAfter(t.dataDir, 1);
    const reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    await signIn(reopened);
    const verdict = await reopened.call<Verdict>('audit.verify', {});
    assert.equal(verdict.ok, false);
    assert.equal(verdict.firstBrokenSeq, 2);
    await reopened.cleanup();
  });

  test('either copy alone catches the cut; a copy forged in the settings file is ignored', async () => {
    const t = await seeded();
    await t.core.close();
    const installId = await installIdOf(t.dataDir);
    const settingsFile = join(t.dataDir, 'settings.json');
    const witness = JSON.parse(JSON.parse(readFileSync(settingsFile, 'utf8')).auditWitness as string) as { seq: number; hash: string; mac: string };
    assert.equal(witness.seq, 5, 'setup and 4 settings changes');
    // Keychain copy gone: the settings copy catches it.
    await t.vault.delete(witnessName(installId));
    await cutAfter(t.dataDir, 3);
    const hash3 = await withFile(t.dataDir, async (db) => (await db('audit_events').where({ seq: 3 }).first<{ hash: string }>('hash'))!.hash);
    let reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    await signIn(reopened);
    assert.equal((await reopened.call<Verdict>('audit.verify', {})).firstBrokenSeq, 4);
    await reopened.core.close();
    // An attacker who can also edit settings.json cannot move the witness back without the audit key.
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    settings.auditWitness = JSON.stringify({ ...witness, seq: 3, hash: hash3 });
    writeFileSync(settingsFile, JSON.stringify(settings));
    reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    await signIn(reopened);
    const verdict = await reopened.call<Verdict>('audit.verify', {});
    assert.equal(verdict.ok, false, 'the forged copy is ignored... and the chain holds the integrity finding');
    await reopened.cleanup();
  });

  test('a chain ahead of this workstation\'s witness is fine (another workstation appended meanwhile)', async () => {
    const a = await seeded();
    await a.core.close();
    const installId = await installIdOf(a.dataDir);
    // Workstation B: the same database file, its own keychain (the enrolled KEK) and its own settings.
    const vaultB = new MemoryVault();
    await vaultB.set(kekName(installId), (await a.vault.get(kekName(installId)))!);
    const b = await startCore({ dataDir: join(a.dataDir, 'b'), vault: vaultB, database: coreDatabase(a.dataDir).database ?? { client: 'sqlite', filename: join(a.dataDir, DATABASE_FILE) } });
    await signIn(b);
    for (const minutes of [9, 10, 11]) await b.call('settings.update', { idleLockMinutes: minutes });
    await b.core.close();
    const reopened = await startCore({ dataDir: a.dataDir, vault: a.vault });
    try {
      await signIn(reopened);
      const verdict = await reopened.call<Verdict>('audit.verify', {});
      assert.equal(verdict.ok, true, verdict.reason ?? '');
      const { events } = await reopened.call<{ events: unknown[] }>('audit.list', { action: 'audit.integrity' });
      assert.equal(events.length, 0);
    } finally {
      await reopened.cleanup();
      rmSync(join(a.dataDir, 'b'), { recursive: true, force: true });
    }
  });

  test('the witness follows the chain as it grows (coalesced, after the transaction)', async () => {
    const t = await startCore({ witnessDelayMs: 20 });
    try {
      await t.call('session.setup', ADMIN);
      for (const minutes of [5, 6, 7]) await t.call('settings.update', { idleLockMinutes: minutes });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const installId = await withCoreInstallId(t);
      const kept = JSON.parse((await t.vault.get(witnessName(installId)))!.toString('utf8')) as { seq: number };
      assert.equal(kept.seq, 4);
    } finally {
      await t.cleanup();
    }
  });
});

describe('issue 12 item 1: signed head files for auditors', () => {
  type Exported = { seq: number; at: string; file: string };
  type HeadVerdict = Verdict & { head: { seq: number; at: string } };

  test('an exported head verifies now and later; a cut below it is reported even without any witness', async () => {
    const t = await seeded();
    await signIn(t);
    const exported = await t.call<Exported>('audit.exportHead', {});
    assert.equal(exported.seq, 6, 'setup, 4 settings changes, sign-in: the head of the verified chain');
    const file = JSON.parse(exported.file) as { signed: string; publicKey: string; signature: string; hash: string; seq: number };
    // Checkable outside the app with the public key alone (as `openssl pkeyutl -verify -pubin -rawin` would).
    assert.equal(verifySignature(null, Buffer.from(file.signed), createPublicKey(file.publicKey), Buffer.from(file.signature, 'base64')), true);
    await t.call('settings.update', { idleLockMinutes: 9 });
    const later = await t.call<HeadVerdict>('audit.verifyHead', { file: exported.file });
    assert.equal(later.ok, true);
    assert.deepEqual(later.head, { seq: 6, at: exported.at });
    await t.core.close();

    // The attacker cuts below the exported head and also has the workstation's witnesses wiped.
    const installId = await installIdOf(t.dataDir);
    await t.vault.delete(witnessName(installId));
    rmSync(join(t.dataDir, 'settings.json'));
    await cutAfter(t.dataDir, 4);
    const reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    try {
      await signIn(reopened);
      assert.equal((await reopened.call<Verdict>('audit.verify', {})).ok, true, 'no witness left: the chain alone looks whole');
      const verdict = await reopened.call<HeadVerdict>('audit.verifyHead', { file: exported.file });
      assert.equal(verdict.ok, false);
      // Sign-in and verify appended events 5 and 6 after the cut: event 6 is the first known to differ from the file.
      assert.equal(verdict.firstBrokenSeq, 6);
      assert.match(verdict.reason!, /no longer holds the witnessed event 6/);
    } finally {
      await reopened.cleanup();
    }
  });

  test('an altered, foreign or malformed head file is refused', async () => {
    const t = await seeded();
    try {
      await signIn(t);
      const { file } = await t.call<Exported>('audit.exportHead', {});
      const parsed = JSON.parse(file) as Record<string, unknown>;
      const altered = await t.call<HeadVerdict>('audit.verifyHead', { file: JSON.stringify({ ...parsed, seq: 3 }) });
      assert.deepEqual([altered.ok, altered.reason], [false, 'the head file was altered']);
      const other = await t.call<HeadVerdict>('audit.verifyHead', { file: JSON.stringify({ ...parsed, installId: 'another-install' }) });
      assert.deepEqual([other.ok, other.reason], [false, 'the head file belongs to another database']);
      const countBefore = (await t.call<{ total: number }>('audit.list', { limit: 1 })).total;
      for (const bad of ['not json', '{}', JSON.stringify({ ...parsed, extra: 1 })]) {
        const result = await t.core.handle(t.caller(), 'audit.verifyHead', { file: bad });
        assert.equal(!result.ok && result.error.code, 'INVALID_INPUT');
      }
      const result = await t.core.handle(t.caller(), 'audit.verifyHead', { file: file, extra: true });
      assert.equal(!result.ok && result.error.code, 'INVALID_INPUT');
      assert.ok((await t.call<{ total: number }>('audit.list', { limit: 1 })).total >= countBefore);
    } finally {
      await t.cleanup();
    }
  });

  test('a chain that does not verify gets no signed head', async () => {
    const t = await seeded();
    await t.core.close();
    await withFile(t.dataDir, async (db) => {
      await dropAppendOnlyTriggers(db);
      await db('audit_events').where({ seq: 3 }).update({ details: '{}' });
      await restoreAppendOnlyTriggers(db);
    });
    const reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    try {
      await signIn(reopened);
      const result = await reopened.core.handle(reopened.caller(), 'audit.exportHead', {});
      assert.equal(!result.ok && result.error.code, 'CONFLICT');
    } finally {
      await reopened.cleanup();
    }
  });
});

async function installIdOf(dataDir: string): Promise<string> {
  return withFile(dataDir, async (db) => (await db('meta').where({ key: 'install_id' }).first<{ value: string }>('value'))!.value);
}

async function withCoreInstallId(t: TestCore): Promise<string> {
  const names = [...((t.vault as unknown as { secrets: Map<string, Buffer> }).secrets.keys())];
  return names.find((n) => n.startsWith('kek/'))!.slice('kek/'.length);
}
