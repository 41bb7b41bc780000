import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DATABASE_FILE } from '../../main/core.node.ts';
import { CUSTOMER_KEYS, CustomerStore } from '../../main/features/customers/customerStore.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { openDatabase } from '../../main/platform/store/database.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { subjectRequests } from '../../main/platform/store/migrations/0012_subject_requests.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { ADMIN, startCore, tempDir } from '../support/core.ts';
import { onlyOn } from '../support/database.ts';
import { sampleCustomer } from '../support/customers.ts';

const PRE = MIGRATIONS.slice(0, MIGRATIONS.indexOf(subjectRequests));

test(
  'migration 0012 (subject_requests): a database holding customers migrates, and their requests can be filed and tracked',
  { skip: onlyOn('sqlite', 'builds its pre-0012 database as a SQLite file before any core exists') },
  async () => {
    const dir = tempDir('itpc-m12-');
    const vault = new MemoryVault();
    try {
      const db = openDatabase({ client: 'sqlite', filename: join(dir, DATABASE_FILE) });
      let customerId: string;
      try {
        await migrate(db, PRE);
        assert.equal(await schemaVersion(db), PRE.at(-1)!.version);
        assert.equal(await db.schema.hasTable('subject_requests'), false);
        const ring = await unlockKeyRing(db, vault, systemClock.nowIso());
        const customers = new CustomerStore(() => ring, systemClock, new SubjectKeys(() => ring, CUSTOMER_KEYS));
        customerId = (await db.transaction((trx) => customers.create(trx, sampleCustomer({ kind: 'person', email: 'm12@example.com' }) as never, { actorId: null }))).id;
      } finally {
        await db.destroy();
      }

      const t = await startCore({ dataDir: dir, vault });
      try {
        const check = t.openDb();
        try {
          assert.equal(await schemaVersion(check), MIGRATIONS.at(-1)!.version);
          assert.equal(await check.schema.hasTable('subject_requests'), true);
        } finally {
          await check.destroy();
        }
        await t.call('session.setup', ADMIN, 'it');
        await t.call('accounts.create', { username: 'mia.manager', displayName: 'Mia', role: 'manager', password: ADMIN.password }, 'it');
        await t.call('session.login', { username: 'mia.manager', password: ADMIN.password }, 'mia');
        const today = new Date().toISOString().slice(0, 10);
        const { request } = await t.call<{ request: { id: string; dueOn: string; customerName: string } }>(
          'subjectRequests.open',
          { customerId, type: 'correction', channel: 'phone', receivedOn: today },
          'mia',
        );
        assert.equal(request.customerName, 'Jane D.', 'the customer stored before the migration is named');
        const extended = await t.call<{ request: { status: string; extensionReason: string } }>(
          'subjectRequests.extend',
          { requestId: request.id, extensionDays: 10, reason: 'Waiting for the customer to confirm' },
          'mia',
        );
        assert.equal(extended.request.status, 'extended');
        assert.equal(extended.request.extensionReason, 'Waiting for the customer to confirm', 'sealed under the migrated customer’s key');
        assert.equal((await t.call<{ ok: boolean }>('audit.verify', {}, 'it')).ok, true);
      } finally {
        await t.cleanup();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
