import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { kekName, kekNextName } from '../../main/platform/crypto/kek.node.ts';
import { kekFacts } from '../../main/platform/crypto/keyRing.node.ts';
import { KeytarVault } from '../../main/platform/keychain/keytarVault.node.ts';
import type { SecretVault } from '../../main/platform/keychain/vault.std.ts';
import { openNodeSettings } from '../../main/platform/settings/settings.node.ts';
import { StartupError } from '../../main/platform/startupError.std.ts';
import { openRecoveryCore } from '../../main/recovery.node.ts';
import { ADMIN, startCore, tempDir } from '../support/core.ts';
import { PASSWORD, sampleCustomer, sampleOrder, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';
import { KEYCHAIN_SKIP_REASON, keychainAvailable } from '../support/vaults.ts';

const available = await keychainAvailable();
const realKeychain = { skip: available ? false : KEYCHAIN_SKIP_REASON };
const services: string[] = [];
/** A fresh, empty entry set in the real keychain (gnome-keyring under `npm test`), removed after the file. */
function keychain(): { vault: SecretVault; service: string } {
  const service = `iTechno Privacy Console test ${randomUUID()}`;
  services.push(service);
  return { vault: new KeytarVault(service), service };
}
after(async () => {
  if (!available) return;
  const keytar = createRequire(import.meta.url)('keytar') as typeof import('keytar');
  for (const service of services) for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
});

const FAST = { enrolmentCost: 14, keyRotationGraceMs: 0, keyRotationBatch: 3 };

async function installId(t: CustomerTestCore): Promise<string> {
  const db = t.openDb();
  try {
    return (await db('meta').where({ key: 'install_id' }).first<{ value: string }>())!.value;
  } finally {
    await db.destroy();
  }
}

/** Customers with orders, a card reveal, a break-glass opening, a deletion request and a policy approval request. */
async function seeded(options = {}): Promise<{ t: CustomerTestCore; customers: string[] }> {
  const t = await startCustomerCore({ ...FAST, vault: keychain().vault, ...options });
  const customers: string[] = [];
  for (let i = 0; i < 7; i += 1) {
    const id = (await t.as('staff', 'customers.create', sampleCustomer({ email: `rot${i}@example.com`, familyName: `Rot${i}` }))).customer.id as string;
    customers.push(id);
  }
  const order = (await t.as('staff', 'orders.create', sampleOrder(customers[0]!))).order.id as string;
  await t.reauth('manager');
  await t.as('manager', 'orders.revealCard', { orderId: order, reason: 'Chargeback investigation #4411' });
  await t.as('staff', 'customers.open', { customerId: customers[1]!, purpose: 'break_glass', justification: 'Customer on the phone about an unlisted matter' });
  await t.as('staff', 'erasure.file', { customerId: customers[2]!, reason: 'customer_request', channel: 'email' });
  const draft = (await t.as('staff', 'policy.createDraft', {})).version;
  await t.as('staff', 'policy.saveDraft', { id: draft.id, revision: draft.revision ?? 1, title: 'Privacy Policy', body: 'New wording' });
  await t.as('staff', 'policy.requestPublication', { id: draft.id, changeSummary: 'Wording', material: false, effectiveDate: '2031-01-01', reason: 'Clarifies the wording only' });
  return { t, customers };
}

/** Every record opens, search finds, staff names and approval reasons decrypt, and the audit chain verifies. */
async function everythingOpens(t: CustomerTestCore, customers: string[]): Promise<void> {
  for (const [i, id] of customers.entries()) {
    const record = await t.as('staff', 'customers.open', { customerId: id, purpose: 'customer_support' });
    assert.equal(record.name.familyName, `Rot${i}`);
  }
  const found = await t.as('staff', 'customers.search', { by: 'email', value: 'rot3@example.com' });
  assert.deepEqual(found.rows.map((r: { id: string }) => r.id), [customers[3]]);
  const accounts = await t.as('admin', 'accounts.list', {});
  assert.ok(accounts.accounts.some((a: { displayName: string }) => a.displayName === 'Sam Staff'));
  const approvals = await t.as('manager', 'approvals.list', {});
  assert.ok(JSON.stringify(approvals).includes('Clarifies the wording only'), 'the policy request reason (dek-wrap) opens');
  assert.equal((await t.as('admin', 'audit.verify', {})).ok, true);
}

/** Reopens the database (another start of the app) with everyone signed in again, shaped like the seeded core. */
async function reopen(t: CustomerTestCore, vault = t.vault): Promise<CustomerTestCore> {
  const core = await startCore({ ...FAST, dataDir: t.dataDir, vault });
  const logins = { admin: ADMIN.username, staff: 'sam.staff', manager: 'mia.manager' } as const;
  for (const [who, username] of Object.entries(logins)) await core.call('session.login', { username, password: who === 'admin' ? ADMIN.password : PASSWORD }, who);
  return {
    ...core,
    userId: t.userId,
    as: (who, channel, input) => core.call(channel, input, who),
    try: (who, channel, input) => core.core.handle(core.caller(who), channel, input),
    reauth: async (who) => void (await core.call('session.reauthenticate', { password: who === 'admin' ? ADMIN.password : PASSWORD }, who)),
    count: t.count,
    counts: t.counts,
  };
}

/** After a test closed the seeded core itself: its reader connection and (PostgreSQL) database go too. */
async function done(t: CustomerTestCore): Promise<void> {
  await t.cleanup().catch(() => undefined);
  rmSync(t.dataDir, { recursive: true, force: true });
}

async function waitForRotation(t: CustomerTestCore): Promise<void> {
  for (let i = 0; i < 2000; i += 1) {
    const status = await t.as('admin', 'keys.status', {});
    if (status.running.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail('the rotation did not finish');
}

describe('key rotation (issue #11)', { concurrency: false }, () => {
  test('KEK rotation under the real keychain: new KEK stored, domain keys rewrapped, old KEK gone; everything opens before and after', realKeychain, async () => {
    const { t, customers } = await seeded();
    await everythingOpens(t, customers);
    const id = await installId(t);
    const oldKek = (await t.vault.get(kekName(id)))!;
    const before = await t.as('admin', 'keys.status', {});
    assert.equal(before.kekId, kekFacts(oldKek).kekId);
    t.clock.advance(6 * 60_000);
    const refused = await t.try('admin', 'keys.rotateKek', {});
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'REAUTH_REQUIRED', 'a password re-entry is needed');
    await t.reauth('admin');
    const rotated = await t.as('admin', 'keys.rotateKek', {});
    assert.equal(rotated.fromKekId, kekFacts(oldKek).kekId);
    assert.equal(rotated.rewrapped, 3);
    const newKek = (await t.vault.get(kekName(id)))!;
    assert.notDeepEqual(newKek, oldKek);
    assert.equal(kekFacts(newKek).kekId, rotated.toKekId);
    assert.equal(await t.vault.get(kekNextName(id)), null, 'nothing parked');
    await everythingOpens(t, customers);
    const status = await t.as('admin', 'keys.status', {});
    assert.equal(status.kekId, rotated.toKekId);
    assert.equal(status.rotations[0].target, 'kek');
    // The audit event names key ids and a count, never key material.
    const events = await t.as('admin', 'audit.list', { limit: 50 });
    const event = events.events.find((e: { action: string }) => e.action === 'keys.kek_rotated');
    assert.ok(event);
    assert.doesNotMatch(JSON.stringify(event), new RegExp(newKek.toString('base64').slice(0, 12).replace(/[+/]/g, '.')));
    await t.core.close();
    const reopened = await reopen(t);
    await everythingOpens(reopened, customers);
    await reopened.cleanup();
    await done(t);
  });

  test('a KEK rotation killed between the database commit and the keychain swap is finished at the next open', realKeychain, async () => {
    const { t, customers } = await seeded();
    const id = await installId(t);
    const oldKek = (await t.vault.get(kekName(id)))!;
    // The keychain write after the commit fails, as if the process died there.
    const vault = t.vault;
    const original = vault.set.bind(vault);
    let sets = 0;
    vault.set = async (name, secret) => {
      if (name === kekName(id) && (sets += 1) === 1) throw new Error('killed');
      return original(name, secret);
    };
    await t.reauth('admin');
    const failed = await t.try('admin', 'keys.rotateKek', {});
    assert.equal(failed.ok, false);
    vault.set = original;
    assert.deepEqual(await vault.get(kekName(id)), oldKek, 'the old key still in place');
    const parked = (await vault.get(kekNextName(id)))!;
    assert.ok(parked, 'the new key parked');
    await t.core.close();
    const reopened = await startCore({ ...FAST, dataDir: t.dataDir, vault });
    assert.deepEqual(await vault.get(kekName(id)), parked, 'the parked key became the key');
    assert.equal(await vault.get(kekNextName(id)), null);
    await reopened.call('session.login', { username: 'sam.staff', password: PASSWORD }, 'staff');
    const record = await reopened.call<{ name: { familyName: string } }>('customers.open', { customerId: customers[4], purpose: 'customer_support' }, 'staff');
    assert.equal(record.name.familyName, 'Rot4');
    await reopened.call('session.login', { username: ADMIN.username, password: ADMIN.password }, 'admin');
    assert.equal((await reopened.call<{ ok: boolean }>('audit.verify', {}, 'admin')).ok, true);
    await reopened.core.close();

    // A parked key whose rotation never committed is forgotten at the next open.
    await vault.set(kekNextName(id), Buffer.alloc(32, 7));
    const again = await startCore({ ...FAST, dataDir: t.dataDir, vault });
    assert.equal(await vault.get(kekNextName(id)), null);
    assert.deepEqual(await vault.get(kekName(id)), parked);
    await again.cleanup();
    await done(t);
  });

  test('audit-key rotation: new events are hashed with the new version, older ones verify with theirs', realKeychain, async () => {
    const { t } = await seeded();
    await t.reauth('admin');
    const rotated = await t.as('admin', 'keys.rotateDomainKey', { purpose: 'audit' });
    assert.equal(rotated.version, 2);
    await t.as('staff', 'customers.search', { by: 'email', value: 'rot1@example.com' });
    const db = t.openDb();
    const versions = await db('audit_events').orderBy('seq').pluck('key_version');
    await db.destroy();
    assert.equal(versions[0], 1);
    assert.equal(versions.at(-1), 2);
    assert.equal((await t.as('admin', 'audit.verify', {})).ok, true);
    await t.cleanup();
  });

  test('dek-wrap rotation as a job: every customer key, staff record and approval moves, the old version is retired; everything opens', realKeychain, async () => {
    const { t, customers } = await seeded();
    await everythingOpens(t, customers);
    await t.reauth('admin');
    const started = await t.as('admin', 'keys.rotateDomainKey', { purpose: 'dek-wrap' });
    assert.ok(started.jobId);
    // The console stays usable while it runs.
    await t.as('staff', 'customers.create', sampleCustomer({ email: 'during@example.com', familyName: 'During' }));
    await waitForRotation(t);
    const db = t.openDb();
    try {
      const prefixes = async (table: string, column: string) =>
        (await db(table).whereNotNull(column).select(column)).map((r: Record<string, Buffer>) => Buffer.from(r[column]!).subarray(0, 3).toString('hex'));
      const customerKeys = await prefixes('customer_keys', 'wrapped_key');
      assert.ok(customerKeys.length >= 8);
      assert.deepEqual([...new Set(customerKeys)], ['020002'], 'every customer key under dek-wrap v2');
      assert.deepEqual([...new Set(await prefixes('users', 'dek'))], ['020002'], 'every staff record under v2');
      const domainApprovals = (await prefixes('approvals', 'dek')).filter((p) => p.startsWith('02'));
      assert.ok(domainApprovals.length >= 1);
      assert.deepEqual([...new Set(domainApprovals)], ['020002']);
      const versions = await db('domain_keys').where({ purpose: 'dek-wrap' }).orderBy('version').select('version', 'retired_at');
      assert.deepEqual(versions.map((v) => [Number(v.version), v.retired_at !== null]), [[1, true], [2, false]], 'version 1 retired (kept for a workstation whose ring is stale), v2 in use');
      const rotation = await db('key_rotations').where({ target: 'dek-wrap' }).first();
      assert.ok(rotation.finished_at);
    } finally {
      await db.destroy();
    }
    await everythingOpens(t, customers);
    const reopened = await startCore({ ...FAST, dataDir: t.dataDir, vault: t.vault });
    await reopened.call('session.login', { username: ADMIN.username, password: ADMIN.password }, 'admin');
    assert.equal((await reopened.call<{ ok: boolean }>('audit.verify', {}, 'admin')).ok, true);
    await reopened.cleanup();
    await done(t);
  });

  test('a dek-wrap rotation killed (SIGKILL) mid-way resumes at the next open and completes', realKeychain, async () => {
    const { vault, service } = keychain();
    const { t, customers } = await seeded({ vault });
    await t.core.close();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../support/keyRotationChild.ts'), t.dataDir, service], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (output += chunk));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
    assert.equal(signal, 'SIGKILL', `child output: ${output.slice(-300)}`);
    assert.ok(!output.includes('finished'));
    const raw = t.openDb();
    const left = await raw('jobs').where({ kind: 'key-rotation.dek-wrap' }).first();
    await raw.destroy();
    assert.equal(left.state, 'running', 'left running by the kill');
    assert.ok(Number(left.done) > 0 && Number(left.done) < Number(left.total), `killed mid-way (${left.done}/${left.total})`);

    const core = await startCore({ ...FAST, dataDir: t.dataDir, vault });
    await core.call('session.login', { username: ADMIN.username, password: ADMIN.password }, 'admin');
    for (let i = 0; ; i += 1) {
      const status = await core.call<{ running: unknown[] }>('keys.status', {}, 'admin');
      if (status.running.length === 0) break;
      assert.ok(i < 2000, 'resumed and finished');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const db = core.openDb();
    const job = await db('jobs').where({ kind: 'key-rotation.dek-wrap' }).first();
    const prefixes = (await db('customer_keys').select('wrapped_key')).map((r) => Buffer.from(r.wrapped_key).subarray(0, 3).toString('hex'));
    await db.destroy();
    assert.equal(job.state, 'succeeded');
    assert.deepEqual([...new Set(prefixes)], ['020002']);
    await core.call('session.login', { username: 'sam.staff', password: PASSWORD }, 'staff');
    for (const [i, id] of customers.entries()) {
      const record = await core.call<{ name: { familyName: string } }>('customers.open', { customerId: id, purpose: 'customer_support' }, 'staff');
      assert.equal(record.name.familyName, `Rot${i}`);
    }
    assert.equal((await core.call<{ ok: boolean }>('audit.verify', {}, 'admin')).ok, true);
    await core.cleanup();
    await done(t);
  });

  test('blind-index rotation: search, sign-in and duplicate checks work under both versions while it runs; afterwards every row is re-indexed and the old key destroyed', realKeychain, async () => {
    // A long grace holds the job just after it added the new version: the state every workstation works in while
    // rows are still under the old one.
    const { t, customers } = await seeded({ keyRotationGraceMs: 600_000 });
    await t.core.handle(t.caller('ghost'), 'session.login', { username: 'ghost.before', password: 'not-the-password-1' });
    const raw = t.openDb();
    const indexesOf = async (id: string) => raw('customers').where({ id }).first('email_index', 'phone_index', 'postal_index', 'family_index', 'index_version');
    const before = await indexesOf(customers[0]!);
    assert.equal(Number(before.index_version), 1);
    await t.reauth('admin');
    const started = await t.as('admin', 'keys.rotateDomainKey', { purpose: 'blind-index' });
    assert.ok(started.jobId);
    for (let i = 0; ; i += 1) {
      const status = await t.as('admin', 'keys.status', {});
      if (status.domainKeys.some((k: { purpose: string; version: number }) => k.purpose === 'blind-index' && k.version === 2)) break;
      assert.ok(i < 1000, 'version 2 added');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // New rows are indexed under version 2; rows under version 1 are still found, and an address under either
    // version is refused a second time (the unique index alone cannot see across versions).
    const added = (await t.as('staff', 'customers.create', sampleCustomer({ email: 'during.rotation@example.com', familyName: 'Rot7' }))).customer.id as string;
    assert.equal(Number((await indexesOf(added)).index_version), 2);
    const twinOld = await t.try('staff', 'customers.create', sampleCustomer({ email: 'ROT1@example.com' }));
    assert.equal(twinOld.ok ? 'ok' : twinOld.error.code, 'CONFLICT', 'an address under version 1');
    const twinNew = await t.try('staff', 'customers.create', sampleCustomer({ email: 'during.rotation@example.com' }));
    assert.equal(twinNew.ok ? 'ok' : twinNew.error.code, 'CONFLICT', 'an address under version 2');
    const opened = await t.as('staff', 'customers.open', { customerId: customers[4]!, purpose: 'correction' });
    const taken = await t.try('staff', 'customers.correct', { customerId: customers[4]!, expectedVersion: opened.version, changes: { email: 'during.rotation@example.com' }, reason: 'Customer asked to change it', source: 'customer_request' });
    assert.equal(taken.ok ? 'ok' : taken.error.code, 'CONFLICT', 'a correction to an address under the other version');
    for (const [i, email] of [[3, 'rot3@example.com'], [7, 'during.rotation@example.com']] as const) {
      const found = await t.as('staff', 'customers.search', { by: 'email', value: email });
      assert.deepEqual(found.rows.map((r: { id: string }) => r.id), [i === 7 ? added : customers[i]]);
    }
    const family = await t.as('staff', 'customers.search', { by: 'familyName', value: 'rot7' });
    assert.deepEqual(family.rows.map((r: { id: string }) => r.id), [added]);
    await t.core.handle(t.caller('ghost'), 'session.login', { username: 'ghost.during', password: 'not-the-password-1' });
    await t.as('staff', 'session.login', { username: 'sam.staff', password: PASSWORD });
    assert.equal(Number((await raw('users').max('index_version as v').first())!.v), 1, 'accounts still under version 1');
    await raw.destroy();
    await t.core.close();

    // The next start (grace over) resumes the job and finishes it.
    const core = await reopen(t, t.vault);
    await waitForRotation(core);
    const db = core.openDb();
    try {
      for (const table of ['customers', 'users']) {
        const versions = (await db(table).distinct('index_version').pluck('index_version')).map(Number);
        assert.deepEqual(versions, [2], `every ${table} row under version 2`);
      }
      const after = await db('customers').where({ id: customers[0]! }).first('email_index', 'phone_index', 'postal_index', 'family_index');
      for (const column of ['email_index', 'postal_index', 'family_index'] as const) assert.notEqual(after[column], before[column], `${column} recomputed`);
      assert.deepEqual((await db('domain_keys').where({ purpose: 'blind-index' }).pluck('version')).map(Number), [2], 'version 1 destroyed');
      assert.equal((await db('login_failures').select()).length, 1, 'the counter under the destroyed version is gone, the one under version 2 stays');
      const rotation = await db('key_rotations').where({ target: 'blind-index' }).first();
      assert.ok(rotation.finished_at);
      const event = await db('audit_events').where({ action: 'keys.rotated' }).orderBy('seq', 'desc').first();
      assert.match(String(event.details), /"purpose":"blind-index"/);
      assert.doesNotMatch(String(event.details), /rot\d|example\.com|sam\.staff/i);
    } finally {
      await db.destroy();
    }
    await everythingOpens(core, customers);
    for (const [by, value] of [['phone', sampleCustomer().phone], ['postalCode', sampleCustomer().shippingAddress.postalCode], ['familyName', 'Rot5']] as const) {
      const found = await core.as('staff', 'customers.search', { by, value });
      assert.ok(found.rows.length >= 1, `search by ${by} after the rotation`);
    }
    const reused = await core.try('staff', 'customers.create', sampleCustomer({ email: 'rot2@example.com' }));
    assert.equal(reused.ok ? 'ok' : reused.error.code, 'CONFLICT');
    await core.cleanup();
    await done(t);
  });

  test('a blind-index rotation killed (SIGKILL) mid-way resumes at the next open and completes; search finds every record meanwhile', realKeychain, async () => {
    const { vault, service } = keychain();
    const { t, customers } = await seeded({ vault });
    await t.core.close();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../support/keyRotationChild.ts'), t.dataDir, service, 'blind-index'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (output += chunk));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
    assert.equal(signal, 'SIGKILL', `child output: ${output.slice(-300)}`);
    const raw = t.openDb();
    const left = await raw('jobs').where({ kind: 'key-rotation.blind-index' }).first();
    const mixed = (await raw('customers').distinct('index_version').pluck('index_version')).map(Number).sort();
    await raw.destroy();
    assert.equal(left.state, 'running', 'left running by the kill');
    assert.deepEqual(mixed, [1, 2], `killed mid-way: customers under both versions (${left.done}/${left.total})`);

    // Reopened with a long grace, the resumed job waits: search meanwhile finds rows under either version.
    const waiting = await startCore({ ...FAST, keyRotationGraceMs: 600_000, dataDir: t.dataDir, vault });
    await waiting.call('session.login', { username: 'sam.staff', password: PASSWORD }, 'staff');
    for (let i = 0; i < customers.length; i += 1) {
      const found = await waiting.call<{ rows: { id: string }[] }>('customers.search', { by: 'email', value: `rot${i}@example.com` }, 'staff');
      assert.deepEqual(found.rows.map((r) => r.id), [customers[i]], `rot${i} found mid-rotation`);
    }
    await waiting.core.close();

    const core = await startCore({ ...FAST, dataDir: t.dataDir, vault });
    await core.call('session.login', { username: ADMIN.username, password: ADMIN.password }, 'admin');
    for (let i = 0; ; i += 1) {
      const status = await core.call<{ running: unknown[] }>('keys.status', {}, 'admin');
      if (status.running.length === 0) break;
      assert.ok(i < 2000, 'resumed and finished');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const db = core.openDb();
    const job = await db('jobs').where({ kind: 'key-rotation.blind-index' }).first();
    const versions = (await db('customers').distinct('index_version').pluck('index_version')).map(Number);
    const keys = (await db('domain_keys').where({ purpose: 'blind-index' }).pluck('version')).map(Number);
    await db.destroy();
    assert.equal(job.state, 'succeeded');
    assert.deepEqual(versions, [2]);
    assert.deepEqual(keys, [2]);
    await core.call('session.login', { username: 'sam.staff', password: PASSWORD }, 'staff');
    for (let i = 0; i < customers.length; i += 1) {
      const found = await core.call<{ rows: { id: string }[] }>('customers.search', { by: 'email', value: `rot${i}@example.com` }, 'staff');
      assert.deepEqual(found.rows.map((r) => r.id), [customers[i]]);
    }
    assert.equal((await core.call<{ ok: boolean }>('audit.verify', {}, 'admin')).ok, true);
    await core.cleanup();
    await done(t);
  });

  test('a second rotation of the same key is refused while one runs: by the database, also from a second workstation', realKeychain, async () => {
    const { t } = await seeded({ keyRotationGraceMs: 60_000 });
    await t.reauth('admin');
    await t.as('admin', 'keys.rotateDomainKey', { purpose: 'dek-wrap' });
    const second = await t.try('admin', 'keys.rotateDomainKey', { purpose: 'dek-wrap' });
    const probe = t.openDb();
    const jobsNow = await probe('jobs').select('kind', 'state', 'error_code', 'done');
    await probe.destroy();
    assert.equal(second.ok ? 'ok' : second.error.code, 'CONFLICT', JSON.stringify(jobsNow));
    // A second workstation on the same database (its own core and runner).
    const other = await startCore({ ...FAST, keyRotationGraceMs: 60_000, dataDir: t.dataDir, vault: t.vault, settings: openNodeSettings(tempDir()) });
    await other.call('session.login', { username: ADMIN.username, password: ADMIN.password }, 'w2');
    const fromOther = await other.core.handle(other.caller('w2'), 'keys.rotateDomainKey', { purpose: 'dek-wrap' });
    const probe2 = t.openDb();
    const jobsThen = await probe2('jobs').select('kind', 'state', 'error_code', 'done');
    await probe2.destroy();
    assert.equal(fromOther.ok ? 'ok' : fromOther.error.code, 'CONFLICT', JSON.stringify(jobsThen));
    // The database itself refuses a second unfinished rotation job, whoever inserts it.
    const db = t.openDb();
    const now = new Date().toISOString();
    await assert.rejects(db('jobs').insert({ id: randomUUID(), kind: 'key-rotation.dek-wrap', state: 'running', done: 0, created_at: now, updated_at: now }));
    assert.equal(Number((await db('jobs').where({ kind: 'key-rotation.dek-wrap' }).count<{ n: number }[]>('* as n'))[0]!.n), 1);
    await db.destroy();
    await other.core.close();
    await t.cleanup();
  });

  test('wrong role and malformed input are refused and change nothing', async () => {
    const t = await startCustomerCore(FAST);
    for (const who of ['staff', 'manager', 'auditor'] as const) {
      for (const [channel, input] of [['keys.rotateKek', {}], ['keys.rotateDomainKey', { purpose: 'audit' }], ['keys.kit.create', { split: false }], ['keys.status', {}]] as const) {
        const r = await t.try(who, channel, input);
        assert.equal(r.ok ? 'ok' : r.error.code, 'FORBIDDEN', `${channel} as ${who}`);
      }
    }
    await t.reauth('admin');
    const db = t.openDb();
    const before = await db('domain_keys').count<{ n: number }[]>('* as n');
    for (const input of [{ purpose: 'search-index' }, { purpose: 'dek-wrap', extra: 1 }, {}, null]) {
      const r = await t.try('admin', 'keys.rotateDomainKey', input);
      assert.equal(r.ok ? 'ok' : r.error.code, 'INVALID_INPUT');
    }
    const bad = await t.try('admin', 'keys.kit.create', { split: true, custodians: [t.userId.staff, t.userId.staff, t.userId.manager] });
    assert.equal(bad.ok ? 'ok' : bad.error.code, 'INVALID_INPUT');
    const weak = await t.try('admin', 'keys.kit.create', { split: false, passphrase: 'short' });
    assert.equal(weak.ok ? 'ok' : weak.error.code, 'INVALID_INPUT');
    assert.deepEqual(await db('domain_keys').count<{ n: number }[]>('* as n'), before);
    assert.equal((await db('recovery_kits').select()).length, 0);
    await db.destroy();
    await t.cleanup();
  });
});

describe('recovery kit (issue #11)', { concurrency: false }, () => {
  /** The console with an empty keychain: refused with KEY_MISSING, then the recovery screen's core. */
  async function emptyWorkstation(t: CustomerTestCore) {
    const { vault } = keychain();
    const problem = await startCore({ ...FAST, dataDir: t.dataDir, vault }).then(
      () => assert.fail('opened without its key'),
      (e: unknown) => e as StartupError,
    );
    assert.ok(problem instanceof StartupError);
    assert.equal(problem.code, 'KEY_MISSING');
    const recovery = openRecoveryCore({ problem, vault, settings: openNodeSettings(tempDir()), dataDir: t.dataDir, database: t.database });
    const enrol = (input: unknown) => recovery.handle({ senderId: 'recovery', trusted: true }, 'workstation.recovery.enrol', input);
    return { vault, enrol };
  }

  test('a kit restores the key on a workstation with an empty keychain; a wrong passphrase is refused and changes nothing', realKeychain, async () => {
    const { t, customers } = await seeded();
    const id = await installId(t);
    const kek = (await t.vault.get(kekName(id)))!;
    await t.reauth('admin');
    const kit = await t.as('admin', 'keys.kit.create', { split: false });
    assert.equal(kit.texts.length, 1);
    assert.ok(kit.generatedPassphrase);
    // The printable PDF holds the text block and the kit's facts (read back as text).
    const pdfs = readdirSync(join(t.dataDir, 'exports')).filter((f) => f.endsWith('.pdf'));
    assert.deepEqual(pdfs, [kit.fileName]);
    const text = execFileSync('pdftotext', ['-layout', join(t.dataDir, 'exports', kit.fileName), '-'], { encoding: 'utf8' });
    assert.match(text, new RegExp(kit.kitId));
    const salt = (JSON.parse(kit.texts[0]) as { kdf: { salt: string } }).kdf.salt;
    assert.ok(text.includes(salt), 'the text block is printed');
    assert.ok(!text.includes(kit.generatedPassphrase), 'the passphrase is not printed');
    assert.ok(!readFileSync(join(t.dataDir, 'exports', kit.fileName)).includes(kek), 'the key is not in the PDF in clear');
    await t.core.close();

    const ws = await emptyWorkstation(t);
    const wrong = await ws.enrol({ packageText: kit.texts[0], passphrase: 'not the kit passphrase at all' });
    assert.equal(wrong.ok ? 'ok' : wrong.error.code, 'INVALID_CREDENTIALS');
    assert.equal(await ws.vault.get(kekName(id)), null, 'nothing changed');
    const restored = await ws.enrol({ packageText: kit.texts[0], passphrase: kit.generatedPassphrase });
    assert.equal(restored.ok, true, JSON.stringify(restored));
    assert.deepEqual(await ws.vault.get(kekName(id)), kek, 'the keychain entry is re-created');
    const reopened = await startCore({ ...FAST, dataDir: t.dataDir, vault: ws.vault });
    await reopened.call('session.login', { username: 'sam.staff', password: PASSWORD }, 'staff');
    const record = await reopened.call<{ name: { familyName: string } }>('customers.open', { customerId: customers[0], purpose: 'customer_support' }, 'staff');
    assert.equal(record.name.familyName, 'Rot0');
    await reopened.cleanup();
    await done(t);
  });

  test('split for three custodians: two shares restore, one share is refused; custodians acknowledge only their own share', realKeychain, async () => {
    const { t } = await seeded();
    const id = await installId(t);
    const kek = (await t.vault.get(kekName(id)))!;
    await t.reauth('admin');
    const custodians = [t.userId.admin, t.userId.manager, t.userId.auditor];
    const kit = await t.as('admin', 'keys.kit.create', { split: true, custodians, passphrase: 'kit passphrase for the safe, 2026' });
    assert.equal(kit.texts.length, 3);
    assert.equal(kit.generatedPassphrase, null);
    const status = await t.as('admin', 'keys.status', {});
    assert.deepEqual(status.kits[0].custodians.map((c: { userId: string; acknowledgedAt: string | null }) => [c.userId, c.acknowledgedAt]), custodians.map((u) => [u, null]));
    // Acknowledgement: the custodian themselves, once; anyone else is told there is no such share.
    t.clock.advance(6 * 60_000);
    const notMine = await t.try('staff', 'keys.custodian.acknowledge', { kitId: kit.kitId });
    assert.equal(notMine.ok ? 'ok' : notMine.error.code, 'REAUTH_REQUIRED');
    await t.reauth('staff');
    const stillNotMine = await t.try('staff', 'keys.custodian.acknowledge', { kitId: kit.kitId });
    assert.equal(stillNotMine.ok ? 'ok' : stillNotMine.error.code, 'NOT_FOUND');
    await t.reauth('manager');
    const mine = await t.as('manager', 'keys.custodian.mine', {});
    assert.deepEqual(mine.shares.map((s: { share: number; acknowledgedAt: null }) => [s.share, s.acknowledgedAt]), [[2, null]]);
    const ack = await t.as('manager', 'keys.custodian.acknowledge', { kitId: kit.kitId });
    assert.equal(ack.share, 2);
    const twice = await t.try('manager', 'keys.custodian.acknowledge', { kitId: kit.kitId });
    assert.equal(twice.ok ? 'ok' : twice.error.code, 'CONFLICT');
    await t.core.close();

    const ws = await emptyWorkstation(t);
    const one = await ws.enrol({ packageText: kit.texts[1], passphrase: 'kit passphrase for the safe, 2026' });
    assert.equal(one.ok ? 'ok' : one.error.code, 'INVALID_INPUT');
    assert.match(one.ok ? '' : one.error.message, /Two of the three/);
    const sameTwice = await ws.enrol({ packageText: kit.texts[1], moreShares: [kit.texts[1]], passphrase: 'kit passphrase for the safe, 2026' });
    assert.equal(sameTwice.ok ? 'ok' : sameTwice.error.code, 'INVALID_INPUT');
    const wrong = await ws.enrol({ packageText: kit.texts[0], moreShares: [kit.texts[2]], passphrase: 'a different passphrase entirely' });
    assert.equal(wrong.ok ? 'ok' : wrong.error.code, 'INVALID_CREDENTIALS');
    assert.equal(await ws.vault.get(kekName(id)), null, 'nothing changed');
    const restored = await ws.enrol({ packageText: kit.texts[2], moreShares: [kit.texts[0]], passphrase: 'kit passphrase for the safe, 2026' });
    assert.equal(restored.ok, true, JSON.stringify(restored));
    assert.deepEqual(await ws.vault.get(kekName(id)), kek);
    const reopened = await startCore({ ...FAST, dataDir: t.dataDir, vault: ws.vault });
    await reopened.cleanup();
    await done(t);
  });

  test('a kit made before a KEK rotation no longer restores (refused, nothing changed) and shows as stale', realKeychain, async () => {
    const { t } = await seeded();
    const id = await installId(t);
    await t.reauth('admin');
    const kit = await t.as('admin', 'keys.kit.create', { split: false });
    await t.as('admin', 'keys.rotateKek', {});
    const status = await t.as('admin', 'keys.status', {});
    assert.equal(status.kits[0].current, false);
    await t.core.close();
    const ws = await emptyWorkstation(t);
    const stale = await ws.enrol({ packageText: kit.texts[0], passphrase: kit.generatedPassphrase });
    assert.equal(stale.ok ? 'ok' : stale.error.code, 'CONFLICT');
    assert.equal(await ws.vault.get(kekName(id)), null);
    await done(t);
  });
});
