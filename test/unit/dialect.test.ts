import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { hasConsent, setConsent } from '../../main/features/customers/consents.node.ts';
import { customerDetails } from '../../main/features/customers/customerFields.std.ts';
import { CUSTOMER_KEYS, CustomerStore } from '../../main/features/customers/customerStore.node.ts';
import { countCustomers } from '../../main/features/customers/customerSearch.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { type Db } from '../../main/platform/store/database.node.ts';
import { dialectOf, storeAppError } from '../../main/platform/store/dialect.node.ts';
import { migrate } from '../../main/platform/store/migrate.node.ts';
import { postgresDialect } from '../../main/platform/store/postgresDialect.node.ts';
import { sqliteDialect } from '../../main/platform/store/sqliteDialect.node.ts';
import { tempDir } from '../support/core.ts';
import { freshDb, onlyOn, TEST_ENGINE } from '../support/database.ts';

describe('SQL dialect', () => {
  let dir: string;
  let db: Db;
  before(async () => {
    dir = tempDir();
    db = await freshDb();
    await migrate(db);
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is taken from the connection and from a transaction alike', async () => {
    const expected = TEST_ENGINE === 'pg' ? postgresDialect : sqliteDialect;
    assert.equal(dialectOf(db), expected);
    await db.transaction(async (trx) => assert.equal(dialectOf(trx), expected));
  });

  it(`classifies real ${TEST_ENGINE} driver errors: a unique violation, and a NOT NULL failure as null; SQLite busy`, async () => {
    await db('meta').insert({ key: 'dialect-probe', value: 'x' });
    const error = await db('meta').insert({ key: 'dialect-probe', value: 'y' }).catch((e: unknown) => e);
    assert.equal(dialectOf(db).classifyError(error), 'unique_violation');
    assert.equal(sqliteDialect.classifyError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })), 'busy');
    const notNull = await db('meta').insert({ key: 'dialect-probe-2', value: null }).catch((e: unknown) => e);
    assert.equal(dialectOf(db).classifyError(notNull), null, 'a NOT NULL failure is a bug, not a conflict');
    assert.equal(sqliteDialect.classifyError(new Error('boom')), null);
    assert.equal(sqliteDialect.classifyError(undefined), null);
  });

  it('classifies PostgreSQL SQLSTATEs and connection errors: unique violation, serialization failure, deadlock, lock timeout, unreachable', () => {
    assert.equal(postgresDialect.classifyError({ code: '23505' }), 'unique_violation');
    assert.equal(postgresDialect.classifyError({ code: '40001' }), 'serialization_failure');
    assert.equal(postgresDialect.classifyError({ code: '40P01' }), 'deadlock');
    assert.equal(postgresDialect.classifyError({ code: '55P03' }), 'busy');
    assert.equal(postgresDialect.classifyError({ code: '08006' }), 'unavailable');
    assert.equal(postgresDialect.classifyError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })), 'unavailable');
    assert.equal(postgresDialect.classifyError({ code: '23502' }), null);
  });

  it("PostgreSQL's literals from code refuse a backslash (it would read differently with standard_conforming_strings off)", () => {
    assert.match(postgresDialect.appendOnlyTriggers('audit_events', "audit events aren't editable")[0]!.definition, /MESSAGE = 'audit events aren''t editable'/);
    assert.throws(() => postgresDialect.appendOnlyTriggers('audit_events', 'no \\ here'), /Unexpected SQL literal/);
  });

  it('turns a classified error into an app error code the caller can act on', () => {
    assert.equal(storeAppError('unique_violation')?.code, 'CONFLICT');
    assert.equal(storeAppError('busy')?.code, 'CONFLICT');
    assert.equal(storeAppError('serialization_failure')?.code, 'CONFLICT');
    assert.equal(storeAppError('deadlock')?.code, 'CONFLICT');
    assert.equal(storeAppError('unavailable')?.code, 'UNAVAILABLE');
    assert.equal(storeAppError(null), null);
  });

  it('shipped migrations still create exactly the triggers they created before the dialect existed', { skip: onlyOn('sqlite', 'reads sqlite_master (PostgreSQL triggers: the next test)') }, async () => {
    const triggers = await db('sqlite_master').where({ type: 'trigger' }).orderBy('name').select<{ name: string; sql: string }[]>('name', 'sql');
    assert.deepEqual(
      triggers.map((t) => t.name),
      [
        'audit_events_no_delete',
        'audit_events_no_update',
        'customers_count_delete',
        'customers_count_insert',
        'customers_count_status',
        // Migration 0014: the disclosure register and recipient versions are append-only too.
        'disclosure_recipient_versions_no_delete',
        'disclosure_recipient_versions_no_update',
        'disclosure_register_customers_no_delete',
        'disclosure_register_customers_no_update',
        'disclosure_register_no_delete',
        'disclosure_register_no_update',
      ],
    );
    const sql = Object.fromEntries(triggers.map((t) => [t.name, t.sql]));
    assert.equal(
      sql.audit_events_no_update,
      `CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END`,
    );
    assert.equal(
      sql.customers_count_status,
      `CREATE TRIGGER customers_count_status AFTER UPDATE OF status ON customers WHEN OLD.status <> NEW.status
    BEGIN
      UPDATE customer_counts SET n = n - 1 WHERE status = OLD.status;
      UPDATE customer_counts SET n = n + 1 WHERE status = NEW.status;
    END`,
    );
    await db('audit_events').insert({ seq: 999, at: 'x', actor_id: null, action: 'probe', outcome: 'ok', details: '{}', prev_hash: 'p', hash: 'h' });
    await assert.rejects(db('audit_events').where({ seq: 999 }).delete(), /append-only/);
    await assert.rejects(db('audit_events').where({ seq: 999 }).update({ action: 'edited' }), /append-only/);
  });

  it('PostgreSQL: audit events are append-only by trigger (UPDATE, DELETE and TRUNCATE refused), customer counts kept by triggers', { skip: onlyOn('pg', 'plpgsql triggers') }, async () => {
    const { rows } = (await db.raw(`SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname`)) as { rows: { tgname: string }[] };
    assert.deepEqual(
      rows.map((r) => r.tgname),
      [
        'audit_events_no_delete',
        'audit_events_no_truncate',
        'audit_events_no_update',
        'customers_count_delete',
        'customers_count_insert',
        'customers_count_status',
        ...['disclosure_recipient_versions', 'disclosure_register_customers', 'disclosure_register'].flatMap((table) => ['delete', 'truncate', 'update'].map((op) => `${table}_no_${op}`)),
      ],
    );
    await db('audit_events').insert({ seq: 999, at: 'x', actor_id: null, action: 'probe', outcome: 'ok', details: '{}', prev_hash: 'p', hash: 'h' });
    await assert.rejects(db('audit_events').where({ seq: 999 }).delete(), /append-only/);
    await assert.rejects(db('audit_events').where({ seq: 999 }).update({ action: 'edited' }), /append-only/);
    await assert.rejects(db.raw('TRUNCATE audit_events'), /append-only/);
    const refused = await db('audit_events').delete().catch((e: unknown) => e);
    assert.equal((refused as { code?: string }).code, '23001', 'restrict_violation: a bug or an attack, never retried or shown as CONFLICT');
    assert.equal(dialectOf(db).classifyError(refused), null);
    // Binary columns are bytea; booleans are boolean; 0005's partial indexes exist.
    const types = await db('information_schema.columns')
      .where({ table_schema: 'public' })
      .whereIn(['table_name', 'column_name'], [['customers', 'dek'], ['customer_consents', 'granted'], ['audit_events', 'seq']])
      .select<{ column_name: string; data_type: string }[]>('column_name', 'data_type');
    assert.deepEqual(Object.fromEntries(types.map((t) => [t.column_name, t.data_type])), { dek: 'bytea', granted: 'boolean', seq: 'integer' });
    const partial = await db('pg_indexes').whereIn('indexname', ['customers_import_job', 'customers_published_created']).select<{ indexdef: string }[]>('indexdef');
    assert.equal(partial.length, 2);
    for (const p of partial) assert.match(p.indexdef, /WHERE \(import_job_id IS (NOT )?NULL\)/);
  });

  it('takes the write lock once per transaction: a second claim in the same transaction sends nothing', async () => {
    const sent: string[] = [];
    const listener = (query: { sql: string }) => void sent.push(query.sql);
    db.on('query', listener);
    try {
      await db.transaction(async (trx) => {
        await dialectOf(trx).claimWrite(trx);
        await dialectOf(trx).claimWrite(trx);
      });
      await db.transaction((trx) => dialectOf(trx).claimWrite(trx));
    } finally {
      db.off('query', listener);
    }
    const claims = sent.filter((sql) => sql.includes('WHERE 0 = 1')).length;
    assert.equal(claims, TEST_ENGINE === 'sqlite' ? 2 : 0, 'one statement per transaction on SQLite; none on PostgreSQL (row locks)');
  });

  it('counts customers from the kept counters, and consents answer "has this customer consented to X now?"', async () => {
    const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
    const store = new CustomerStore(() => ring, systemClock, new SubjectKeys(() => ring, CUSTOMER_KEYS));
    const details = customerDetails.parse({
      givenName: 'Dana',
      familyName: 'Dialect',
      email: 'dana.dialect@example.com',
      shippingAddress: { street: '1 High St', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' },
    });
    const row = await db.transaction((q) => store.create(q, details, { actorId: null, consents: { newsletter: true }, consentChannel: 'email' }));
    assert.equal(await countCustomers(db), 1);
    assert.equal(await countCustomers(db, 'closed'), 0);
    assert.equal(await hasConsent(db, row.id, 'newsletter'), true);
    assert.equal(await hasConsent(db, row.id, 'research'), false);
    await setConsent(db, { customerId: row.id, purpose: 'newsletter', granted: false, channel: 'phone' }, null, systemClock.nowIso());
    assert.equal(await hasConsent(db, row.id, 'newsletter'), false);
    // The kept counts follow a status change, and agree with count(*) afterwards.
    await db('customers').where({ id: row.id }).update({ status: 'closed' });
    assert.equal(await countCustomers(db, 'active'), 0);
    assert.equal(await countCustomers(db, 'closed'), 1);
    await db('customers').where({ id: row.id }).update({ updated_at: systemClock.nowIso() });
    assert.equal(await countCustomers(db, 'closed'), 1, 'an update that keeps the status changes no count');
  });
});
