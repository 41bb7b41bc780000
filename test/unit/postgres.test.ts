import type { Knex } from 'knex';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { channel } from '../../main/platform/ipc/channel.std.ts';
import { Router, type RouterSession } from '../../main/platform/ipc/router.node.ts';
import { empty, ok } from '../../main/platform/ipc/schemas.std.ts';
import type { Logger } from '../../main/platform/log/logger.node.ts';
import { openDatabase, type Db } from '../../main/platform/store/database.node.ts';
import { migrate } from '../../main/platform/store/migrate.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { inTransaction, TRANSACTION_ATTEMPTS } from '../../main/platform/store/transaction.node.ts';
import { ADMIN, startCore, tempDir } from '../support/core.ts';
import { sampleCustomer, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';
import { freshDb, onlyOn, onServerRaw, testDatabase } from '../support/database.ts';
import { DirectoryVault } from '../support/fileVault.ts';

const PG_ONLY = onlyOn('pg', 'several connections and processes writing one server database at once');

const logger = (warnings: string[] = []): Logger => ({
  file: '',
  info: () => undefined,
  warn: (event) => void warnings.push(event),
  error: () => undefined,
  close: async () => undefined,
});

describe('PostgreSQL: several workstations on one database', { skip: PG_ONLY }, () => {
  test('migrations run once when three workstations start together (advisory lock)', async () => {
    const database = await testDatabase();
    const pools = [0, 1, 2].map(() => openDatabase(database.config));
    try {
      const results = await Promise.all(pools.map((db) => migrate(db)));
      const latest = MIGRATIONS.at(-1)!.version;
      for (const r of results) assert.equal(r.to, latest);
      const applied = await pools[0]!('schema_migrations').orderBy('version').select<{ version: number }[]>('version');
      assert.deepEqual(applied.map((r) => r.version), MIGRATIONS.map((m) => m.version), 'each migration applied exactly once');
      assert.equal(results.filter((r) => r.from === 0).length >= 1, true);
    } finally {
      await Promise.all(pools.map((db) => db.destroy()));
      await database.drop();
    }
  });

  test('a serialization failure is retried where the caller never sees it: both calls succeed, no update lost, one audit event each', async () => {
    const db = await freshDb();
    try {
      await db.schema.createTable('tally', (t) => {
        t.string('id').primary();
        t.integer('n').notNullable();
      });
      await db.schema.createTable('audit_probe', (t) => t.increments('id'));
      await db('tally').insert({ id: 'x', n: 0 });
      let reads = 0;
      let release!: () => void;
      const bothRead = new Promise<void>((resolve) => (release = resolve));
      let runs = 0;
      const warnings: string[] = [];
      const session: RouterSession = { senderId: 'w', userId: 'u', role: 'staff', locked: false };
      const router = new Router({
        db,
        channels: { 'tally.bump': channel({ input: empty, output: ok, access: { kind: 'session' }, audit: 'tally.bumped' }) },
        audit: { append: async (q) => (await q('audit_probe').insert({}), 1) },
        sessions: { get: () => session, revoked: async () => null, end: () => undefined, lockIfIdle: () => undefined, hasRecentReauth: () => true, touch: () => undefined },
        logger: logger(warnings),
        handlers: {
          'tally.bump': async (_input, ctx) => {
            runs += 1;
            const { n } = await ctx.q('tally').where({ id: 'x' }).first<{ n: number }>();
            // The first two attempts both read before either writes: a classic lost update, unless serialised.
            if (reads < 2) {
              reads += 1;
              if (reads === 2) release();
              await Promise.race([bothRead, new Promise((r) => setTimeout(r, 2000))]);
            }
            await ctx.q('tally').where({ id: 'x' }).update({ n: n + 1 });
            return { ok: true as const };
          },
        },
      });
      const caller = { senderId: 'w', trusted: true as const };
      const results = await Promise.all([router.handle(caller, 'tally.bump', {}), router.handle(caller, 'tally.bump', {})]);
      assert.deepEqual(results, [{ ok: true, value: { ok: true } }, { ok: true, value: { ok: true } }]);
      assert.equal((await db('tally').first<{ n: number }>()).n, 2, 'no lost update');
      assert.ok(runs >= 3, `the loser ran again (${runs} runs)`);
      assert.ok(warnings.includes('ipc.transaction_retry'), 'the retry is logged by class');
      assert.equal(Number((await db('audit_probe').count<{ n: string }[]>('* as n'))[0]!.n), 2, 'one audit event per call, none from the rolled-back attempt');
    } finally {
      await db.destroy();
    }
  });

  test('retries are bounded: a transaction that always fails to serialise gives up and the caller gets CONFLICT', async () => {
    const db = await freshDb();
    try {
      let attempts = 0;
      const started = Date.now();
      const error = await inTransaction(db, async () => {
        attempts += 1;
        throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      }).catch((e: unknown) => e);
      assert.equal((error as { code?: string }).code, '40001');
      assert.equal(attempts, TRANSACTION_ATTEMPTS);
      assert.ok(Date.now() - started < 5000, 'jittered backoff stays short');
      const session: RouterSession = { senderId: 'w', userId: 'u', role: 'staff', locked: false };
      const router = new Router({
        db,
        channels: { 'x.deadlock': channel({ input: empty, output: ok, access: { kind: 'session' } }) },
        audit: { append: async () => 0 },
        sessions: { get: () => session, revoked: async () => null, end: () => undefined, lockIfIdle: () => undefined, hasRecentReauth: () => true, touch: () => undefined },
        logger: logger(),
        handlers: {
          'x.deadlock': async () => {
            throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
          },
        },
      });
      const result = await router.handle({ senderId: 'w', trusted: true }, 'x.deadlock', {});
      assert.equal(result.ok ? null : result.error.code, 'CONFLICT');
    } finally {
      await db.destroy();
    }
  });

  test('the documented grants: an app role without UPDATE, DELETE or TRUNCATE on audit_events runs the app; the log refuses it every change', async () => {
    const database = await testDatabase();
    const owner = openDatabase(database.config);
    const role = `itpc_app_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    const dataDir = tempDir('itpc-grants-');
    try {
      // IT, as the owner (here the test server's superuser): the schema, then the role.
      await migrate(owner);
      const dbName = new URL((database.config as { connection: string }).connection).pathname.slice(1);
      await owner.raw(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
      // README "Setting up PostgreSQL", step 2's database grants, then step 5's grants.sql (for this test's role).
      await owner.raw(`REVOKE ALL ON DATABASE ${dbName} FROM PUBLIC`);
      await owner.raw(`GRANT CONNECT, TEMPORARY ON DATABASE ${dbName} TO ${role}`);
      await owner.raw(readFileSync(new URL('../../scripts/postgres/grants.sql', import.meta.url), 'utf8').replaceAll('console_app', role));
      const url = new URL((database.config as { connection: string }).connection);
      url.username = role;
      url.password = password;
      const app = await startCore({ dataDir, database: { client: 'pg', connection: url.toString() } });
      try {
        await app.call('session.setup', ADMIN);
        await app.call('settings.update', { idleLockMinutes: 7 });
        const verified = await app.call<{ ok: boolean; checked: number }>('audit.verify', {});
        assert.equal(verified.ok, true);
        const asApp = app.openDb();
        try {
          const changes = [asApp('audit_events').where({ seq: 1 }).update({ action: 'x' }), asApp('audit_events').where({ seq: 1 }).delete(), asApp.raw('TRUNCATE audit_events')];
          for (const attempt of [...changes, asApp('audit_staged').update({ action: 'x' }), asApp.raw('TRUNCATE audit_staged')]) {
            const error = await attempt.then(() => null, (e: unknown) => e);
            assert.equal((error as { code?: string } | null)?.code, '42501', 'permission denied to the app role');
          }
        } finally {
          await asApp.destroy();
        }
      } finally {
        await app.core.close();
      }
    } finally {
      await owner.destroy();
      await database.drop();
      await onServerRaw(`DROP ROLE IF EXISTS ${role}`);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a reads-only call (opening a record) never holds the audit head in its transaction: it commits with its event staged, then waits only to chain it', async () => {
    const t = await startCustomerCore();
    const other = t.openDb();
    const watcher = t.openDb();
    let holder: Knex.Transaction | null = null;
    try {
      const { customer } = await t.as('staff', 'customers.create', sampleCustomer());
      // Another workstation holds the head (a long audited write, say) while the record is opened.
      holder = await other.transaction();
      await holder.raw('LOCK TABLE meta IN SHARE ROW EXCLUSIVE MODE');
      const opening = t.as('staff', 'customers.open', { customerId: customer.id, purpose: 'customer_support' });
      const staged = async () => Number((await watcher('audit_staged').where({ action: 'record.view' }).count<{ n: string }[]>('* as n'))[0]!.n);
      for (let waited = 0; Number((await watcher.raw('SELECT count(*) AS n FROM pg_locks WHERE NOT granted')).rows[0].n) === 0; waited += 10) {
        assert.ok(waited < 10_000, 'the opening never queued to chain its event');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // While the head is held the opening has already committed: its event waits, staged, for the head.
      assert.equal(await staged(), 1, 'the opening committed its staged event without the head');
      assert.equal(Number((await watcher('audit_events').where({ action: 'record.view' }).count<{ n: string }[]>('* as n'))[0]!.n), 0);
      await holder.commit();
      const record = await opening;
      assert.equal(record.id, customer.id);
      assert.equal(await staged(), 0, 'chained before the call returned');
      assert.equal(Number((await watcher('audit_events').where({ action: 'record.view' }).count<{ n: string }[]>('* as n'))[0]!.n), 1);
      assert.equal((await t.as('auditor', 'audit.verify', {})).ok, true);
    } finally {
      if (holder && !holder.isCompleted()) await holder.rollback();
      await other.destroy();
      await watcher.destroy();
      await t.cleanup();
    }
  });

  describe('two workstations (two Node processes) writing at once', () => {
    let t: CustomerTestCore;
    let vaultDir: string;
    before(async () => {
      vaultDir = tempDir('itpc-two-');
      t = await startCustomerCore({ vault: new DirectoryVault(vaultDir) });
    });
    after(async () => {
      await t.cleanup();
      rmSync(vaultDir, { recursive: true, force: true });
    });

    const withDb = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
      const db = t.openDb();
      try {
        return await fn(db);
      } finally {
        await db.destroy();
      }
    };

    test('every call succeeds, the audit chain stays one chain and verifies while they write, counts agree', async (ctx) => {
      const PER_WORKER = 20;
      const worker = (username: string, prefix: string) =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            ['--import', 'tsx', join(import.meta.dirname, '../support/pgWorker.ts'), JSON.stringify(t.database), vaultDir, username, String(PER_WORKER), prefix],
            { stdio: ['ignore', 'pipe', 'inherit'] },
          );
          let out = '';
          child.stdout.setEncoding('utf8');
          child.stdout.on('data', (chunk: string) => (out += chunk));
          child.on('error', reject);
          child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`worker ${prefix} exited ${code}: ${out.slice(-300)}`))));
        });
      const before = Number((await withDb((db) => db('audit_events').count<{ n: string }[]>('* as n')))[0]!.n);
      let running = true;
      const workers = Promise.all([worker('sam.staff', 'w1'), worker('sid.staff', 'w2')]).finally(() => (running = false));
      // Verifying while both append: a snapshot (head first, then events up to it) never reports a false break.
      let verifications = 0;
      while (running) {
        const v = await t.as('auditor', 'audit.verify', {});
        assert.equal(v.ok, true, `verify during concurrent appends: ${JSON.stringify(v)}`);
        verifications += 1;
      }
      const outputs = await workers;
      for (const out of outputs) assert.match(out, new RegExp(`done ${PER_WORKER} \\n`), 'every call of the worker succeeded');
      const final = await t.as('auditor', 'audit.verify', {});
      assert.equal(final.ok, true);
      await withDb(async (db) => {
        const events = Number((await db('audit_events').count<{ n: string }[]>('* as n'))[0]!.n);
        const head = (await db('meta').where({ key: 'audit_head' }).first<{ value: string }>()).value;
        assert.equal(Number(head.split(':')[0]), events, 'one chain: the head is the last of gapless sequence numbers');
        assert.ok(events - before >= 4 * PER_WORKER, 'each worker call appended its event');
        assert.equal(Number((await db('audit_staged').count<{ n: string }[]>('* as n'))[0]!.n), 0, 'every staged opening was chained');
        assert.ok(Number((await db('audit_events').where({ action: 'record.view' }).count<{ n: string }[]>('* as n'))[0]!.n) >= 2 * PER_WORKER);
        const rows = Number((await db('customers').count<{ n: string }[]>('* as n'))[0]!.n);
        const kept = Number((await db('customer_counts').sum<{ n: string }[]>('n as n'))[0]!.n);
        assert.equal(rows, 2 * PER_WORKER);
        assert.equal(kept, rows, 'the kept counts agree with count(*)');
      });
      const retries = ['w1', 'w2']
        .map((p) => join(vaultDir, `${p}-data`, 'logs', 'app.1.log'))
        .map((file) => (existsSync(file) ? readFileSync(file, 'utf8').split('ipc.transaction_retry').length - 1 : 0))
        .reduce((a, b) => a + b, 0);
      ctx.diagnostic(`verified ${verifications} times while writing; ${retries} transactions retried by the workers`);
    });
  });
});
