import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { describe, test } from 'node:test';
import { openCore } from '../../main/core.node.ts';
import { APP_VERSION, compareAppVersions } from '../../main/platform/appVersion.std.ts';
import { StartupError } from '../../main/platform/startupError.std.ts';
import { MIN_APP_VERSION_KEY, migrate, minAppVersion } from '../../main/platform/store/migrate.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import type { Migration } from '../../main/platform/store/migrations/migration.node.ts';
import { FAST_PASSWORDS, startCore, tempDir } from '../support/core.ts';
import { coreDatabase, databaseFingerprint, freshDb, openTestDb } from '../support/database.ts';

const refusal = async (promise: Promise<unknown>): Promise<StartupError> => {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.ok(error instanceof StartupError, `expected a StartupError, got ${String(error)}`);
  return error;
};

describe('oldest app version a database accepts (min_app_version)', () => {
  test('APP_VERSION is package.json\'s version, and versions compare numerically', () => {
    assert.equal(APP_VERSION, JSON.parse(readFileSync('package.json', 'utf8')).version);
    assert.equal(compareAppVersions('1.2.10', '1.2.9'), 1);
    assert.equal(compareAppVersions('0.1.0', '0.1'), 0);
    assert.equal(compareAppVersions('0.9.9', '1.0.0-beta'), -1);
  });

  test('a migration that breaks older apps raises the recorded version, never lowers it', async () => {
    const db = await freshDb();
    try {
      const breaking = (version: number, minAppVersion: string): Migration => ({ version, name: `test ${version}`, minAppVersion, up: async () => undefined });
      await migrate(db);
      assert.equal(await minAppVersion(db), '0.2.0', 'migration 0022 (XChaCha20-Poly1305 sections) shuts out apps before 0.2.0');
      await migrate(db, [...MIGRATIONS, breaking(101, '0.3.0')], { appVersion: '0.3.0' });
      assert.equal(await minAppVersion(db), '0.3.0');
      await migrate(db, [...MIGRATIONS, breaking(101, '0.3.0'), breaking(102, '0.2.5')], { appVersion: '0.3.0' });
      assert.equal(await minAppVersion(db), '0.3.0');
    } finally {
      await db.destroy();
    }
  });

  test('a workstation one version behind is told to update, and the database is left untouched', async () => {
    const dir = tempDir();
    const t = await startCore({ dataDir: dir });
    await t.core.close();
    const db = openTestDb(dir);
    // A newer app migrated past this one (schema 999) and recorded that apps before 0.3.0 cannot use it.
    await db('schema_migrations').insert({ version: 999, name: 'from the next release', applied_at: new Date().toISOString() });
    assert.equal(await db('meta').where({ key: MIN_APP_VERSION_KEY }).update({ value: '0.3.0' }), 1);
    if (t.engine === 'sqlite') await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    await db.destroy();
    const before = await databaseFingerprint(dir);
    const error = await refusal(openCore({ dataDir: dir, vault: t.vault, passwordCost: FAST_PASSWORDS, appVersion: '0.2.0', ...coreDatabase(dir) }));
    assert.equal(error.code, 'APP_OUTDATED');
    assert.match(error.message, /Update this workstation/);
    assert.match(error.message, /0\.3\.0/);
    assert.ok(error.recovery.some((step) => /Install .*0\.3\.0/.test(step)));
    assert.equal(await databaseFingerprint(dir), before, 'nothing written');

    // The newer schema still accepts an app at the recorded version: it opens without migrating anything.
    const current = await openCore({ dataDir: dir, vault: t.vault, passwordCost: FAST_PASSWORDS, appVersion: '0.3.0', ...coreDatabase(dir) });
    await current.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
