import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openCore } from '../../main/core.node.ts';
import { kekFacts } from '../../main/platform/crypto/keyRing.node.ts';
import { kekName, unlockKek } from '../../main/platform/crypto/kek.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import type { SecretVault } from '../../main/platform/keychain/vault.std.ts';
import { StartupError } from '../../main/platform/startupError.std.ts';
import { openDatabase, SQLITE_CACHE_MIB } from '../../main/platform/store/database.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { ADMIN, FAST_PASSWORDS, startCore, tempDir } from '../support/core.ts';
import { openTestVault } from '../support/vaults.ts';
import { coreDatabase, databaseFingerprint, onlyOn, openTestDb, testDatabase } from '../support/database.ts';


async function installIdOf(dataDir: string): Promise<string> {
  const db = openTestDb(dataDir);
  try {
    return (await db('meta').where({ key: 'install_id' }).first<{ value: string }>()).value;
  } finally {
    await db.destroy();
  }
}

async function refusal(promise: Promise<unknown>): Promise<StartupError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.ok(error instanceof StartupError, `expected a StartupError, got ${String(error)}`);
  return error;
}

describe('migrations', () => {
  test('a fresh file gets every migration, with WAL, foreign keys and secure_delete on', { skip: onlyOn('sqlite', 'SQLite file PRAGMAs (PostgreSQL schema: dialect.test.ts)') }, async () => {
    const dir = tempDir();
    const db = openDatabase({ client: 'sqlite', filename: join(dir, 'fresh.sqlite') });
    try {
      assert.deepEqual(await migrate(db), { from: 0, to: MIGRATIONS.at(-1)!.version });
      assert.equal(await schemaVersion(db), MIGRATIONS.at(-1)!.version);
      for (const table of ['meta', 'users', 'audit_events']) assert.ok(await db.schema.hasTable(table), table);
      const pragma = async (name: string) => Object.values((await db.raw(`PRAGMA ${name}`))[0] as object)[0];
      assert.equal(pragma && (await pragma('journal_mode')), 'wal');
      assert.equal(await pragma('foreign_keys'), 1);
      assert.equal(await pragma('secure_delete'), 1);
      assert.equal(await pragma('busy_timeout'), 5000);
      assert.equal(await pragma('cache_size'), -SQLITE_CACHE_MIB * 1024, 'the page cache the app ships with (issue #14)');
      assert.deepEqual(await migrate(db), { from: MIGRATIONS.at(-1)!.version, to: MIGRATIONS.at(-1)!.version });
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a database from a newer app is refused and left untouched', async () => {
    const dir = tempDir();
    const t = await startCore({ dataDir: dir });
    await t.core.close();
    const db = openTestDb(dir);
    await db('schema_migrations').insert({ version: 999, name: 'from the future', applied_at: new Date().toISOString() });
    // With no oldest usable app version recorded (as before migration 0022), a newer schema is refused outright;
    // with one, that version decides (appVersion.test.ts).
    await db('meta').where({ key: 'min_app_version' }).delete();
    if (t.engine === 'sqlite') await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    await db.destroy();
    const before = await databaseFingerprint(dir);
    const error = await refusal(openCore({ dataDir: dir, vault: t.vault, passwordCost: FAST_PASSWORDS, ...coreDatabase(dir) }));
    assert.equal(error.code, 'DB_NEWER');
    assert.match(error.message, /newer version/);
    assert.ok(error.recovery.length > 0);
    assert.equal(await databaseFingerprint(dir), before);
    rmSync(dir, { recursive: true, force: true });
  });
});

test('an older database is not migrated until its key is proven', async () => {
  const dir = tempDir();
  const vault = new MemoryVault();
  const database = await testDatabase();
  const old = openDatabase(database.config);
  await migrate(old, MIGRATIONS.slice(0, 1));
  const { kek } = await unlockKek(old, vault);
  const installId = (await old('meta').where({ key: 'install_id' }).first<{ value: string }>()).value;
  await old.destroy();
  assert.equal(kekFacts(kek).kekId.length, 16);
  const rightKey = (await vault.get(kekName(installId)))!;

  await vault.set(kekName(installId), randomBytes(32));
  const error = await refusal(openCore({ dataDir: dir, vault, passwordCost: FAST_PASSWORDS, database: database.config }));
  assert.equal(error.code, 'KEY_MISMATCH');
  const check = openDatabase(database.config);
  const versionAfterRefusal = await schemaVersion(check);
  await check.destroy();
  assert.equal(versionAfterRefusal, 1, 'the refused database was not migrated');

  await vault.set(kekName(installId), rightKey);
  const core = await openCore({ dataDir: dir, vault, passwordCost: FAST_PASSWORDS, database: database.config });
  await core.close();
  const after = openDatabase(database.config);
  assert.equal(await schemaVersion(after), MIGRATIONS.at(-1)!.version);
  await after.destroy();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('key-encryption key in the keychain', () => {
  let vault: SecretVault;
  let dir: string;
  let name: string;
  let kek: Buffer;

  before(async () => {
    vault = (await openTestVault()).vault;
    dir = tempDir();
    const t = await startCore({ dataDir: dir, vault });
    await t.call('session.setup', ADMIN);
    await t.core.close();
    name = kekName(await installIdOf(dir));
    const stored = await vault.get(name);
    assert.ok(stored, 'first run stores a KEK in the keychain');
    assert.equal(stored.length, 32);
    kek = stored;
  });

  after(async () => {
    await vault.delete(name);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a missing key over existing data is refused, and no new key is created', async () => {
    await vault.delete(name);
    const error = await refusal(openCore({ dataDir: dir, vault, passwordCost: FAST_PASSWORDS, ...coreDatabase(dir) }));
    assert.equal(error.code, 'KEY_MISSING');
    assert.match(error.recovery.join(' '), /restore/i);
    assert.equal(await vault.get(name), null, 'never creates a key over existing data');
    await vault.set(name, kek);
  });

  test('a wrong key is refused and the data stays readable with the right one', async () => {
    await vault.set(name, randomBytes(32));
    const error = await refusal(openCore({ dataDir: dir, vault, passwordCost: FAST_PASSWORDS, ...coreDatabase(dir) }));
    assert.equal(error.code, 'KEY_MISMATCH');
    await vault.set(name, kek);
    const t = await startCore({ dataDir: dir, vault });
    try {
      const me = await t.call<{ displayName: string }>('session.login', { username: ADMIN.username, password: ADMIN.password });
      assert.equal(me.displayName, ADMIN.displayName);
    } finally {
      await t.core.close();
    }
  });

  test('a deleted key check is never re-stamped for a wrong key (attack: delete meta.key_check, plant a key)', async () => {
    const db = openTestDb(dir);
    const check = (await db('meta').where({ key: 'key_check' }).first<{ value: string }>()).value;
    await db('meta').where({ key: 'key_check' }).delete();
    await db.destroy();
    await vault.set(name, randomBytes(32));
    const before = await databaseFingerprint(dir);
    const error = await refusal(openCore({ dataDir: dir, vault, passwordCost: FAST_PASSWORDS, ...coreDatabase(dir) }));
    assert.equal(error.code, 'KEY_CHECK_MISSING');
    assert.match(error.recovery.join(' '), /backup/i);
    assert.equal(await databaseFingerprint(dir), before, 'no key check was written for the planted key');
    // The right key is not locked out either: with the check restored the database opens as before.
    await vault.set(name, kek);
    const restore = openTestDb(dir);
    await restore('meta').insert({ key: 'key_check', value: check });
    await restore.destroy();
    const t = await startCore({ dataDir: dir, vault });
    await t.core.close();
  });

  test('an unreachable keychain is refused with steps, not a crash', async () => {
    const broken: SecretVault = {
      kind: 'broken',
      get: () => Promise.reject(new Error('no secret service')),
      set: () => Promise.reject(new Error('no secret service')),
      delete: () => Promise.reject(new Error('no secret service')),
    };
    const error = await refusal(openCore({ dataDir: dir, vault: broken, passwordCost: FAST_PASSWORDS, ...coreDatabase(dir) }));
    assert.equal(error.code, 'KEYCHAIN_UNAVAILABLE');
  });
});
