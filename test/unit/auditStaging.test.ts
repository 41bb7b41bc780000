import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Knex } from 'knex';
import { AuditLog, STAGED_ALTERED_ACTION, type NewAuditEvent } from '../../main/platform/audit/auditLog.node.ts';
import { clockFrom, systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { openDatabase } from '../../main/platform/store/database.node.ts';
import { migrate } from '../../main/platform/store/migrate.node.ts';
import { ADMIN, startCore, type TestCore } from '../support/core.ts';
import { freshDb, onlyOn, onServerRaw, TEST_ENGINE, testDatabase } from '../support/database.ts';

const count = async (db: Knex, table: string, where: Record<string, unknown> = {}) => Number((await db(table).where(where).count<{ n: string }[]>('* as n'))[0]!.n);
const search = (i: number): NewAuditEvent => ({ actorId: null, action: 'customer.search', outcome: 'ok', details: { by: 'email', n: i } });

/**
 * A millisecond further at every reading, as events staged one after another usually are: a seal orders by time,
 * and events of the same millisecond by their random ids, which would make the expected order hold by chance.
 */
function steppingClock() {
  let at = Date.now();
  return clockFrom(() => (at += 1));
}

async function setUp() {
  const db = await freshDb();
  await migrate(db);
  const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
  const audit = new AuditLog(db, () => ring, steppingClock(), { firstRun: { action: 'session.setup', happened: async () => true } });
  await audit.append(db, { actorId: null, action: 'session.setup', outcome: 'ok' });
  return { db, ring, audit };
}

test('a staged event is in the chain once sealed: PostgreSQL waits for the seal, SQLite appends at once; the chain verifies', async () => {
  const { db, audit } = await setUp();
  try {
    const staged = await db.transaction(async (trx) => [await audit.stage(trx, search(1)), await audit.stage(trx, search(2))]);
    assert.deepEqual(staged, TEST_ENGINE === 'pg' ? [true, true] : [false, false]);
    // Staging touched no head: the chain holds only setup until the seal (PostgreSQL); SQLite chained them already.
    assert.equal(await count(db, 'audit_events'), TEST_ENGINE === 'pg' ? 1 : 3);
    assert.equal(await count(db, 'audit_staged'), TEST_ENGINE === 'pg' ? 2 : 0);
    const stagedAt = (await db('audit_staged').orderBy('at').pluck('at')) as string[];

    assert.equal(await audit.sealStaged(), TEST_ENGINE === 'pg' ? 2 : 0);
    assert.equal(await count(db, 'audit_staged'), 0);
    const rows = await db('audit_events').orderBy('seq').select('seq', 'action', 'details', 'at');
    assert.deepEqual(rows.map((r) => [Number(r.seq), r.action, JSON.parse(r.details).n ?? null]), [[1, 'session.setup', null], [2, 'customer.search', 1], [3, 'customer.search', 2]]);
    if (TEST_ENGINE === 'pg') assert.deepEqual(rows.slice(1).map((r) => r.at), stagedAt, 'chained with the time the call happened');
    assert.deepEqual(await audit.verify(db), { ok: true, checked: 3, firstBrokenSeq: null, reason: null });
    assert.equal(await audit.sealStaged(), 0, 'nothing left to seal');
  } finally {
    await db.destroy();
  }
});

test('a rolled-back call stages nothing; events left by a workstation that died before sealing are chained by the next seal anywhere', { skip: onlyOn('pg', 'SQLite never stages') }, async () => {
  const { db, ring, audit } = await setUp();
  try {
    await assert.rejects(
      db.transaction(async (trx) => {
        await audit.stage(trx, search(1));
        throw new Error('the call failed');
      }),
      /the call failed/,
    );
    assert.equal(await count(db, 'audit_staged'), 0);
    // Committed, then the workstation is gone before its seal: another workstation's log seals it.
    await db.transaction((trx) => audit.stage(trx, search(2)));
    const other = new AuditLog(db, () => ring, systemClock, { firstRun: { action: 'session.setup', happened: async () => true } });
    assert.equal(await other.sealStaged(), 1);
    assert.deepEqual(await db('audit_events').where({ seq: 2 }).first('action', 'details').then((r) => [r.action, JSON.parse(r.details).n]), ['customer.search', 2]);
    assert.equal((await audit.verify(db)).ok, true);
  } finally {
    await db.destroy();
  }
});

test('a staged event altered while it waits is chained as a finding, not as what it now says; a forged MAC too', { skip: onlyOn('pg', 'SQLite never stages') }, async () => {
  const { db, audit } = await setUp();
  try {
    await db.transaction(async (trx) => {
      await audit.stage(trx, search(1));
      await audit.stage(trx, { actorId: null, action: 'customer.open', outcome: 'ok', details: { purpose: 'customer_support' } });
    });
    const [first, second] = (await db('audit_staged').orderBy('at').orderBy('id').pluck('id')) as string[];
    await db('audit_staged').where({ id: first }).update({ details: JSON.stringify({ by: 'phone', n: 1 }) });
    await db('audit_staged').where({ id: second }).update({ mac: 'f'.repeat(64) });
    assert.equal(await audit.sealStaged(), 2);
    const rows = await db('audit_events').where('seq', '>', 1).orderBy('seq').select('action', 'outcome', 'details');
    assert.deepEqual(
      rows.map((r) => [r.action, r.outcome, JSON.parse(r.details)]),
      [
        [STAGED_ALTERED_ACTION, 'failed', { stagedId: first }],
        [STAGED_ALTERED_ACTION, 'failed', { stagedId: second }],
      ],
    );
    assert.equal((await audit.verify(db)).ok, true, 'the findings are part of the keyed chain');
  } finally {
    await db.destroy();
  }
});

/** Stages one event full of quoting hazards and seals it: it must be chained exactly as staged. */
async function sealsAwkwardTextIntact(db: Knex): Promise<void> {
  await migrate(db);
  const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
  const audit = new AuditLog(db, () => ring, steppingClock(), { firstRun: { action: 'session.setup', happened: async () => true } });
  await audit.append(db, { actorId: null, action: 'session.setup', outcome: 'ok' });
  const awkward = { by: "O'Brien \\ \\' ; DROP TABLE audit_events; --", reason: 'Zoë: \\n "quoted" $$ E\'x\'', n: 7, none: null, list: ["a'b", 'c\\d'] };
  const actorId = randomUUID();
  await db.transaction((trx) => audit.stage(trx, { actorId, action: 'customer.search', outcome: 'ok', details: awkward }));
  assert.equal(await audit.sealStaged(), 1);
  const row = await db('audit_events').where({ seq: 2 }).first('actor_id', 'details');
  assert.equal(row.actor_id, actorId);
  assert.deepEqual(JSON.parse(row.details), awkward);
  assert.deepEqual(await audit.verify(db), { ok: true, checked: 2, firstBrokenSeq: null, reason: null });
}

test('a seal writes its events as literals: quotes, backslashes and non-ASCII text are chained exactly as staged', { skip: onlyOn('pg', 'SQLite never stages') }, async () => {
  const db = await freshDb();
  try {
    await sealsAwkwardTextIntact(db);
  } finally {
    await db.destroy();
  }
});

test('a seal escapes the same on a database whose DBA turned standard_conforming_strings off (backslashes then escape)', { skip: onlyOn('pg', 'SQLite never stages') }, async () => {
  const database = await testDatabase();
  const name = new URL(String(database.config.client === 'pg' ? database.config.connection : '')).pathname.slice(1);
  await onServerRaw(`ALTER DATABASE ${name} SET standard_conforming_strings = off`);
  const db = openDatabase(database.config);
  try {
    assert.equal((await db.raw('SHOW standard_conforming_strings')).rows[0].standard_conforming_strings, 'off');
    await sealsAwkwardTextIntact(db);
  } finally {
    await db.destroy();
    await database.drop();
  }
});

test('a seal that fails after taking the staged events puts them all back: nothing is lost, the next seal chains them', { skip: onlyOn('pg', 'SQLite never stages') }, async () => {
  const { db, audit } = await setUp();
  try {
    await db.transaction(async (trx) => {
      await audit.stage(trx, search(1));
      await audit.stage(trx, search(2));
    });
    // The events' insert fails inside the seal's second round trip (a check the migration never made).
    await db.raw(`ALTER TABLE audit_events ADD CONSTRAINT test_refuse_searches CHECK (action <> 'customer.search') NOT VALID`);
    await assert.rejects(audit.sealStaged(), /test_refuse_searches/);
    assert.equal(await count(db, 'audit_staged'), 2, 'both events are staged again');
    assert.equal(Number((await db('meta').where({ key: 'audit_head' }).first<{ value: string }>())!.value.split(':')[0]), 1, 'the head did not move');
    await db.raw('ALTER TABLE audit_events DROP CONSTRAINT test_refuse_searches');
    assert.equal(await audit.sealStaged(), 2);
    assert.deepEqual((await db('audit_events').where('seq', '>', 1).orderBy('seq').pluck('details')).map((d: string) => JSON.parse(d).n), [1, 2]);
    assert.deepEqual(await audit.verify(db), { ok: true, checked: 3, firstBrokenSeq: null, reason: null });
  } finally {
    await db.destroy();
  }
});

test('the first event of a chain can be a staged one: a seal with no head yet creates it', { skip: onlyOn('pg', 'SQLite never stages') }, async () => {
  const db = await freshDb();
  try {
    await migrate(db);
    const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
    const audit = new AuditLog(db, () => ring, steppingClock(), { firstRun: { action: 'session.setup', happened: async () => false } });
    await db.transaction((trx) => audit.stage(trx, search(1)));
    assert.equal(await db('meta').where({ key: 'audit_head' }).first(), undefined, 'no head before the seal');
    assert.equal(await audit.sealStaged(), 1);
    assert.equal((await db('meta').where({ key: 'audit_head' }).first<{ value: string }>())!.value.split(':')[0], '1');
    assert.deepEqual(await audit.verify(db), { ok: true, checked: 1, firstBrokenSeq: null, reason: null });
  } finally {
    await db.destroy();
  }
});

test('many staged events are sealed in batches into one gapless chain, interleaved with direct appends from other connections', { skip: onlyOn('pg', 'SQLite never stages') }, async () => {
  const { db, audit } = await setUp();
  try {
    // 1,203 events staged by 3 callers at once, while direct appends and seals run beside them.
    const stagers = [0, 1, 2].map((k) =>
      (async () => {
        for (let i = 0; i < 401; i += 1) await db.transaction((trx) => audit.stage(trx, search(k * 1000 + i)));
      })(),
    );
    const direct = (async () => {
      for (let i = 0; i < 20; i += 1) await audit.append(db, { actorId: null, action: 'settings.update', outcome: 'ok' });
    })();
    const sealers = [0, 1].map(() =>
      (async () => {
        for (let i = 0; i < 30; i += 1) await audit.sealStaged();
      })(),
    );
    await Promise.all([...stagers, direct, ...sealers]);
    await audit.sealStaged();
    assert.equal(await count(db, 'audit_staged'), 0);
    assert.equal(await count(db, 'audit_events', { action: 'customer.search' }), 1203);
    assert.equal(await count(db, 'audit_events'), 1 + 1203 + 20);
    const head = (await db('meta').where({ key: 'audit_head' }).first<{ value: string }>())!.value;
    assert.equal(Number(head.split(':')[0]), 1224);
    assert.deepEqual(await audit.verify(db), { ok: true, checked: 1224, firstBrokenSeq: null, reason: null });
    const ns = (await db('audit_events').where({ action: 'customer.search' }).pluck('details')).map((d: string) => JSON.parse(d).n as number);
    assert.equal(new Set(ns).size, 1203, 'each staged event chained exactly once');
  } finally {
    await db.destroy();
  }
});

/** Events committed to `audit_staged` by a workstation that died before chaining them (its own log, its own keys). */
async function leaveStaged(t: TestCore, events: NewAuditEvent[]): Promise<void> {
  const db = t.openDb();
  try {
    const ring = await unlockKeyRing(db, t.vault, systemClock.nowIso());
    const gone = new AuditLog(db, () => ring, steppingClock(), { firstRun: { action: 'session.setup', happened: async () => true } });
    await db.transaction(async (trx) => {
      for (const event of events) assert.equal(await gone.stage(trx, event), true);
    });
  } finally {
    await db.destroy();
  }
}

test('events a dead workstation left staged are chained before an auditor verifies or exports the head (past one seal batch) and when a workstation starts', { skip: onlyOn('pg', 'SQLite never stages') }, async () => {
  const t = await startCore();
  try {
    await t.call('session.setup', ADMIN);
    await leaveStaged(t, [search(1), search(2)]);
    const verdict = await t.call<{ ok: boolean; checked: number }>('audit.verify', {});
    const db = t.openDb();
    try {
      assert.equal(verdict.ok, true);
      assert.equal(await count(db, 'audit_staged'), 0);
      const searches = await db('audit_events').where({ action: 'customer.search' }).orderBy('seq').select('seq', 'details');
      assert.deepEqual(searches.map((r) => JSON.parse(r.details).n), [1, 2]);
      assert.ok(Math.max(...searches.map((r) => Number(r.seq))) <= verdict.checked, 'the verify checked the events it chained');
      const verified = await db('audit_events').where({ action: 'audit.verified' }).orderBy('seq', 'desc').first('details');
      assert.equal(JSON.parse(verified.details).sealedFirst, 2);
    } finally {
      await db.destroy();
    }

    // A head export chains what waits too, and a verify takes more than one seal batch (500) in its transaction.
    await leaveStaged(t, [search(3)]);
    await t.call('audit.exportHead', {});
    await leaveStaged(t, Array.from({ length: 520 }, (_, i) => search(4 + i)));
    const big = await t.call<{ ok: boolean; checked: number }>('audit.verify', {});
    const db1 = t.openDb();
    try {
      assert.equal(big.ok, true);
      assert.equal(await count(db1, 'audit_staged'), 0);
      const exported = await db1('audit_events').where({ action: 'audit.head_exported' }).first('details');
      assert.equal(JSON.parse(exported.details).sealedFirst, 1);
      const verified = await db1('audit_events').where({ action: 'audit.verified' }).orderBy('seq', 'desc').first('details');
      assert.equal(JSON.parse(verified.details).sealedFirst, 520);
      assert.equal(await count(db1, 'audit_events', { action: 'customer.search' }), 523);
    } finally {
      await db1.destroy();
    }

    await leaveStaged(t, [search(600)]);
    await t.core.close();
    // Nothing on the way back: the start-up itself chains what waits.
    const reopened = await startCore({ dataDir: t.dataDir, vault: t.vault });
    const db2 = reopened.openDb();
    try {
      assert.equal(await count(db2, 'audit_staged'), 0);
      assert.equal(await count(db2, 'audit_events', { action: 'customer.search' }), 524);
      await reopened.call('session.login', { username: ADMIN.username, password: ADMIN.password });
      assert.deepEqual(await reopened.call('audit.verify', {}).then((v) => (v as { ok: boolean }).ok), true);
    } finally {
      await db2.destroy();
      await reopened.core.close();
    }
  } finally {
    await t.cleanup();
  }
});
