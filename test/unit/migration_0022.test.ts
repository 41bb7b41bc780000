import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrate, minAppVersion, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { sectionsXChaCha } from '../../main/platform/store/migrations/0022_sections_xchacha.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { freshDb } from '../support/database.ts';

test('migration 0022 (XChaCha20-Poly1305 sections): apps before 0.2.0 are shut out, the schema is unchanged', async () => {
  const db = await freshDb();
  try {
    await migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(sectionsXChaCha)), { appVersion: '0.2.0' });
    assert.equal(await schemaVersion(db), 21);
    assert.equal(await minAppVersion(db), null);
    await migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(sectionsXChaCha) + 1), { appVersion: '0.2.0' });
    assert.equal(await schemaVersion(db), 22);
    assert.equal(await minAppVersion(db), '0.2.0');
    await assert.rejects(migrate(db, MIGRATIONS, { appVersion: '0.1.0' }), (e: Error & { code?: string }) => e.code === 'APP_OUTDATED');
  } finally {
    await db.destroy();
  }
});
