import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openCore } from '../../main/core.node.ts';
import { kekName } from '../../main/platform/crypto/kek.node.ts';
import { kekFacts } from '../../main/platform/crypto/keyRing.node.ts';
import { sealEnrolmentPackage } from '../../main/platform/crypto/enrolmentPackage.node.ts';
import { WorkstationService } from '../../main/features/workstation/workstation.node.ts';
import { openNodeSettings } from '../../main/platform/settings/settings.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { StartupError } from '../../main/platform/startupError.std.ts';
import { DATABASE_PASSWORD_ENTRY, type PostgresConnection, type ProbeOutcome } from '../../main/platform/store/connectionSettings.std.ts';
import { pgConnectionFields, pgTlsOptions } from '../../main/platform/store/database.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { openReadOnly, probeDatabase } from '../../main/platform/store/probe.node.ts';
import { ADMIN, startCore, tempDir } from '../support/core.ts';
import { freePort, makeUnrelatedCa, postgresSkipReason, startPostgres, type PostgresServer } from '../support/postgresServer.ts';

const LATEST = MIGRATIONS.at(-1)!.version;
const APP = { user: 'console_app', password: `pw-${randomUUID()}` };
const skip = postgresSkipReason();

/** Stands in for a database the console initialised: the facts the probe reads (schema version, install id, key check). */
async function initialise(server: PostgresServer, database: string, kek: Buffer, version = LATEST): Promise<string> {
  const installId = randomUUID();
  await server.sql(
    `CREATE TABLE schema_migrations (version integer PRIMARY KEY, name varchar(200) NOT NULL, applied_at varchar(32) NOT NULL);
     CREATE TABLE meta (key varchar(64) PRIMARY KEY, value text NOT NULL);
     INSERT INTO schema_migrations VALUES (${version}, 'test', '2026-01-01T00:00:00Z');
     INSERT INTO meta VALUES ('install_id', '${installId}'), ('key_check', '${kekFacts(kek).checkValue}');
     ALTER TABLE schema_migrations OWNER TO ${APP.user}; ALTER TABLE meta OWNER TO ${APP.user};`,
    database,
  );
  return installId;
}

