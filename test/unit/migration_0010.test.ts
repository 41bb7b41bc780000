import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { quarantine } from '../../main/platform/store/migrations/0010_quarantine.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { freshDb } from '../support/database.ts';

test('migration 0010 (quarantine): customers already held keep their rows and start unquarantined, with no minor cases', async () => {
  const db = await freshDb();
  try {
    const pre = MIGRATIONS.slice(0, MIGRATIONS.indexOf(quarantine));
    await migrate(db, pre);
    const now = '2026-11-25T10:00:00.000Z';
    const row = {
      id: '11111111-1111-4111-8111-111111111111', kind: 'person', status: 'active', policy_version: '1',
      dek: Buffer.from([1]), summary: Buffer.from([2]), identity: Buffer.from([3]), contact: Buffer.from([4]),
      email_index: 'e', postal_index: 'p', family_index: 'f', created_at: now, updated_at: now,
    };
    await db('customers').insert(row);

    await migrate(db);
    assert.equal(await schemaVersion(db), MIGRATIONS.at(-1)!.version);
    const after = await db('customers').where({ id: row.id }).first('status', 'quarantined_at', 'quarantine_reason');
    assert.deepEqual({ ...after }, { status: 'active', quarantined_at: null, quarantine_reason: null });
    assert.equal(await db.schema.hasTable('minor_cases'), true);
    assert.equal((await db('minor_cases').select()).length, 0);
  } finally {
    await db.destroy();
  }
});
