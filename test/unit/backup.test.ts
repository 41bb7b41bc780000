/**
 * Encrypted backups and their restore (issue #11) through the real core. SQLite: the backup file reveals no PII,
 * a restore of an older backup deletes again the customers deleted since, a flipped byte, a cut file or a wrong
 * key is refused with nothing changed, the witness follows a restore made through the app. PostgreSQL: the
 * channels refuse and point at scripts/pg-backup.sh.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ErasurePort } from '../../main/features/erasure/erasure.port.node.ts';
import { randomBytes } from 'node:crypto';
import { BackupWriter, decryptBackup, readBackupHeader } from '../../main/features/backup/backupFile.node.ts';
import { openCore } from '../../main/core.node.ts';
import { appFiles, plaintextHits } from '../support/plaintextScan.ts';
import { expectError, sampleCustomer, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';
import { ADMIN, FAST_PASSWORDS, onlyOn, tempDir } from '../support/core.ts';
import { tableCounts } from '../support/snapshot.ts';

const SQLITE = onlyOn('sqlite', 'the console backs up and restores its SQLite file; PostgreSQL is backed up with scripts/pg-backup.sh');
const PII = { given: 'Philippa', family: 'Quernbrook', email: 'philippa.quernbrook@backup.test', street: '17 Zanzibar Mews' };

let t: CustomerTestCore;
let port: ErasurePort;

before(async () => {
  t = await startCustomerCore({ onErasurePort: (p) => void (port = p) });
});
after(() => t.cleanup());

async function createCustomer(email: string, family = 'Backupson'): Promise<string> {
  const made = await t.as('staff', 'customers.create', sampleCustomer({ email, familyName: family }));
  return made.customer.id as string;
}

async function deleteCustomer(id: string): Promise<void> {
  const filed = await t.as('staff', 'erasure.file', { customerId: id, reason: 'customer_request', channel: 'email' });
  await t.reauth('manager');
  await t.as('manager', 'erasure.decide', { id: filed.request.id, decision: 'approve' });
  await port.reclaimed();
}

async function backup(input: Record<string, unknown> = {}): Promise<{ file: string; bytes: number; path: string }> {
  const made = await t.as('admin', 'backup.create', { taskId: crypto.randomUUID(), ...input });
  return { ...made, path: join(t.dataDir, 'backups', made.file) };
}

/** Row counts (audit events aside: a refusal is audited) and the customer ids present, through a fresh connection. */
async function stateNow(): Promise<{ counts: Record<string, number>; customers: string[] }> {
  const counts = await tableCounts(t);
  const db = t.openDb();
  try {
    const customers = (await db('customers').select<{ id: string }[]>('id').orderBy('id')).map((r) => r.id);
    return { counts: { ...counts, audit_events: 0, jobs: 0 }, customers };
  } finally {
    await db.destroy();
  }
}

async function restore(file: string, extra: Record<string, unknown> = {}) {
  await t.reauth('admin');
  return t.try('admin', 'backup.restore', { file, confirm: true, ...extra });
}

describe('the backup file format', () => {
  const facts = (plainBytes: number) => ({ appVersion: '0.1.0', schemaVersion: 15, installId: crypto.randomUUID(), kekId: '0123456789abcdef', createdAt: new Date().toISOString(), plainBytes });
  async function seal(plain: Buffer, dir: string, key = { source: 'kek' as const, kek: randomBytes(32) }) {
    writeFileSync(join(dir, 'plain'), plain);
    const writer = await BackupWriter.create(join(dir, 'plain'), join(dir, 'sealed'), facts(plain.length), key);
    while (!writer.finished) await writer.writeFrames(3);
    await writer.finish();
    return { sealed: readFileSync(join(dir, 'sealed')), key };
  }

  test('round-trips empty, one-byte, exactly-one-frame and frame-and-a-byte snapshots', async () => {
    for (const size of [0, 1, 65536, 65537, 3 * 65536 + 5]) {
      const dir = tempDir('itpc-bakfmt-');
      const plain = randomBytes(size);
      const { key } = await seal(plain, dir, { source: 'kek', kek: randomBytes(32) });
      await decryptBackup(join(dir, 'sealed'), join(dir, 'opened'), key);
      assert.ok(readFileSync(join(dir, 'opened')).equals(plain), `size ${size}`);
    }
  });

  test('two frames swapped are refused', async () => {
    const dir = tempDir('itpc-bakfmt-');
    const { sealed, key } = await seal(randomBytes(3 * 65536), dir);
    const headerEnd = 12 + sealed.readUInt32BE(8);
    const frame = 4 + 65536 + 16;
    const first = sealed.subarray(headerEnd, headerEnd + frame);
    const second = sealed.subarray(headerEnd + frame, headerEnd + 2 * frame);
    writeFileSync(join(dir, 'swapped'), Buffer.concat([sealed.subarray(0, headerEnd), second, first, sealed.subarray(headerEnd + 2 * frame)]));
    await assert.rejects(decryptBackup(join(dir, 'swapped'), join(dir, 'opened'), key), /damaged/);
  });
});

