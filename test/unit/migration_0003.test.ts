import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { CUSTOMER_KEYS } from '../../main/features/customers/customerStore.node.ts';
import { CUSTOMER_KEYS_JOB, CustomerKeyMigration } from '../../main/features/keys/customerKeyMigration.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { JobRunner } from '../../main/platform/jobs/jobRunner.node.ts';
import { openDatabase } from '../../main/platform/store/database.node.ts';
import { migrate } from '../../main/platform/store/migrate.node.ts';
import { DATABASE_FILE } from '../../main/core.node.ts';
import { kekName, unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { ADMIN, startCore, tempDir, type TestCore } from '../support/core.ts';
import { nextYear, sampleOrder } from '../support/customers.ts';
import { onlyOn } from '../support/database.ts';

/**
 * A database written by the release before the key hierarchy (schema 2, see test/fixtures/makeSchemaV2.ts),
 * opened by this one: migrated, its customers moved onto their own keys, and everything still reads.
 */
const FIXTURE = join(import.meta.dirname, '../fixtures/schema-v2');
const facts = JSON.parse(readFileSync(join(FIXTURE, 'fixture.json'), 'utf8')) as {
  installId: string;
  kekHex: string;
  janeId: string;
  johnId: string;
  revealedOrderId: string;
  password: string;
};
const CUSTOMER_TABLES_WITH_KEYS = ['customers', 'orders', 'card_reveals', 'break_glass_reviews'];

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('migration 0003: key hierarchy on a schema-2 database', { skip: onlyOn('sqlite', 'the schema-2 fixture is a SQLite file') }, () => {
  let t: TestCore;
  let reader: Knex;
  const login = (username: string, sender: string) => t.call('session.login', { username, password: facts.password }, sender);

  before(async () => {
    const dataDir = tempDir();
    copyFileSync(join(FIXTURE, 'privacy-console.sqlite'), join(dataDir, DATABASE_FILE));
    const vault = new MemoryVault();
    await vault.set(kekName(facts.installId), Buffer.from(facts.kekHex, 'hex'));
    t = await startCore({ dataDir, vault });
    reader = knex({ client: 'sqlite3', connection: { filename: t.core.paths.database }, useNullAsDefault: true, pool: { min: 0, max: 1 } });
    await waitFor(async () => Boolean(await reader('meta').where({ key: 'customer_keys_migrated' }).first()), 'the customer-key migration');
  });
  after(async () => {
    await reader.destroy();
    await t.cleanup();
    rmSync(t.dataDir, { recursive: true, force: true });
  });

  test('adopts the KEK-derived keys as version 1 of each domain key', async () => {
    const keys = await reader('domain_keys').orderBy('purpose').select('purpose', 'version');
    assert.deepEqual(keys, [
      { purpose: 'audit', version: 1 },
      { purpose: 'blind-index', version: 1 },
      { purpose: 'dek-wrap', version: 1 },
    ]);
  });

  test('every customer got its own key and every data key about a customer is now wrapped by it', async () => {
    assert.equal(Number((await reader('customer_keys').count<{ n: number }[]>('* as n'))[0]!.n), 2);
    for (const table of CUSTOMER_TABLES_WITH_KEYS) {
      const rows = await reader(table).select<{ dek: Buffer }[]>('dek');
      assert.ok(rows.length > 0, `${table} holds rows in the fixture`);
      for (const row of rows) assert.equal(row.dek[0], 0x03, `${table} data key is customer-wrapped`);
    }
    const staff = await reader('users').select<{ dek: Buffer }[]>('dek');
    for (const row of staff) assert.equal(row.dek[0], 0x01, 'staff records keep their domain wrap');
  });

  test('staff sign in, blind-index search finds the old records, and every section opens', async () => {
    await login('sam.staff', 'staff');
    await login('mia.manager', 'manager');
    const found = await t.call<{ rows: { id: string; displayName: string }[] }>('customers.search', { by: 'email', value: 'jane.doe@example.com' }, 'staff');
    assert.deepEqual(found.rows.map((r) => r.id), [facts.janeId]);
    assert.equal(found.rows[0]!.displayName, 'Jane S.');
    const byName = await t.call<{ rows: { id: string }[] }>('customers.search', { by: 'familyName', value: 'Roe' }, 'staff');
    assert.deepEqual(byName.rows.map((r) => r.id), [facts.johnId]);
    const jane = await t.call<{ name: { familyName: string }; orders: { card: { last4: string } }[] }>('customers.open', { customerId: facts.janeId, purpose: 'order_processing' }, 'staff');
    assert.equal(jane.name.familyName, 'Smith');
    assert.equal(jane.orders[0]?.card.last4, '1111');
    const history = await t.call<{ corrections: { reason: string }[] }>('customers.corrections', { customerId: facts.janeId }, 'staff');
    assert.equal(history.corrections[0]!.reason, 'Married name');
    const reviews = await t.call<{ reviews: { justification: string }[] }>('breakglass.list', {}, 'manager');
    assert.match(reviews.reviews[0]!.justification, /stolen identity/);
  });

  test('a new order for a migrated customer and the old ones read alike; an old card still reveals', async () => {
    await t.call('orders.create', sampleOrder(facts.janeId, { card: { number: '5555 5555 5555 4444', expiryMonth: 11, expiryYear: nextYear() } }), 'staff');
    const jane = await t.call<{ orders: { card: { last4: string } }[] }>('customers.open', { customerId: facts.janeId, purpose: 'order_processing' }, 'staff');
    assert.deepEqual(jane.orders.map((o) => o.card.last4).sort(), ['1111', '4444']);
    await t.call('session.reauthenticate', { password: facts.password }, 'manager');
    const revealed = await t.call<{ number: string }>('orders.revealCard', { orderId: facts.revealedOrderId, reason: 'Second chargeback look' }, 'manager');
    assert.equal(revealed.number, '4111111111111111');
  });

  test('the audit chain written under the old key verifies, with new events appended', async () => {
    await t.call('session.login', { username: ADMIN.username, password: facts.password }, 'admin');
    const verdict = await t.call<{ ok: boolean; checked: number }>('audit.verify', {}, 'admin');
    assert.equal(verdict.ok, true);
    assert.ok(verdict.checked > 10);
  });
});

describe('migration 0003: the customer-key job after a kill', () => {
  test('resumes from the last customer done, keeps the keys already made, and finishes the rest', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, DATABASE_FILE);
    copyFileSync(join(FIXTURE, 'privacy-console.sqlite'), file);
    const vault = new MemoryVault();
    await vault.set(kekName(facts.installId), Buffer.from(facts.kekHex, 'hex'));
    const db = openDatabase({ client: 'sqlite', filename: file });
    try {
      await migrate(db);
      const ring = await unlockKeyRing(db, vault, new Date().toISOString());
      const keys = new SubjectKeys(() => ring, CUSTOMER_KEYS);
      const migration = new CustomerKeyMigration(keys, () => new Date().toISOString(), 1);
      // What a process killed after its first batch leaves: one customer moved, the job 'running' at its cursor.
      const [first, second] = [facts.janeId, facts.johnId].sort();
      await db.transaction((trx) => migration.migrateCustomer(trx, first!));
      const firstKey = (await db('customer_keys').where({ customer_id: first }).first<{ wrapped_key: Buffer }>()).wrapped_key;
      const now = new Date().toISOString();
      await db('jobs').insert({ id: randomUUID(), kind: CUSTOMER_KEYS_JOB, state: 'running', done: 1, total: null, cursor: JSON.stringify(first), started_by: null, error_code: null, created_at: now, updated_at: now, finished_at: null });

      const jobs = new JobRunner(db, systemClock);
      jobs.register(migration);
      assert.deepEqual((await jobs.recover()).resumed.length, 1);
      await jobs.idle();
      assert.ok(await migration.isDone(db));
      assert.deepEqual((await db('customer_keys').where({ customer_id: first }).first<{ wrapped_key: Buffer }>()).wrapped_key, firstKey, 'the first key was kept');
      assert.ok(await db('customer_keys').where({ customer_id: second }).first(), 'the rest was done');
      for (const table of CUSTOMER_TABLES_WITH_KEYS) {
        for (const row of await db(table).select<{ dek: Buffer }[]>('dek')) assert.equal(row.dek[0], 0x03, `${table} moved`);
      }
    } finally {
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
