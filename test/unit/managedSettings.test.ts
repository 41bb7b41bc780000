// Machine-wide managed settings: IT's file locks settings on this workstation; the channels refuse changes to them
// with nothing changed; a malformed file refuses the start. Runs on both engines (TEST_ENGINE).
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startupFailureBox } from '../../main/app/startupDialog.std.ts';
import { openCore } from '../../main/core.node.ts';
import { consoleSettings } from '../../main/features/settings/settings.contract.std.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { managedLocks } from '../../main/platform/settings/managedPolicy.std.ts';
import { loadManagedPolicy, managedSettingsPath } from '../../main/platform/settings/managedSettings.node.ts';
import { StartupError } from '../../main/platform/startupError.std.ts';
import { DATABASE_PASSWORD_ENTRY, type PostgresConnection } from '../../main/platform/store/connectionSettings.std.ts';
import { ADMIN, startCore, tempDir, type TestCore } from '../support/core.ts';

const root = tempDir('itpc-managed-');
after(() => rmSync(root, { recursive: true, force: true }));

const MANAGED_BY = 'IT department, ticket desk ext. 4410';
const OFFICE_DB: PostgresConnection = { engine: 'postgresql', host: 'db.office.example', port: 5432, database: 'privacy', user: 'console_app', tls: { mode: 'require' } };
let files = 0;
function managedFile(content: unknown): string {
  const dir = join(root, `policy-${(files += 1)}`);
  mkdirSync(dir);
  const file = join(dir, 'managed.json');
  // Read-only, as IT deploys it: a file the console's own (non-root) user could change is refused.
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2), { mode: 0o444 });
  return file;
}

async function signedInCore(file: string): Promise<TestCore> {
  const t = await startCore({ managedSettingsFile: file });
  await t.call('session.setup', ADMIN);
  await t.call('session.login', { username: ADMIN.username, password: ADMIN.password });
  return t;
}

async function errorCode(t: TestCore, channel: string, input: unknown): Promise<string> {
  const result = await t.core.handle(t.caller(), channel, input);
  return result.ok ? 'ok' : result.error.code;
}

test('the file lives in each operating system’s machine-wide place', () => {
  // Fixed, whatever the environment says: a user can redefine %ProgramData% for their own processes.
  process.env.ProgramData = 'D:\\Users\\someone\\fake';
  assert.equal(managedSettingsPath('win32'), 'C:\\ProgramData\\iTechno\\PrivacyConsole\\managed.json');
  delete process.env.ProgramData;
  assert.equal(managedSettingsPath('darwin'), '/Library/Application Support/iTechno/PrivacyConsole/managed.json');
  assert.equal(managedSettingsPath('linux'), '/etc/itechno-privacy-console/managed.json');
});

test('no file locks nothing; a well-formed file is read as written', () => {
  assert.equal(loadManagedPolicy(join(root, 'absent', 'managed.json')), null);
  const policy = { version: 1, managedBy: MANAGED_BY, locked: { idleLockMinutes: 5, databaseConnection: OFFICE_DB, updates: { automatic: false, channel: 'stable' } } };
  // A byte-order mark (Notepad) is tolerated.
  assert.deepEqual(loadManagedPolicy(managedFile(`\uFEFF${JSON.stringify(policy)}`)), policy);
});

