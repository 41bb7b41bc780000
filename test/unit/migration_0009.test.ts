import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AccountService } from '../../main/features/accounts/accountService.node.ts';
import { PasswordHasher } from '../../main/features/accounts/passwords.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { openDatabase } from '../../main/platform/store/database.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { loginFailures } from '../../main/platform/store/migrations/0009_login_failures.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { ADMIN, FAST_PASSWORDS, tempDir } from '../support/core.ts';

test('migration 0009 (login_failures): a database holding accounts migrates and still signs in', async () => {
  const dir = tempDir('itpc-m9-');
  const db = openDatabase({ client: 'sqlite', filename: join(dir, 'm9.sqlite') });
  try {
    const pre = MIGRATIONS.slice(0, MIGRATIONS.indexOf(loginFailures));
    await migrate(db, pre);
    assert.equal(await schemaVersion(db), pre.at(-1)!.version);
    const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
    const events: string[] = [];
    const accounts = new AccountService(db, () => ring, systemClock, new PasswordHasher(FAST_PASSWORDS), {
      append: async (_q, event) => events.push(`${event.action}:${event.outcome}`),
    });
    const made = await db.transaction((trx) => accounts.create(trx, { ...ADMIN, role: 'it_admin' }));

    await migrate(db);
    assert.equal(await schemaVersion(db), MIGRATIONS.at(-1)!.version);
    assert.equal(await db.schema.hasTable('login_failures'), true);
    assert.equal((await accounts.authenticate(ADMIN.username, ADMIN.password)).id, made.id);
    assert.equal((await accounts.get(db, made.id)).displayName, ADMIN.displayName);
    await assert.rejects(accounts.authenticate('nobody.here', 'wrong password!'), { code: 'INVALID_CREDENTIALS' });
    assert.equal((await db('login_failures').select()).length, 1);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
