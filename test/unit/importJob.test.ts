import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CustomerImportService } from '../../main/features/customers/customerImport.node.ts';
import { CUSTOMER_KEYS, CustomerStore } from '../../main/features/customers/customerStore.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { customerImportJob, STAGED_CUSTOMER_REFERENCES } from '../../main/features/customers/importJob.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { JobRunner } from '../../main/platform/jobs/jobRunner.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { openDatabase, type Db } from '../../main/platform/store/database.node.ts';
import { migrate } from '../../main/platform/store/migrate.node.ts';
import { ADMIN, startCore, tempDir } from '../support/core.ts';
import { CUSTOMER_TABLES, sampleCustomer, startCustomerCore } from '../support/customers.ts';
import { DirectoryVault } from '../support/fileVault.ts';
import { onlyOn, openTestDb, testDatabase, type TestDatabase } from '../support/database.ts';
import { dialectOf } from '../../main/platform/store/dialect.node.ts';

const MAPPING = { givenName: 'given', familyName: 'family', email: 'email', street: 'street', city: 'city', postalCode: 'postcode', country: 'country', newsletter: 'newsletter' };
function csv(n: number, prefix: string): string {
  const lines = ['given,family,email,street,city,postcode,country,newsletter'];
  for (let i = 0; i < n; i += 1) lines.push(`Given${i},Family${i % 97},${prefix}${i}@example.com,${i} Long Road,Leeds,LS${i % 30} 1AA,GB,${i % 2 ? 'yes' : 'no'}`);
  return lines.join('\n');
}
const count = async (db: Db, table: string, where: Record<string, unknown> = {}) =>
  Number((await db(table).where(where).count<{ n: number }[]>('* as n'))[0]?.n ?? 0);

/** Every table whose rows can name a customer: a foreign key to customers(id), or a `customer_id` column. */
async function tablesReferencingCustomers(db: Db): Promise<{ table: string; column: string }[]> {
  if (dialectOf(db).name === 'postgresql') {
    const { rows } = (await db.raw(`
      SELECT kcu.table_name AS "table", kcu.column_name AS "column"
        FROM information_schema.referential_constraints rc
        JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name AND kcu.table_schema = 'public'
        JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = rc.unique_constraint_name AND ccu.table_schema = 'public'
       WHERE ccu.table_name = 'customers'
      UNION
      SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'customer_id'`)) as {
      rows: { table: string; column: string }[];
    };
    return rows;
  }
  const tables = (await db('sqlite_master').where({ type: 'table' }).whereNot('name', 'like', 'sqlite_%').select<{ name: string }[]>('name')).map((r) => r.name);
  const found: { table: string; column: string }[] = [];
  for (const table of tables) {
    const fks = (await db.raw(`PRAGMA foreign_key_list(${table})`)) as { table: string; from: string }[];
    const columns = ((await db.raw(`PRAGMA table_info(${table})`)) as { name: string }[]).map((c) => c.name);
    const names = new Set([...fks.filter((f) => f.table === 'customers').map((f) => f.from), ...columns.filter((c) => c === 'customer_id')]);
    for (const column of names) found.push({ table, column });
  }
  return found;
}