describe('a malformed managed file is refused, naming the file and the problem', () => {
  const cases: [string, unknown, RegExp][] = [
    ['not JSON', '{ "version": 1, "managedBy": "IT", ', /is not valid JSON/],
    ['a misspelt setting', { version: 1, managedBy: 'IT', locked: { idleLockMinute: 5 } }, /locked: Unrecognized key.*idleLockMinute/],
    ['a value out of range', { version: 1, managedBy: 'IT', locked: { idleLockMinutes: 0 } }, /locked\.idleLockMinutes: Too small/],
    ['a password in the connection', { version: 1, managedBy: 'IT', locked: { databaseConnection: { ...OFFICE_DB, password: 'hunter2' } } }, /locked\.databaseConnection: Unrecognized key.*password/],
    ['a later format', { version: 2, managedBy: 'IT', locked: {} }, /version: Invalid input/],
    ['no managedBy', { version: 1, locked: { idleLockMinutes: 5 } }, /managedBy/],
    ['a list instead of an object', [], /\(top level\)/],
    ['automatic updates, which the console does not do', { version: 1, managedBy: 'IT', locked: { updates: { automatic: true, channel: 'stable' } } }, /locked\.updates\.automatic: Invalid input/],
  ];
  for (const [name, content, problem] of cases) {
    test(name, () => {
      const file = managedFile(content);
      assert.throws(
        () => loadManagedPolicy(file),
        (error: unknown) =>
          error instanceof StartupError &&
          error.code === 'MANAGED_SETTINGS_INVALID' &&
          error.message.includes(file) &&
          problem.test(error.message) &&
          error.recovery.some((step) => step.includes(file)),
      );
    });
  }

  test('the secret a wrong file holds is not repeated in the message', () => {
    const file = managedFile({ version: 1, managedBy: 'IT', locked: { databaseConnection: { ...OFFICE_DB, password: 'hunter2' } } });
    assert.throws(() => loadManagedPolicy(file), (error: unknown) => error instanceof StartupError && !error.message.includes('hunter2'));
  });

  test('a file every user can rewrite is not IT’s to trust', { skip: process.platform === 'win32' && 'POSIX modes' }, () => {
    const file = managedFile({ version: 1, managedBy: 'IT', locked: { idleLockMinutes: 5 } });
    chmodSync(file, 0o666);
    assert.throws(() => loadManagedPolicy(file), /every user can change it/);
    if (process.getuid?.() !== 0) {
      chmodSync(file, 0o644);
      assert.throws(() => loadManagedPolicy(file), /the signed-in user can change it/);
    }
    const dir = join(root, 'a-folder.json');
    mkdirSync(dir);
    assert.throws(() => loadManagedPolicy(dir), /it is not a file/);
  });

  test('the core refuses to open: nothing is created, no database is touched', async () => {
    const dataDir = join(root, 'never-opened');
    await assert.rejects(
      openCore({ dataDir, vault: new MemoryVault(), managedSettingsFile: managedFile('not json') }),
      (error: unknown) => error instanceof StartupError && error.code === 'MANAGED_SETTINGS_INVALID',
    );
    assert.equal(existsSync(dataDir), false);
  });

  test('the start-up dialog shows the file, the problem and what to do', () => {
    const file = managedFile({ version: 1, managedBy: 'IT', locked: { idleLockMinutes: 500 } });
    let error: unknown;
    try {
      loadManagedPolicy(file);
    } catch (caught) {
      error = caught;
    }
    const box = startupFailureBox(error, '/data/logs/app.log');
    assert.ok(box.content.startsWith(`The managed settings file ${file} cannot be used: locked.idleLockMinutes: Too big`), box.content);
    assert.match(box.content, /What to do:\n1\. Ask IT to correct/);
  });
});

