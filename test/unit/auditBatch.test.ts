import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuditLog, type NewAuditEvent } from '../../main/platform/audit/auditLog.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { migrate } from '../../main/platform/store/migrate.node.ts';
import { dropAppendOnlyTriggers, freshDb } from '../support/database.ts';

test('appendBatch makes the same chain as appends one by one: it verifies, continues, and an edited event breaks it at its seq', async () => {
  const db = await freshDb();
  try {
    await migrate(db);
    const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
    const progress: number[] = [];
    const audit = new AuditLog(db, () => ring, systemClock, { firstRun: { action: 'session.setup', happened: async () => true } });
    await audit.append(db, { actorId: null, action: 'session.setup', outcome: 'ok' });
    const events = Array.from({ length: 1203 }, (_, i): NewAuditEvent => ({ actorId: null, action: 'customer.list', outcome: 'ok', details: { offset: i, limit: 50 } }));
    const last = await db.transaction((trx) => audit.appendBatch(trx, events));
    assert.equal(last, 1204);
    await audit.append(db, { actorId: null, action: 'customer.search', outcome: 'ok', details: { by: 'email' } });
    const ok = await audit.verify(db, [], { onProgress: (done) => progress.push(done) });
    assert.deepEqual(ok, { ok: true, checked: 1205, firstBrokenSeq: null, reason: null });
    assert.equal(progress[0], 0);
    assert.equal(progress.at(-1), 1205);

    await dropAppendOnlyTriggers(db);
    await db('audit_events').where({ seq: 700 }).update({ details: JSON.stringify({ limit: 50, offset: 9999 }) });
    const broken = await audit.verify(db);
    assert.equal(broken.ok, false);
    assert.equal(broken.firstBrokenSeq, 700);
  } finally {
    await db.destroy();
  }
});