describe('CSV import as a job (service level)', () => {
  let database: TestDatabase;
  let db: Db;
  let customers: CustomerStore;
  let jobs: JobRunner;
  const caller = { userId: randomUUID(), senderId: 'w' };
  const input = (text: string, extra: Record<string, unknown> = {}) => ({ taskId: randomUUID(), csv: text, mapping: MAPPING, dryRun: false, requireAllValid: false, ...extra });

  before(async () => {
    database = await testDatabase();
    db = openDatabase(database.config);
    await migrate(db);
    const ring = await unlockKeyRing(db, new MemoryVault(), systemClock.nowIso());
    customers = new CustomerStore(() => ring, systemClock, new SubjectKeys(() => ring, CUSTOMER_KEYS));
    jobs = new JobRunner(db, systemClock);
    jobs.register(customerImportJob);
  });
  after(async () => {
    await db.destroy();
    await database.drop();
  });

  test('the roll-back list names every table that prepare() fills for a customer', async () => {
    const prepared = customers.prepare(sampleCustomer({ kind: 'person', email: 'refs@example.com' }) as never, {
      actorId: null,
      now: new Date().toISOString(),
      consents: { newsletter: true, research: true },
      consentChannel: 'import',
    });
    await db.transaction((trx) => customers.insertPrepared(trx, [prepared]));
    const filled = [];
    for (const ref of await tablesReferencingCustomers(db)) {
      if ((await count(db, ref.table, { [ref.column]: prepared.row.id })) > 0) filled.push(ref);
    }
    assert.ok(filled.length >= 2);
    for (const ref of filled) assert.ok(STAGED_CUSTOMER_REFERENCES.some((r) => r.table === ref.table && r.column === ref.column), `${ref.table}.${ref.column} is not rolled back`);
    for (const { table, column } of STAGED_CUSTOMER_REFERENCES) await db(table).where({ [column]: prepared.row.id }).delete();
    await db('customers').where({ id: prepared.row.id }).delete();
  });

  test('a failure mid-way leaves nothing: staged batches are rolled back', async () => {
    const importer = new CustomerImportService(customers, jobs, () => undefined, { batch: 100 });
    const original = customers.insertPrepared.bind(customers);
    let calls = 0;
    customers.insertPrepared = async (q, prepared, chunk) => {
      calls += 1;
      if (calls === 4) throw new Error('disk full (test)');
      return original(q, prepared, chunk);
    };
    try {
      await assert.rejects(importer.run(db, input(csv(1000, 'fail')), caller), /disk full/);
    } finally {
      customers.insertPrepared = original;
    }
    for (const table of CUSTOMER_TABLES) assert.equal(await count(db, table), 0, table);
    const job = await db('jobs').orderBy('created_at', 'desc').first();
    assert.equal(job.state, 'failed');
    assert.equal(job.error_code, 'INTERNAL');
  });

  test('cancel mid-way leaves nothing and the job says cancelled', async () => {
    const taskId = randomUUID();
    const importer: CustomerImportService = new CustomerImportService(
      customers,
      jobs,
      (_s, p) => {
        if (p.done >= 300) importer.cancel(taskId, caller.userId);
      },
      { batch: 100, progressEvery: 100 },
    );
    await assert.rejects(importer.run(db, { ...input(csv(1000, 'cancel')), taskId }, caller), /cancelled/);
    for (const table of CUSTOMER_TABLES) assert.equal(await count(db, table), 0, table);
    assert.equal((await db('jobs').orderBy('created_at', 'desc').first()).state, 'cancelled');
  });

  test('an email taken while the import runs is rejected in its batch, never duplicated', async () => {
    const importer = new CustomerImportService(customers, jobs, () => undefined, { batch: 100 });
    const original = customers.insertPrepared.bind(customers);
    let calls = 0;
    customers.insertPrepared = async (q, prepared, chunk) => {
      calls += 1;
      // Someone creates race350@ while batch 2 is written; batch 4 holds that row.
      if (calls === 2) await customers.create(q, sampleCustomer({ kind: 'person', email: 'race350@example.com' }) as never, { actorId: null });
      return original(q, prepared, chunk);
    };
    let result;
    try {
      result = await importer.run(db, input(csv(500, 'race')), caller);
    } finally {
      customers.insertPrepared = original;
    }
    assert.equal(result.imported, 499);
    assert.equal(result.validRows, 499);
    assert.deepEqual(result.rejected, [{ row: 352, field: 'email', problem: 'A customer with this email address already exists' }]);
    assert.equal(await count(db, 'customers', { email_index: customers.searchProbes('email', 'race350@example.com')![0]! }), 1);
    assert.equal(await count(db, 'customers'), 500);
    assert.equal(await count(db, 'customers', { status: 'importing' }), 0);
    const kept = Number((await db('customer_counts').sum<{ n: number }[]>('n as n'))[0]!.n);
    assert.equal(kept, 500, 'the kept counts include the published rows');
  });
  test('a batch whose transaction is retried (serialization failure) is written once, and its taken rows are reported once', { skip: onlyOn('pg', 'SQLite has one writer and never retries') }, async () => {
    const importer = new CustomerImportService(customers, jobs, () => undefined, { batch: 100 });
    await db.transaction((trx) => customers.create(trx, sampleCustomer({ kind: 'person', email: 'retry150@example.com' }) as never, { actorId: null }));
    const before = await count(db, 'customers');
    const original = customers.insertPrepared.bind(customers);
    let calls = 0;
    customers.insertPrepared = async (q, prepared, chunk) => {
      calls += 1;
      await original(q, prepared, chunk);
      // Batch 2 (holding the taken row) fails after writing, the way a commit-time serialization failure does.
      if (calls === 2) throw Object.assign(new Error('could not serialize access (test)'), { code: '40001' });
    };
    let result;
    try {
      result = await importer.run(db, input(csv(300, 'retry')), caller);
    } finally {
      customers.insertPrepared = original;
    }
    assert.equal(calls, 4, 'batch 2 ran twice');
    assert.equal(result.imported, 299);
    assert.equal(result.validRows, 299, 'the taken row is reported once, not once per attempt');
    assert.equal(await count(db, 'customers') - before, 299, 'the retried batch was written once');
    assert.equal(await count(db, 'customers', { status: 'importing' }), 0);
  });
});

