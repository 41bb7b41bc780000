import assert from 'node:assert/strict';
import { CUSTOMER_KEYS } from '../../main/features/customers/customerStore.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { z } from 'zod';
import { ApprovalKinds } from '../../main/features/approvals/approvalKinds.node.ts';
import { ApprovalService } from '../../main/features/approvals/approvalService.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { type Db } from '../../main/platform/store/database.node.ts';
import { migrate, schemaVersion } from '../../main/platform/store/migrate.node.ts';
import { approvals as approvalsMigration } from '../../main/platform/store/migrations/0004_approvals.node.ts';
import { MIGRATIONS } from '../../main/platform/store/migrations/index.node.ts';
import { tempDir } from '../support/core.ts';
import { freshDb } from '../support/database.ts';
import { dialectOf } from '../../main/platform/store/dialect.node.ts';

async function everyRow(db: Db): Promise<Record<string, unknown[]>> {
  const pg = dialectOf(db).name === 'postgresql';
  const tables = pg
    ? (await db('pg_tables').where({ schemaname: 'public' }).select<{ tablename: string }[]>('tablename')).map((r) => r.tablename)
    : (await db('sqlite_master').where({ type: 'table' }).whereNot('name', 'like', 'sqlite_%').select<{ name: string }[]>('name')).map((r) => r.name);
  const rows: Record<string, unknown[]> = {};
  // SQLite rows in insertion order; customer_keys has no rowid from migration 0023 on (WITHOUT ROWID), so it is
  // read in key order before and after alike.
  const order = (table: string) => (pg || table === 'customer_keys' ? '1' : 'rowid');
  for (const table of tables.sort()) if (table !== 'schema_migrations') rows[table] = await db(table).select('*').orderByRaw(order(table));
  return rows;
}

test('migration 0004 (approvals): a database holding data migrates, still reads, and takes approvals', async () => {
  const dir = tempDir();
  const db = await freshDb();
  try {
    const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(approvalsMigration));
    assert.ok(before.length > 0 && MIGRATIONS.includes(approvalsMigration));
    await migrate(db, before);
    assert.equal(await schemaVersion(db), before.at(-1)!.version);
    const ring = await unlockKeyRing(db, new MemoryVault(), new Date().toISOString());
    const userId = randomUUID();
    const now = new Date().toISOString();
    await db('users').insert({
      id: userId,
      username_index: randomBytes(16).toString('hex'),
      dek: randomBytes(60),
      profile: randomBytes(80),
      role: 'manager',
      password_hash: 'scrypt$test',
      created_at: now,
      updated_at: now,
    });
    await db('meta').insert({ key: 'migration_0004_probe', value: 'kept' });
    const rows = await everyRow(db);
    assert.equal(rows.approvals, undefined, 'no approvals table before 0004');

    await migrate(db);
    assert.equal(await schemaVersion(db), MIGRATIONS.at(-1)!.version);
    const after = await everyRow(db);
    // Later migrations may add columns (0006: users.session_epoch) and rows after those there were (0022: meta's
    // min_app_version); every value that was there reads the same.
    const onlyColumnsOf = (was: unknown[], now: unknown[] = []) =>
      now.slice(0, was.length).map((row, i) => Object.fromEntries(Object.keys((was[i] ?? {}) as object).map((k) => [k, (row as Record<string, unknown>)[k]])));
    for (const [table, list] of Object.entries(rows)) assert.deepEqual(onlyColumnsOf(list, after[table]), list, `${table} reads the same`);
    assert.deepEqual(after.approvals, []);
    const indexes =
      dialectOf(db).name === 'postgresql'
        ? await db('pg_indexes').where({ tablename: 'approvals' }).select<{ name: string }[]>('indexname as name')
        : ((await db.raw(`PRAGMA index_list('approvals')`)) as { name: string }[]);
    assert.ok(indexes.some((i) => i.name.includes('status_requested_at')), 'the pending queue is indexed');

    const kinds = new ApprovalKinds().register({
      name: 'test.migration',
      label: 'Migration probe',
      permission: 'accounts.manage',
      payload: z.object({ accountId: z.string().uuid() }).strict(),
      expiresInMs: 60_000,
    });
    const service = new ApprovalService(() => ring, systemClock, kinds, new SubjectKeys(() => ring, CUSTOMER_KEYS));
    const filed = await service.request(db, { kind: 'test.migration', subjectId: userId, requesterId: userId, reason: 'Probe after the migration', payload: { accountId: userId } });
    const read = await service.get(db, filed.id);
    assert.equal(read.requestReason, 'Probe after the migration');
    assert.equal(read.status, 'pending');
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