async function snapshot(server: PostgresServer, database: string): Promise<string> {
  const tables = await server.sql(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`, database);
  const rows: string[] = [];
  for (const { table_name } of tables.rows as { table_name: string }[]) {
    rows.push(table_name, JSON.stringify((await server.sql(`SELECT * FROM "${table_name}" ORDER BY 1`, database)).rows));
  }
  return rows.join('\n');
}

describe('Test connection against a real PostgreSQL server (no TLS)', { skip }, () => {
  let server: PostgresServer;
  const kek = randomBytes(32);
  const settings = (over: Partial<PostgresConnection> = {}): PostgresConnection => ({
    engine: 'postgresql',
    host: '127.0.0.1',
    port: server.port,
    database: 'office',
    user: APP.user,
    tls: { mode: 'disable' },
    ...over,
  });
  const probe = (over: Partial<PostgresConnection> = {}, password = APP.password, vault = new MemoryVault()) =>
    probeDatabase(() => ({ client: 'pg', connection: pgConnectionFields(settings(over), password, 3_000) }), vault, { latestSchema: LATEST });
  const outcome = async (...args: Parameters<typeof probe>): Promise<ProbeOutcome> => (await probe(...args)).outcome;
  let installId = '';

  before(async () => {
    server = await startPostgres();
    await server.createDatabase('office', APP);
    await server.createDatabase('empty', APP);
    await server.createDatabase('newer', APP);
    installId = await initialise(server, 'office', kek);
    await initialise(server, 'newer', randomBytes(32), LATEST + 1);
  });
  after(() => server?.stop());

  test('a closed port is "unreachable"', async () => {
    assert.equal(await outcome({ port: await freePort() }), 'unreachable');
  });

  test('a wrong password is "authentication failed", and the message does not echo it', async () => {
    const result = await probe({}, 'not the password');
    assert.equal(result.outcome, 'auth_failed');
    assert.doesNotMatch(JSON.stringify(result), /not the password|console_app/);
  });

  test('an unknown database name is "database missing"', async () => {
    assert.equal(await outcome({ database: 'nosuchdb' }), 'database_missing');
  });

  test('TLS required by the client on a server without TLS is a TLS failure', async () => {
    assert.equal(await outcome({ tls: { mode: 'require' } }), 'tls_failed');
  });

  test('an empty database is "not initialised", and the probe creates nothing in it', async () => {
    const before = await snapshot(server, 'empty');
    assert.equal(await outcome({ database: 'empty' }), 'not_initialised');
    assert.equal(await snapshot(server, 'empty'), before);
    assert.equal(before, '');
  });

  test('a database from a newer app is "db_newer" and says to update this workstation', async () => {
    const result = await probe({ database: 'newer' });
    assert.equal(result.outcome, 'db_newer');
    assert.equal(result.schemaVersion, LATEST + 1);
    assert.match(result.message, /Update this workstation/);
  });

  test('a database whose oldest usable app version is newer than this one says "update this workstation"', async () => {
    await server.sql(`INSERT INTO meta VALUES ('min_app_version', '0.3.0')`, 'newer');
    try {
      const at = (appVersion: string) =>
        probeDatabase(() => ({ client: 'pg', connection: pgConnectionFields(settings({ database: 'newer' }), APP.password, 3_000) }), new MemoryVault(), { latestSchema: LATEST, appVersion });
      const behind = await at('0.2.9');
      assert.equal(behind.outcome, 'app_outdated');
      assert.match(behind.message, /^Update this workstation/);
      // A newer schema that still accepts this version is usable: the probe goes on to the key.
      assert.equal((await at('0.3.0')).outcome, 'key_not_enrolled');
    } finally {
      await server.sql(`DELETE FROM meta WHERE key = 'min_app_version'`, 'newer');
    }
  });

  test('an enrolment package is imported against the PostgreSQL database: another install or a wrong passphrase is refused, the right one stored', async () => {
    const vault = new MemoryVault();
    const service = new WorkstationService({ settings: openNodeSettings(tempDir()), vault, dataDir: tempDir(), now: () => new Date() });
    const database = { client: 'pg' as const, connection: pgConnectionFields(settings(), APP.password, 3_000) };
    const seal = (installFor: string) =>
      sealEnrolmentPackage({ kek, installId: installFor, passphrase: 'office enrolment passphrase', createdAt: new Date(), expiresAt: new Date(Date.now() + 3_600_000), logN: 14 });
    const foreign = await seal(randomUUID());
    await assert.rejects(service.importEnrolment(foreign.text, 'office enrolment passphrase', database), /for another database/);
    const right = await seal(installId);
    await assert.rejects(service.importEnrolment(right.text, 'office enrolment passphrase!', database), /passphrase does not open/);
    assert.equal(await vault.get(kekName(installId)), null);
    assert.deepEqual(await service.importEnrolment(right.text, 'office enrolment passphrase', database), { installId, kekId: kekFacts(kek).kekId });
    assert.deepEqual(await vault.get(kekName(installId)), kek);
  });

  test('a keychain without the key for the install id is "key not enrolled"; another key is "key mismatch"', async () => {
    const result = await probe();
    assert.equal(result.outcome, 'key_not_enrolled');
    assert.equal(result.installId, installId);
    const wrong = new MemoryVault();
    await wrong.set(kekName(installId), randomBytes(32));
    assert.equal(await outcome({}, APP.password, wrong), 'key_mismatch');
  });

  test('with the enrolled key the result is "ok", and nothing was written to the database', async () => {
    const before = await snapshot(server, 'office');
    const vault = new MemoryVault();
    await vault.set(kekName(installId), kek);
    const result = await probe({}, APP.password, vault);
    assert.deepEqual({ outcome: result.outcome, installId: result.installId, schemaVersion: result.schemaVersion }, { outcome: 'ok', installId, schemaVersion: LATEST });
    assert.equal(await snapshot(server, 'office'), before);
  });

  test('the probe connection is read-only: the server refuses a write through it', async () => {
    const db = openReadOnly({ client: 'pg', connection: pgConnectionFields(settings(), APP.password, 3_000) });
    try {
      await assert.rejects(db('meta').insert({ key: 'planted', value: 'x' }), /read-only transaction/);
      await assert.rejects(db.schema.createTable('planted', (t) => t.integer('x')), /read-only transaction/);
    } finally {
      await db.destroy();
    }
  });

  test('openCore on a wrong password or a closed port refuses with a DB_CONNECTION startup error and steps', async () => {
    for (const [over, password, words] of [
      [{}, 'wrong', /refused the user name or password/],
      [{ port: await freePort() }, APP.password, /could not be reached/],
    ] as const) {
      const dataDir = tempDir();
      await assert.rejects(
        openCore({ dataDir, vault: new MemoryVault(), database: { client: 'pg', connection: pgConnectionFields(settings(over), password, 3_000) } }),
        (error: unknown) => error instanceof StartupError && error.code === 'DB_CONNECTION' && words.test(error.message) && error.recovery.length > 0,
      );
    }
  });

  test('IT tests and saves the connection through the channels: the password goes to the keychain only, audited without values', async () => {
    const t = await startCore();
    try {
      await t.call('session.setup', ADMIN);
      await t.call('session.login', { username: ADMIN.username, password: ADMIN.password });
      const tested = await t.call<{ outcome: string }>('workstation.connection.test', { connection: settings(), password: 'wrong' });
      assert.equal(tested.outcome, 'auth_failed');
      t.clock.advance(6 * 60_000); // past the re-entry window the sign-in opened
      const refused = await t.core.handle(t.caller(), 'workstation.connection.save', { connection: settings(), password: APP.password });
      assert.equal(refused.ok ? 'ok' : refused.error.code, 'REAUTH_REQUIRED');
      await t.call('session.reauthenticate', { password: ADMIN.password });
      const saved = await t.call<{ passwordStored: boolean }>('workstation.connection.save', { connection: settings(), password: APP.password });
      assert.equal(saved.passwordStored, true);
      assert.equal((await t.vault.get(DATABASE_PASSWORD_ENTRY))?.toString('utf8'), APP.password);
      const file = readFileSync(t.core.paths.settings, 'utf8');
      assert.doesNotMatch(file, new RegExp(APP.password));
      assert.equal(JSON.parse(file).databaseConnection.port, server.port);
      // With the stored password (none given) the test reaches the database; this keychain has no office key.
      assert.equal((await t.call<{ outcome: string }>('workstation.connection.test', { connection: settings() })).outcome, 'key_not_enrolled');
      const events = await t.call<{ events: { action: string; details: unknown }[] }>('audit.list', { limit: 20 });
      const mine = events.events.filter((e) => e.action.startsWith('workstation.'));
      assert.deepEqual(
        mine.map((e) => e.action).sort(),
        ['workstation.connection_saved', 'workstation.connection_tested', 'workstation.connection_tested'],
      );
      assert.doesNotMatch(JSON.stringify(mine), new RegExp(`${APP.password}|wrong|127\\.0\\.0\\.1`));
      // Back to the local database: the stored password is removed.
      await t.call('workstation.connection.save', { connection: { engine: 'sqlite' } });
      assert.equal(await t.vault.get(DATABASE_PASSWORD_ENTRY), null);
    } finally {
      await t.cleanup();
    }
  });
});

describe('Test connection against a TLS-only PostgreSQL server', { skip }, () => {
  let server: PostgresServer;
  const settings = (tls: PostgresConnection['tls']): PostgresConnection => ({ engine: 'postgresql', host: '127.0.0.1', port: server.port, database: 'office', user: APP.user, tls });
  const outcome = async (tls: PostgresConnection['tls']) =>
    (await probeDatabase(() => ({ client: 'pg', connection: pgConnectionFields(settings(tls), APP.password, 3_000) }), new MemoryVault(), { latestSchema: LATEST })).outcome;

  before(async () => {
    server = await startPostgres({ tls: true, tlsOnly: true });
    await server.createDatabase('office', APP);
  });
  after(() => server?.stop());

  test('a client with TLS off is turned away: a TLS failure, not a password problem', async () => {
    assert.equal(await outcome({ mode: 'disable' }), 'tls_failed');
  });

  test('"require" connects (encrypted, certificate not checked)', async () => {
    assert.equal(await outcome({ mode: 'require' }), 'not_initialised');
  });

  test('"verify-full" with the office CA connects; with another CA it is a TLS failure', async () => {
    assert.equal(await outcome({ mode: 'verify-full', caFile: server.caFile! }), 'not_initialised');
    assert.equal(await outcome({ mode: 'verify-full', caFile: makeUnrelatedCa(tempDir()) }), 'tls_failed');
  });

  test('"verify-full" with a CA file that cannot be read is a TLS failure naming the file problem', async () => {
    const result = await probeDatabase(() => ({ client: 'pg', connection: pgConnectionFields(settings({ mode: 'verify-full', caFile: '/nonexistent/ca.pem' }), APP.password) }), new MemoryVault(), {
      latestSchema: LATEST,
    });
    assert.equal(result.outcome, 'tls_failed');
    assert.match(result.message, /CA certificate file could not be read/);
  });
});

describe('TLS mode mapping onto node-postgres', () => {
  test('disable → no TLS; require → TLS without certificate check; verify-full → CA + host name check', () => {
    const dir = tempDir();
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, 'PEM');
    assert.equal(pgTlsOptions({ mode: 'disable' }), false);
    assert.deepEqual(pgTlsOptions({ mode: 'require' }), { rejectUnauthorized: false });
    assert.deepEqual(pgTlsOptions({ mode: 'verify-full', caFile: ca }), { rejectUnauthorized: true, ca: 'PEM' });
    assert.throws(() => pgTlsOptions({ mode: 'verify-full', caFile: join(dir, 'missing.pem') }));
  });

  test('a missing SQLite file is "not initialised" and is not created by the probe', async () => {
    const filename = join(tempDir(), 'absent.sqlite');
    assert.equal((await probeDatabase({ client: 'sqlite', filename }, new MemoryVault(), { latestSchema: LATEST })).outcome, 'not_initialised');
    assert.throws(() => readFileSync(filename));
  });
});
