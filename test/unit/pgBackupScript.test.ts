/**
 * scripts/pg-backup.sh against the throw-away PostgreSQL server: an encrypted pg_dump, a customer deleted after it,
 * a restore into a new database with the replaced database's deletion ledger carried over — the first core opening
 * the restored database deletes that customer again. A flipped byte, a cut file or a wrong passphrase is refused
 * and no database is created.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openCore } from '../../main/core.node.ts';
import type { Core } from '../../main/core.contract.std.ts';
import type { ErasurePort } from '../../main/features/erasure/erasure.port.node.ts';
import { openDatabase } from '../../main/platform/store/database.node.ts';
import { FAST_PASSWORDS, onlyOn, tempDir } from '../support/core.ts';
import { onServerRaw, pgConnection } from '../support/database.ts';
import { plaintextHits } from '../support/plaintextScan.ts';
import { sampleCustomer, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';

const skip = onlyOn('pg', 'the script backs up and restores a PostgreSQL database with pg_dump / pg_restore');
const SCRIPT = join(import.meta.dirname, '../../scripts/pg-backup.sh');
const RESTORED = `itpc_restored_${process.pid}`;

let t: CustomerTestCore;
let port: ErasurePort;
let dir: string;
let passfile: string;

before(async () => {
  if (skip) return;
  t = await startCustomerCore({ onErasurePort: (p) => void (port = p) });
  dir = tempDir('itpc-pgbak-');
  passfile = join(dir, 'passphrase');
  writeFileSync(passfile, 'a long passphrase for the office dumps\n', { mode: 0o600 });
});
after(async () => {
  if (skip) return;
  await onServerRaw(`DROP DATABASE IF EXISTS ${RESTORED} WITH (FORCE)`);
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function run(...args: string[]) {
  return spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8' });
}

test('backup, delete, restore with the ledger carried over: the deleted customer is deleted again; damage is refused', { skip }, async () => {
  const url = t.database.client === 'pg' ? String(t.database.connection) : '';
  const kept = (await t.as('staff', 'customers.create', sampleCustomer({ email: 'kept.pg@backup.test' }))).customer.id as string;
  const doomed = (await t.as('staff', 'customers.create', sampleCustomer({ email: 'doomed.pg@backup.test', familyName: 'Zebedeeworth' }))).customer.id as string;

  const out = join(dir, 'out');
  const made = run('backup', '--dbname', url, '--out', out, '--passphrase-file', passfile, '--keep', '3');
  assert.equal(made.status, 0, made.stderr);
  const file = join(out, readdirSync(out).find((n) => n.endsWith('.dump.gpg'))!);
  const manifest = JSON.parse(readFileSync(`${file}.json`, 'utf8'));
  assert.equal(manifest.format, 'itpc-pg-backup');
  assert.ok(manifest.schemaVersion >= 15);
  assert.deepEqual(plaintextHits([file], ['Zebedeeworth', 'doomed.pg@backup.test', 'schema_migrations']), [], 'nothing in clear, not even table names');

  const filed = await t.as('staff', 'erasure.file', { customerId: doomed, reason: 'customer_request', channel: 'email' });
  await t.reauth('manager');
  await t.as('manager', 'erasure.decide', { id: filed.request.id, decision: 'approve' });
  await port.reclaimed();

  const server = process.env.ITPC_TEST_PG!;
  const original = readFileSync(file);
  const refusals: [string, () => void, string[]][] = [
    ['a flipped byte', () => writeFileSync(file, Buffer.from(original.map((b, i) => (i === original.length - 50 ? b ^ 1 : b)))), []],
    ['cut short', () => writeFileSync(file, original.subarray(0, original.length - 100)), []],
    ['a flipped byte, manifest removed', () => {
      writeFileSync(file, Buffer.from(original.map((b, i) => (i === Math.floor(original.length / 2) ? b ^ 1 : b))));
      rmSync(`${file}.json`, { force: true });
    }, []],
  ];
  const manifestText = readFileSync(`${file}.json`);
  for (const [label, damage] of refusals) {
    damage();
    const refused = run('restore', '--file', file, '--passphrase-file', passfile, '--into', RESTORED, '--server', server, '--ledger-from', url);
    assert.notEqual(refused.status, 0, `${label}: refused`);
    assert.match(refused.stderr, /Nothing was changed/, label);
    const db = openDatabase({ client: 'pg', connection: server });
    assert.equal((await db('pg_database').where({ datname: RESTORED }).select()).length, 0, `${label}: no database created`);
    await db.destroy();
  }
  writeFileSync(file, original);
  writeFileSync(`${file}.json`, manifestText);
  const wrong = join(dir, 'wrong');
  writeFileSync(wrong, 'not the passphrase of these dumps\n', { mode: 0o600 });
  assert.notEqual(run('restore', '--file', file, '--passphrase-file', wrong, '--into', RESTORED, '--server', server).status, 0, 'wrong passphrase refused');

  const restored = run('restore', '--file', file, '--passphrase-file', passfile, '--into', RESTORED, '--server', server, '--ledger-from', url);
  assert.equal(restored.status, 0, restored.stderr);
  assert.match(restored.stdout, /ALTER DATABASE/);

  // Before any workstation opens it, the restored database still holds the customer (the backup predates the deletion).
  const side = openDatabase({ client: 'pg', connection: pgConnection(RESTORED) });
  try {
    assert.ok(await side('customers').where({ id: doomed }).first());
    assert.ok(await side('deletion_ledger').where({ customer_id: doomed }).first(), 'ledger carried over');
  } finally {
    await side.destroy();
  }
  let core: Core | null = null;
  try {
    core = await openCore({ dataDir: tempDir(), vault: t.vault, passwordCost: FAST_PASSWORDS, managedSettingsFile: join(dir, 'none.json'), database: { client: 'pg', connection: pgConnection(RESTORED) } });
    const check = openDatabase({ client: 'pg', connection: pgConnection(RESTORED) });
    try {
      assert.equal(await check('customers').where({ id: doomed }).first(), undefined, 'deleted again at the first open');
      assert.ok(await check('customers').where({ id: kept }).first());
      assert.equal((await check('deletion_tombstones').where({ id: doomed }).first()).reason, 'restore');
    } finally {
      await check.destroy();
    }
  } finally {
    await core?.close();
  }
});