describe('CSV import killed with SIGKILL mid-way', () => {
  const dataDir = tempDir('itpc-kill-');
  const vaultDir = tempDir('itpc-kill-vault-');
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(vaultDir, { recursive: true, force: true });
  });

  test('reopening rolls the import back: no staged row, counts right, audit chain verifies', async () => {
    // Existing data first: an admin, users and two customers.
    const t = await startCustomerCore({ dataDir, vault: new DirectoryVault(vaultDir) });
    await t.as('staff', 'customers.create', sampleCustomer({ email: 'keep1@example.com' }));
    await t.as('staff', 'customers.create', { ...sampleCustomer({ email: 'keep2@example.com' }), consents: { newsletter: true }, consentChannel: 'email' });
    const before = await t.counts();
    await t.cleanup();

    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../support/importChild.ts'), dataDir, vaultDir, '20000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    let killedAt = -1;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      const m = [...output.matchAll(/progress (\d+) (\d+)/g)].at(-1);
      if (m && killedAt < 0 && Number(m[1]) >= 3000 && Number(m[1]) < Number(m[2])) {
        killedAt = Number(m[1]);
        child.kill('SIGKILL');
      }
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
    assert.equal(signal, 'SIGKILL', `child output: ${output.slice(-300)}`);
    assert.ok(!output.includes('finished'), 'killed before the import finished');

    const raw = openTestDb(dataDir);
    try {
      assert.ok((await raw('customers').whereNotNull('import_job_id').count<{ n: number }[]>('* as n'))[0]!.n > 0, 'staged rows were left by the kill');
      assert.equal((await raw('jobs').first()).state, 'running');
    } finally {
      await raw.destroy();
    }

    const reopened = await startCore({ dataDir, vault: new DirectoryVault(vaultDir) });
    try {
      await reopened.call('session.login', { username: ADMIN.username, password: ADMIN.password }, 'admin');
      const check = openTestDb(dataDir);
      try {
        for (const table of CUSTOMER_TABLES) assert.equal(await count(check, table), before[table], table);
        assert.equal(await count(check, 'customers', { status: 'importing' }), 0);
        assert.equal(Number((await check('customers').whereNotNull('import_job_id').count<{ n: number }[]>('* as n'))[0]!.n), 0);
        assert.equal(Number((await check('customer_counts').sum<{ n: number }[]>('n as n'))[0]!.n), before.customers);
        const job = await check('jobs').first();
        assert.equal(job.state, 'rolled_back');
        assert.equal(job.error_code, 'INTERRUPTED');
        assert.equal(job.cursor.includes('@'), false, 'the cursor holds no PII');
      } finally {
        await check.destroy();
      }
      const verified = await reopened.call<{ ok: boolean }>('audit.verify', {}, 'admin');
      assert.equal(verified.ok, true);
      const events = await reopened.call<{ events: { details: Record<string, unknown> }[] }>('audit.list', { action: 'job.rolled_back', limit: 5 }, 'admin');
      assert.equal(events.events.length, 1);
      assert.equal(events.events[0]!.details.kind, 'customers.import');
    } finally {
      await reopened.cleanup();
    }
  });
});