describe('backup', { skip: SQLITE }, () => {
  test('writes an encrypted file with a clear, identifying header, reports progress, and holds no seeded PII', async () => {
    await t.as('staff', 'customers.create', {
      ...sampleCustomer({ givenName: PII.given, familyName: PII.family, email: PII.email }),
      shippingAddress: { street: PII.street, city: 'Leeds', postalCode: 'LS1 4AB', country: 'GB' },
    });
    const progress: number[] = [];
    const off = t.core.onEvent((sender, event, payload) => {
      if (sender === 'admin' && event === 'progress') progress.push((payload as { done: number }).done);
    });
    const made = await backup();
    off();
    assert.match(made.file, /^itpc-backup-\d{8}-\d{6}Z-[0-9a-f]{4}\.itpcbak$/);
    assert.equal(statSync(made.path).size, made.bytes);
    assert.ok(progress.length >= 2, 'progress events while the job ran');
    const { header } = await readBackupHeader(made.path);
    assert.equal(header.format, 'itpc-backup');
    assert.equal(header.key.source, 'kek');
    assert.ok(header.schemaVersion >= 15);
    const db = t.openDb();
    assert.equal(header.installId, (await db('meta').where({ key: 'install_id' }).first()).value);
    await db.destroy();
    // The plaintext scan: not in the file, nor anywhere the backup passed through (snapshot removed).
    assert.deepEqual(plaintextHits([made.path], Object.values(PII)), []);
    assert.deepEqual(plaintextHits(appFiles(t.dataDir).filter((f) => !f.endsWith('.sqlite') && !f.includes('-wal')), Object.values(PII)), []);
    assert.deepEqual(readdirSync(t.dataDir).filter((n) => n.startsWith('backup-snapshot')), [], 'the clear snapshot is removed');
    const status = await t.as('admin', 'backup.status', {});
    assert.equal(status.engine, 'sqlite');
    assert.ok(status.backups.some((b: { file: string; thisDatabase: boolean }) => b.file === made.file && b.thisDatabase));
    assert.equal(status.last.ok, true);
    const audited = t.openDb();
    const event = await audited('audit_events').where({ action: 'backup.created' }).orderBy('seq', 'desc').first();
    await audited.destroy();
    assert.equal(event.outcome, 'ok');
    assert.doesNotMatch(event.details, new RegExp(`${PII.family}|${PII.email}`));
  });

  test('is refused to other roles, and malformed input is refused with nothing written', async () => {
    const before = readdirSync(join(t.dataDir, 'backups')).length;
    // The folder dialog (the test saver answers with its folder); nothing is saved by choosing.
    assert.deepEqual(await t.as('admin', 'backup.chooseFolder', {}), { folder: join(t.dataDir, 'exports') });
    expectError(await t.try('staff', 'backup.chooseFolder', {}), 'FORBIDDEN');
    expectError(await t.try('staff', 'backup.create', { taskId: crypto.randomUUID() }), 'FORBIDDEN');
    expectError(await t.try('manager', 'backup.status', {}), 'FORBIDDEN');
    expectError(await t.try('auditor', 'backup.restore', { file: 'itpc-backup-20260101-000000Z-abcd.itpcbak', confirm: true }), 'FORBIDDEN');
    expectError(await t.try('admin', 'backup.create', { taskId: 'nope' }), 'INVALID_INPUT');
    expectError(await t.try('admin', 'backup.create', { taskId: crypto.randomUUID(), passphrase: 'short' }), 'INVALID_INPUT');
    expectError(await t.try('admin', 'backup.saveSchedule', { enabled: true, folder: 'relative/path', intervalHours: 24, keep: 7 }), 'INVALID_INPUT');
    expectError(await t.try('admin', 'backup.saveSchedule', { enabled: true, folder: null, intervalHours: 0, keep: 7 }), 'INVALID_INPUT');
    await t.reauth('admin');
    expectError(await t.try('admin', 'backup.restore', { file: '../privacy-console.sqlite', confirm: true }), 'INVALID_INPUT');
    expectError(await t.try('admin', 'backup.restore', { file: 'itpc-backup-20260101-000000Z-abcd.itpcbak', confirm: false }), 'INVALID_INPUT');
    expectError(await t.try('admin', 'backup.restore', { file: 'itpc-backup-20260101-000000Z-abcd.itpcbak', confirm: true }), 'NOT_FOUND');
    assert.equal(readdirSync(join(t.dataDir, 'backups')).length, before);
  });

  test('restore needs the password re-entered', async () => {
    const fresh = await startCustomerCore();
    try {
      const made = await fresh.as('admin', 'backup.create', { taskId: crypto.randomUUID() });
      // Setup signed in with the password a moment ago: six minutes later it must be entered again.
      fresh.clock.advance(6 * 60_000);
      expectError(await fresh.try('admin', 'backup.restore', { file: made.file, confirm: true }), 'REAUTH_REQUIRED');
    } finally {
      await fresh.cleanup();
    }
  });
});

