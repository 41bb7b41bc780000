import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { AccountService } from '../../main/features/accounts/accountService.node.ts';
import { PasswordHasher } from '../../main/features/accounts/passwords.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { keyRotation } from '../../main/platform/store/migrations/0016_key_rotation.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { ADMIN, FAST_PASSWORDS } from '../support/core.ts';
import { freshDb } from '../support/database.ts';

test('migration 0016 (key rotation): domain keys and jobs are kept, nothing is retired, one unfinished rotation job per kind', async () => {
  const db = await freshDb();
  try {
    const pre = MIGRATIONS.slice(0, MIGRATIONS.indexOf(keyRotation));
    await migrate(db, pre);
    const vault = new MemoryVault();
    const ring = await unlockKeyRing(db, vault, systemClock.nowIso());
    const accounts = new AccountService(db, () => ring, systemClock, new PasswordHasher(FAST_PASSWORDS), { append: async () => 0 });
    await db.transaction((trx) => accounts.create(trx, { ...ADMIN, role: 'it_admin' }));
    const now = new Date().toISOString();
    // A finished import and a finished (older-kind) job: not rotations, untouched by the index.
    await db('jobs').insert([
      { id: randomUUID(), kind: 'customer-import', state: 'running', done: 0, created_at: now, updated_at: now },
      { id: randomUUID(), kind: 'customer-import', state: 'running', done: 0, created_at: now, updated_at: now },
    ]);
    const keysBefore = await db('domain_keys').orderBy(['purpose', 'version']).select('purpose', 'version', 'wrapped');

    await migrate(db);
    assert.equal(await schemaVersion(db), MIGRATIONS.at(-1)!.version);
    const keysAfter = await db('domain_keys').orderBy(['purpose', 'version']).select('purpose', 'version', 'wrapped', 'retired_at');
    assert.deepEqual(keysAfter.map(({ retired_at: _r, ...k }) => k), keysBefore);
    assert.ok(keysAfter.every((k) => k.retired_at === null), 'nothing retired');
    // The existing data still opens under the same KEK.
    await unlockKeyRing(db, vault, systemClock.nowIso());
    assert.equal((await accounts.authenticate(ADMIN.username, ADMIN.password)).role, 'it_admin');
    for (const table of ['key_rotations', 'recovery_kits', 'recovery_kit_custodians']) assert.equal((await db(table).select()).length, 0, table);

    // Two running imports stay possible; a second unfinished rotation of one kind is refused by the database.
    const rotation = (state: string) => ({ id: randomUUID(), kind: 'key-rotation.dek-wrap', state, done: 0, created_at: now, updated_at: now });
    await db('jobs').insert(rotation('running'));
    await assert.rejects(db('jobs').insert(rotation('queued')));
    await db('jobs').insert([rotation('succeeded'), rotation('failed')]);
    await db('jobs').insert({ ...rotation('running'), kind: 'key-rotation.blind-index' });
  } finally {
    await db.destroy();
  }
});