describe('locked office settings', () => {
  test('the locked values apply (idle lock included) and the settings screen learns what is locked and by whom', async () => {
    const file = managedFile({ version: 1, managedBy: MANAGED_BY, locked: { idleLockMinutes: 5, retentionDays: 400 } });
    const t = await signedInCore(file);
    try {
      assert.deepEqual(await t.call('settings.get', {}), { idleLockMinutes: 5, retentionDays: 400, requestDeadlineDays: 30, minPasswordLength: 12, locale: 'en-GB' });
      assert.deepEqual(await t.call('settings.managed', {}), { file, managedBy: MANAGED_BY, locked: { idleLockMinutes: 5, retentionDays: 400 } });
      const status = await t.call<{ session: { idleLockMinutes: number } }>('session.status', {});
      assert.equal(status.session.idleLockMinutes, 5);
      // The idle lock really is 5 minutes: 6 idle minutes lock the session.
      t.clock.advance(6 * 60_000);
      await t.core.sweepIdle();
      assert.equal(await errorCode(t, 'settings.get', {}), 'SESSION_LOCKED');
    } finally {
      await t.cleanup();
    }
  });

  test('a locked setting cannot be changed through its channel: typed refusal, nothing written, the refusal audited', async () => {
    const t = await signedInCore(managedFile({ version: 1, managedBy: MANAGED_BY, locked: { idleLockMinutes: 5 } }));
    try {
      const db = t.openDb();
      try {
        const rowsBefore = await db('office_settings').orderBy('key').select('key', 'value');
        const lastSeq = (await db('audit_events').max<{ seq: number }[]>({ seq: 'seq' }))[0]!.seq;
        const result = await t.core.handle(t.caller(), 'settings.update', { idleLockMinutes: 30, requestDeadlineDays: 20 });
        assert.deepEqual(result, { ok: false, error: { code: 'LOCKED_BY_POLICY', message: `The idle lock is locked by ${MANAGED_BY}. Nothing was changed.` } });
        assert.deepEqual(await db('office_settings').orderBy('key').select('key', 'value'), rowsBefore, 'the unlocked setting sent alongside was not written either');
        // The refusal is on record, with the code and without any value.
        const events = await db('audit_events').where('seq', '>', lastSeq).select('action', 'outcome', 'details');
        assert.deepEqual(events.map((e: { action: string; outcome: string; details: string }) => [e.action, e.outcome, JSON.parse(e.details)]), [['settings.updated', 'failed', { code: 'LOCKED_BY_POLICY' }]]);
      } finally {
        await db.destroy();
      }
      // The form sends the locked value back unchanged with the others: that is no change, and the others apply.
      assert.deepEqual(await t.call('settings.update', { idleLockMinutes: 5, requestDeadlineDays: 20 }), { idleLockMinutes: 5, retentionDays: 90, requestDeadlineDays: 20, minPasswordLength: 12, locale: 'en-GB' });
      assert.equal(await errorCode(t, 'settings.update', { idleLockMinutes: 6 }), 'LOCKED_BY_POLICY');
    } finally {
      await t.cleanup();
    }
  });

  test('the lock holds over what the shared database says (another workstation may have no policy)', async () => {
    const plain = await startCore();
    try {
      await plain.call('session.setup', ADMIN);
      await plain.call('session.login', { username: ADMIN.username, password: ADMIN.password });
      await plain.call('settings.update', { idleLockMinutes: 45 });
    } finally {
      await plain.core.close();
    }
    const managed = await startCore({ dataDir: plain.dataDir, vault: plain.vault, managedSettingsFile: managedFile({ version: 1, managedBy: MANAGED_BY, locked: { idleLockMinutes: 5 } }) });
    try {
      await managed.call('session.login', { username: ADMIN.username, password: ADMIN.password });
      assert.equal((await managed.call<{ idleLockMinutes: number }>('settings.get', {})).idleLockMinutes, 5);
    } finally {
      await managed.cleanup();
      rmSync(plain.dataDir, { recursive: true, force: true });
    }
  });

  test('the managed ranges are the settings’ own ranges', () => {
    for (const key of ['idleLockMinutes', 'retentionDays', 'requestDeadlineDays'] as const) {
      for (const value of [-1, 0, 1, 29, 30, 89, 90, 91, 119, 120, 121, 3650, 3651, 2.5]) {
        assert.equal(managedLocks.shape[key].safeParse(value).success, consoleSettings.shape[key].safeParse(value).success, `${key} = ${value}`);
      }
    }
  });
});

describe('a locked database connection', () => {
  test('is what the workstation uses and shows; another one is refused before the keychain is touched', async () => {
    const file = managedFile({ version: 1, managedBy: MANAGED_BY, locked: { databaseConnection: OFFICE_DB } });
    const t = await signedInCore(file);
    try {
      assert.deepEqual(await t.call('workstation.connection.get', {}), { connection: OFFICE_DB, passwordStored: false });
      const settingsBefore = existsSync(t.core.paths.settings) ? readFileSync(t.core.paths.settings, 'utf8') : null;
      for (const connection of [{ engine: 'sqlite' }, { ...OFFICE_DB, host: 'elsewhere.example' }]) {
        const result = await t.core.handle(t.caller(), 'workstation.connection.save', { connection, password: 'a database password' });
        assert.deepEqual(result, { ok: false, error: { code: 'LOCKED_BY_POLICY', message: `The database connection is locked by ${MANAGED_BY}. Nothing was changed.` } });
      }
      assert.equal(await t.vault.get(DATABASE_PASSWORD_ENTRY), null, 'no password stored');
      assert.equal(existsSync(t.core.paths.settings) ? readFileSync(t.core.paths.settings, 'utf8') : null, settingsBefore, 'settings file unchanged');
      // The locked connection itself may be saved with its password: IT locks where, the workstation holds the secret.
      const saved = await t.call<{ passwordStored: boolean }>('workstation.connection.save', { connection: OFFICE_DB, password: 'a database password' });
      assert.equal(saved.passwordStored, true);
      assert.equal((await t.vault.get(DATABASE_PASSWORD_ENTRY))?.toString('utf8'), 'a database password');
    } finally {
      await t.cleanup();
    }
  });

  test('without a policy nothing is locked', async () => {
    const t = await signedInCore(join(root, 'no-policy-here.json'));
    try {
      assert.deepEqual(await t.call('settings.managed', {}), { file: join(root, 'no-policy-here.json'), managedBy: null, locked: {} });
      assert.equal(await errorCode(t, 'settings.update', { idleLockMinutes: 30 }), 'ok');
      assert.equal(await errorCode(t, 'workstation.connection.save', { connection: { engine: 'sqlite' } }), 'ok');
    } finally {
      await t.cleanup();
    }
  });
});
