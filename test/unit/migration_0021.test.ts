import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuditLog } from '../../main/platform/audit/auditLog.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { auditStaging } from '../../main/platform/store/migrations/0021_audit_staging.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { freshDb } from '../support/database.ts';

test('migration 0021 (audit staging): the chain written before continues unbroken, and the staging table starts empty', async () => {
  const db = await freshDb();
  try {
    await migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(auditStaging)));
    assert.equal(await schemaVersion(db), 20);
    const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
    const audit = new AuditLog(db, () => ring, systemClock, { firstRun: { action: 'session.setup', happened: async () => true } });
    await audit.append(db, { actorId: null, action: 'session.setup', outcome: 'ok' });
    await audit.append(db, { actorId: null, action: 'customer.search', outcome: 'ok', details: { by: 'email' } });
    assert.equal(await db.schema.hasTable('audit_staged'), false);

    await migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(auditStaging) + 1));
    assert.equal(await schemaVersion(db), 21);
    assert.equal(Number((await db('audit_staged').count<{ n: string }[]>('* as n'))[0]!.n), 0);
    await db.transaction((trx) => audit.stage(trx, { actorId: null, action: 'record.view', outcome: 'ok', details: { purpose: 'customer_support' } }));
    await audit.sealStaged();
    assert.deepEqual(await audit.verify(db), { ok: true, checked: 3, firstBrokenSeq: null, reason: null });
  } finally {
    await db.destroy();
  }
});