describe('restore', { skip: SQLITE }, () => {
  test('of an older backup deletes again the customer deleted since; the chain verifies and the witness follows', async () => {
    const kept = await createCustomer('kept.customer@backup.test');
    const doomed = await createCustomer('doomed.customer@backup.test', 'Doomington');
    const made = await backup();
    await deleteCustomer(doomed);
    const later = await createCustomer('after.backup@backup.test');

    const result = await restore(made.file);
    assert.equal(result.ok, true, JSON.stringify(result));
    const value = result.ok ? result.value : null;
    assert.equal(value.deletionsReapplied, 1);
    assert.match(value.keptAside, /^privacy-console\.sqlite\.before-restore-/);
    assert.ok(existsSync(join(t.dataDir, value.keptAside)), 'the replaced database is kept aside');

    const { customers } = await stateNow();
    assert.ok(customers.includes(kept), 'a customer in the backup is back');
    assert.ok(!customers.includes(doomed), 'the customer deleted after the backup is deleted again');
    assert.ok(!customers.includes(later), 'the restored database is the backup: what came after it is not there');
    const db = t.openDb();
    try {
      assert.equal((await db('deletion_tombstones').where({ id: doomed }).first()).reason, 'restore');
      assert.ok(await db('deletion_ledger').where({ customer_id: doomed }).first());
      const restored = await db('audit_events').where({ action: 'backup.restored', outcome: 'ok' }).first();
      assert.equal(restored.outcome, 'ok');
      const details = JSON.parse(restored.details);
      assert.equal(details.deletionsReapplied, 1);
      assert.equal(details.file, made.file);
    } finally {
      await db.destroy();
    }
    const verified = await t.as('auditor', 'audit.verify', {});
    assert.equal(verified.ok, true, JSON.stringify(verified));
    // Signed in as before; a search for the deleted one finds nothing.
    const found = await t.as('staff', 'customers.search', { by: 'email', value: 'doomed.customer@backup.test' });
    assert.equal(found.rows.length, 0);

    // Restarting the console finds nothing cut short: the witness moved with the restore.
    await t.core.close();
    const reopened = await openCore({ dataDir: t.dataDir, vault: t.vault, passwordCost: FAST_PASSWORDS, managedSettingsFile: join(t.dataDir, 'managed.json') });
    try {
      const check = t.openDb();
      const integrity = await check('audit_events').where({ action: 'audit.integrity' }).select();
      await check.destroy();
      assert.deepEqual(integrity, [], 'no witness finding after a restore made through the app');
    } finally {
      await reopened.close();
    }
    // The rest of this file goes on with a fresh core in the same folder.
    t = await startCustomerCore({ onErasurePort: (p) => void (port = p) });
  });

  test('a backup with one flipped byte, a truncated one and a wrong key are refused with nothing changed', async () => {
    await createCustomer('tamper.target@backup.test');
    const made = await backup();
    const original = readFileSync(made.path);
    const before = await stateNow();
    const dbBytes = () => readFileSync(join(t.dataDir, 'privacy-console.sqlite')).length;
    const cases: [string, () => void, RegExp][] = [
      ['a flipped byte in a frame', () => {
        const bytes = Buffer.from(original);
        bytes[bytes.length - 100]! ^= 0x01;
        writeFileSync(made.path, bytes);
      }, /damaged or was altered/],
      ['a flipped byte in the header', () => {
        const bytes = Buffer.from(original);
        const at = bytes.indexOf(Buffer.from('"appVersion":"'));
        bytes[at + 14]! ^= 0x01;
        writeFileSync(made.path, bytes);
      }, /damaged|altered/],
      ['cut right after the first frame', () => {
        // Header (magic, length, JSON), then one whole 64 KiB frame: the file ends on a frame not sealed as final.
        const headerEnd = 12 + original.readUInt32BE(8);
        assert.ok(original.length > headerEnd + 2 * (4 + 65536 + 16), 'the test database spans several frames');
        writeFileSync(made.path, original);
        truncateSync(made.path, headerEnd + 4 + 65536 + 16);
      }, /incomplete/],
      ['the last byte cut off', () => {
        writeFileSync(made.path, original.subarray(0, original.length - 1));
      }, /incomplete/],
      ['cut in half', () => {
        writeFileSync(made.path, original.subarray(0, Math.floor(original.length / 2)));
      }, /incomplete|damaged/],
      ['bytes appended', () => {
        writeFileSync(made.path, Buffer.concat([original, Buffer.from('extra')]));
      }, /incomplete|damaged/],
    ];
    for (const [label, damage, message] of cases) {
      damage();
      const result = await restore(made.file);
      assert.match(expectError(result, 'INVALID_INPUT'), message, label);
      assert.deepEqual(await stateNow(), before, `${label}: nothing changed`);
      assert.ok(dbBytes() > 0);
      assert.deepEqual(readdirSync(t.dataDir).filter((n) => n.startsWith('restore-') || n.includes('before-restore')).filter((n) => !n.startsWith('privacy-console.sqlite.before-restore')), [], `${label}: no copy left`);
    }
    writeFileSync(made.path, original);

    // A passphrase backup: the wrong passphrase, and none at all, are refused.
    const withPassphrase = await backup({ passphrase: 'a passphrase for the off-site copy' });
    assert.match(expectError(await restore(withPassphrase.file, { passphrase: 'not the passphrase at all, sorry' }), 'INVALID_INPUT'), /key does not open/);
    assert.match(expectError(await restore(withPassphrase.file), 'INVALID_INPUT'), /made with a passphrase/);
    assert.deepEqual(await stateNow(), before);
    // A KEK backup under another key (this install's header, another workstation's keychain): refused.
    const other = await startCustomerCore();
    try {
      const foreign = await other.as('admin', 'backup.create', { taskId: crypto.randomUUID() });
      writeFileSync(join(t.dataDir, 'backups', foreign.file), readFileSync(join(other.dataDir, 'backups', foreign.file)));
      assert.match(expectError(await restore(foreign.file), 'INVALID_INPUT'), /another database/);
    } finally {
      await other.cleanup();
    }
    assert.deepEqual(await stateNow(), before);
    // The right passphrase restores.
    const ok = await restore(withPassphrase.file, { passphrase: 'a passphrase for the off-site copy' });
    assert.equal(ok.ok, true, JSON.stringify(ok));
  });

  test('scheduled backups run from the sweep into the chosen folder and keep the last N; a locked schedule is refused', async () => {
    const folder = tempDir('itpc-backups-');
    const s = await startCustomerCore({ sweepIntervalMs: 50 });
    try {
      await s.as('admin', 'backup.saveSchedule', { enabled: true, folder, intervalHours: 1, keep: 2 });
      // No backup yet: due at once. Then one each time the clock passes the interval.
      let lastAt: string | null = null;
      for (let round = 0; round < 3; round += 1) {
        for (let i = 0; i < 400; i += 1) {
          const status = await s.as('admin', 'backup.status', {});
          if (status.last?.scheduled && status.last.ok && status.last.at !== lastAt && !status.busy) {
            lastAt = status.last.at;
            break;
          }
          await new Promise((r) => setTimeout(r, 25));
        }
        s.clock.advance(61 * 60_000);
        // The idle lock saw the hour pass too.
        await s.call('session.unlock', { password: ADMIN.password }, 'admin');
      }
      const status = await s.as('admin', 'backup.status', {});
      assert.equal(status.folder, folder);
      assert.ok(status.last.scheduled);
      assert.equal(readdirSync(folder).filter((n) => n.endsWith('.itpcbak')).length, 2, 'only the last 2 kept');
      const db = s.openDb();
      const events = await db('audit_events').where({ action: 'backup.created' }).select('details', 'actor_id');
      await db.destroy();
      assert.ok(events.length >= 3);
      assert.ok(events.every((e: { actor_id: string | null }) => e.actor_id === null));
    } finally {
      await s.cleanup();
    }

    const dataDir = tempDir();
    writeFileSync(
      join(dataDir, 'managed.json'),
      JSON.stringify({ version: 1, managedBy: 'IT desk', locked: { backupSchedule: { enabled: true, folder, intervalHours: 12, keep: 3 } } }),
      { mode: 0o444 },
    );
    const locked = await startCustomerCore({ dataDir });
    try {
      const status = await locked.as('admin', 'backup.status', {});
      assert.equal(status.lockedBy, 'IT desk');
      assert.equal(status.schedule.intervalHours, 12);
      assert.match(expectError(await locked.try('admin', 'backup.saveSchedule', { enabled: false, folder: null, intervalHours: 24, keep: 7 }), 'LOCKED_BY_POLICY'), /locked by IT desk/);
    } finally {
      await locked.cleanup();
    }
  });

  test('opening removes the clear copies a killed backup or restore left in the data folder, never a kept-aside database', async () => {
    const dataDir = tempDir();
    const left = ['backup-snapshot-0a1b2c3d4e5f.sqlite', 'backup-snapshot-0a1b2c3d4e5f.sqlite-wal', 'restore-1765000000000.sqlite'];
    const kept = ['privacy-console.sqlite.before-restore-2026-12-06T10-00-00-000Z', 'restore-notes.txt'];
    for (const name of [...left, ...kept]) writeFileSync(join(dataDir, name), 'leftover');
    const r = await startCustomerCore({ dataDir });
    try {
      const names = readdirSync(dataDir);
      for (const name of left) assert.ok(!names.includes(name), `${name} removed`);
      for (const name of kept) assert.ok(names.includes(name), `${name} kept`);
    } finally {
      await r.cleanup();
    }
  });

  test('a backup made before a KEK rotation is marked as under an earlier key and refused with nothing changed', async () => {
    const r = await startCustomerCore();
    try {
      await r.as('staff', 'customers.create', sampleCustomer({ email: 'before.rotation@backup.test' }));
      const made = await r.as('admin', 'backup.create', { taskId: crypto.randomUUID() });
      const listed = async () => (await r.as('admin', 'backup.status', {})).backups.find((b: { file: string }) => b.file === made.file);
      assert.equal((await listed()).underCurrentKey, true);
      r.clock.advance(6 * 60_000);
      await r.reauth('admin');
      await r.as('admin', 'keys.rotateKek', {});
      assert.equal((await listed()).underCurrentKey, false, 'the rotation retired the key the backup was made under');
      const db = r.openDb();
      const customersBefore = (await db('customers').select('id')).length;
      await db.destroy();
      await r.reauth('admin');
      const refused = await r.try('admin', 'backup.restore', { file: made.file, confirm: true });
      assert.match(expectError(refused, 'INVALID_INPUT'), /Nothing was changed/);
      const after = r.openDb();
      assert.equal((await after('customers').select('id')).length, customersBefore);
      await after.destroy();
      assert.ok(!readdirSync(r.dataDir).some((n) => n.includes('before-restore')), 'no switch-over happened');
    } finally {
      await r.cleanup();
    }
  });
});

describe('on PostgreSQL', { skip: onlyOn('pg', 'the office database is backed up on the server; the console refuses with a pointer to the script') }, () => {
  test('backup and restore refuse with UNAVAILABLE naming scripts/pg-backup.sh, nothing changed', async () => {
    const before = await tableCounts(t);
    assert.match(expectError(await t.try('admin', 'backup.create', { taskId: crypto.randomUUID() }), 'UNAVAILABLE'), /pg-backup\.sh/);
    await t.reauth('admin');
    assert.match(expectError(await t.try('admin', 'backup.restore', { file: 'itpc-backup-20260101-000000Z-abcd.itpcbak', confirm: true }), 'UNAVAILABLE'), /pg-backup\.sh/);
    assert.match(expectError(await t.try('admin', 'backup.saveSchedule', { enabled: true, folder: null, intervalHours: 24, keep: 7 }), 'UNAVAILABLE'), /pg-backup\.sh/);
    const status = await t.as('admin', 'backup.status', {});
    assert.equal(status.engine, 'postgresql');
    const after = await tableCounts(t);
    assert.deepEqual({ ...after, audit_events: 0 }, { ...before, audit_events: 0 });
  });
});

