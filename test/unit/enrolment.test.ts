import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DATABASE_FILE, openCore } from '../../main/core.node.ts';
import { kekName } from '../../main/platform/crypto/kek.node.ts';
import {
  EnrolmentPackageError,
  generatePassphrase,
  GENERATED_PASSPHRASE_BITS,
  openEnrolmentPackage,
  passphraseProblem,
  sealEnrolmentPackage,
} from '../../main/platform/crypto/enrolmentPackage.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { openNodeSettings } from '../../main/platform/settings/settings.node.ts';
import { StartupError } from '../../main/platform/startupError.std.ts';
import { openRecoveryCore } from '../../main/recovery.node.ts';
import type { SecretVault } from '../../main/platform/keychain/vault.std.ts';
import { ADMIN, FAST_PASSWORDS, startCore, tempDir, type TestCore } from '../support/core.ts';
import { coreDatabase } from '../support/database.ts';

const COST = 14;
const INSTALL = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

describe('enrolment package format', () => {
  const kek = randomBytes(32);
  const now = new Date('2026-11-25T12:00:00Z');
  const seal = (passphrase = 'a long one-time passphrase 42') =>
    sealEnrolmentPackage({ kek, installId: INSTALL, passphrase, createdAt: now, expiresAt: new Date(now.getTime() + 3_600_000), logN: COST });
  const refusal = async (text: string, passphrase: string, expect: { installId: string; now: Date }) => {
    try {
      await openEnrolmentPackage(text, passphrase, expect);
      return 'opened';
    } catch (error) {
      return error instanceof EnrolmentPackageError ? error.reason : String(error);
    }
  };

  test('opens with the passphrase, before expiry, for its install id; holds no key in the clear', async () => {
    const { text } = await seal();
    assert.deepEqual(await openEnrolmentPackage(text, 'a long one-time passphrase 42', { installId: INSTALL, now }), kek);
    assert.equal(text.includes(kek.toString('base64')), false);
    assert.equal(text.includes(kek.toString('hex')), false);
  });

  test('a wrong passphrase, an expired package, another install id, malformed text are refused', async () => {
    const { text } = await seal();
    assert.equal(await refusal(text, 'a long one-time passphrase 43', { installId: INSTALL, now }), 'wrong_passphrase');
    assert.equal(await refusal(text, 'a long one-time passphrase 42', { installId: INSTALL, now: new Date(now.getTime() + 3_600_000) }), 'expired');
    assert.equal(await refusal(text, 'a long one-time passphrase 42', { installId: '00000000-0000-4000-8000-000000000000', now }), 'wrong_install');
    assert.equal(await refusal(text.slice(0, 100), 'x', { installId: INSTALL, now }), 'malformed');
    assert.equal(await refusal(JSON.stringify({ ...JSON.parse(text), extra: 1 }), 'x', { installId: INSTALL, now }), 'malformed');
  });

  test('an extended expiry or a changed install id in the header makes the package fail to open', async () => {
    const { text } = await seal();
    const pkg = JSON.parse(text);
    const later = JSON.stringify({ ...pkg, expiresAt: '2030-01-01T00:00:00.000Z' });
    assert.equal(await refusal(later, 'a long one-time passphrase 42', { installId: INSTALL, now: new Date('2029-01-01T00:00:00Z') }), 'wrong_passphrase');
    const other = '11111111-2222-4333-8444-555555555555';
    assert.equal(await refusal(JSON.stringify({ ...pkg, installId: other }), 'a long one-time passphrase 42', { installId: other, now }), 'wrong_passphrase');
    const truncatedTag = JSON.stringify({ ...pkg, cipher: { ...pkg.cipher, tag: Buffer.from(pkg.cipher.tag, 'base64').subarray(0, 4).toString('base64') } });
    assert.equal(await refusal(truncatedTag, 'a long one-time passphrase 42', { installId: INSTALL, now }), 'wrong_passphrase');
  });

  test('an absurd scrypt cost is refused before any work (bounded import cost)', async () => {
    const { text } = await seal();
    const pkg = JSON.parse(text);
    assert.equal(await refusal(JSON.stringify({ ...pkg, kdf: { ...pkg.kdf, logN: 30 } }), 'x', { installId: INSTALL, now }), 'malformed');
  });

  test('generated passphrases: six groups of five, ≥ 140 bits, never repeated; typed ones follow the strength rules', () => {
    const a = generatePassphrase();
    assert.match(a, /^([A-Z2-9]{5}-){5}[A-Z2-9]{5}$/);
    assert.notEqual(a, generatePassphrase());
    assert.ok(GENERATED_PASSPHRASE_BITS >= 140);
    assert.equal(passphraseProblem(a), null);
    assert.match(passphraseProblem('short')!, /At least 20 characters/);
    assert.match(passphraseProblem('aaaaaaaaaaaaaaaaaaaaaaaa')!, /different characters/);
    assert.equal(passphraseProblem('staple battery horse correct'), null);
  });
});

/** Workstation 1: an initialised console with an IT administrator signed in. */
async function firstWorkstation(): Promise<TestCore> {
  const t = await startCore({ enrolmentCost: COST });
  await t.call('session.setup', ADMIN);
  await t.call('session.login', { username: ADMIN.username, password: ADMIN.password });
  return t;
}

async function createPackage(t: TestCore, input: { expiresInHours: number; passphrase?: string }) {
  await t.call('session.reauthenticate', { password: ADMIN.password });
  return t.call<{ packageText: string; generatedPassphrase: string | null; expiresAt: string; installId: string }>('workstation.enrolment.create', input);
}

/** Workstation 2: its own (empty) keychain, the same database; openCore refuses, so the recovery core serves. */
async function secondWorkstation(dataDir: string, vault: SecretVault, now = () => new Date()) {
  // The first workstation's database (its SQLite file, or its PostgreSQL database when the suite runs there).
  const database = coreDatabase(dataDir).database ?? { client: 'sqlite' as const, filename: join(dataDir, DATABASE_FILE) };
  const problem = await openCore({ dataDir, vault, database, passwordCost: FAST_PASSWORDS }).then(
    async (core) => {
      await core.close();
      throw new Error('the console opened without a key');
    },
    (error: unknown) => error,
  );
  assert.ok(problem instanceof StartupError);
  let enrolled = 0;
  const core = openRecoveryCore({ problem, vault, settings: openNodeSettings(tempDir()), dataDir, database, now, onEnrolled: () => void (enrolled += 1) });
  const caller = { senderId: 'recovery', trusted: true as const };
  return {
    problem,
    core,
    enrolled: () => enrolled,
    enrol: (packageText: string, passphrase: string) => core.handle(caller, 'workstation.recovery.enrol', { packageText, passphrase }),
    status: () => core.handle(caller, 'workstation.recovery.status', {}),
  };
}

describe('enrolling a second workstation', () => {
  test('IT creates a package (re-entry needed, audited without secrets); the new workstation imports it and opens', async () => {
    const t = await firstWorkstation();
    try {
      t.clock.advance(6 * 60_000);
      const noReauth = await t.core.handle(t.caller(), 'workstation.enrolment.create', { expiresInHours: 24 });
      assert.equal(noReauth.ok ? 'ok' : noReauth.error.code, 'REAUTH_REQUIRED');
      const created = await createPackage(t, { expiresInHours: 24 });
      assert.ok(created.generatedPassphrase);
      const audit = await t.call<{ events: { action: string; details: Record<string, unknown> }[] }>('audit.list', { limit: 5 });
      const event = audit.events.find((e) => e.action === 'workstation.enrolment_created');
      assert.ok(event);
      assert.equal(event.details.passphrase, 'generated');
      assert.doesNotMatch(JSON.stringify(audit.events), new RegExp(`${created.generatedPassphrase}|"cipher"|"salt"`));
      await t.core.close();

      const vault2 = new MemoryVault();
      const ws = await secondWorkstation(t.dataDir, vault2);
      assert.equal(ws.problem.code, 'KEY_MISSING');
      const status = await ws.status();
      assert.ok(status.ok);
      assert.deepEqual({ mode: (status.value as { mode: string }).mode, canEnrol: (status.value as { canEnrol: boolean }).canEnrol }, { mode: 'recovery', canEnrol: true });
      const done = await ws.enrol(created.packageText, created.generatedPassphrase);
      assert.ok(done.ok, JSON.stringify(done));
      assert.equal((done.value as { installId: string }).installId, created.installId);
      assert.equal(ws.enrolled(), 1);
      assert.deepEqual(await vault2.get(kekName(created.installId)), await t.vault.get(kekName(created.installId)));

      // The app then opens on this workstation, and the office's accounts work.
      const reopened = await startCore({ dataDir: t.dataDir, vault: vault2 });
      try {
        await reopened.call('session.login', { username: ADMIN.username, password: ADMIN.password });
      } finally {
        await reopened.cleanup();
      }
    } finally {
      await t.cleanup().catch(() => undefined);
    }
  });

  test('a wrong passphrase, an expired package, another install, a malformed package: refused, keychain unchanged', async () => {
    const t = await firstWorkstation();
    const other = await firstWorkstation();
    try {
      const created = await createPackage(t, { expiresInHours: 1, passphrase: 'the office typed passphrase 2026' });
      assert.equal(created.generatedPassphrase, null);
      const foreign = await createPackage(other, { expiresInHours: 24 });
      await t.core.close();
      let clock = Date.now();
      const vault2 = new MemoryVault();
      const ws = await secondWorkstation(t.dataDir, vault2, () => new Date(clock));
      const code = async (text: string, passphrase: string) => {
        const result = await ws.enrol(text, passphrase);
        return result.ok ? 'ok' : `${result.error.code}: ${result.error.message}`;
      };
      assert.match(await code(created.packageText, 'the office typed passphrase 2025'), /^INVALID_CREDENTIALS: The passphrase does not open/);
      assert.match(await code(foreign.packageText, foreign.generatedPassphrase!), /^INVALID_INPUT: This enrolment package is for another database/);
      assert.match(await code('{"format":"itpc-enrolment"}', 'x'), /^INVALID_INPUT: This is not an enrolment package/);
      assert.match(await code('x'.repeat(5000), 'x'), /^INVALID_INPUT/);
      clock += 61 * 60_000;
      assert.match(await code(created.packageText, 'the office typed passphrase 2026'), /^INVALID_INPUT: This enrolment package has expired/);
      assert.equal(await vault2.get(kekName(created.installId)), null);
      assert.equal(ws.enrolled(), 0);
      // Every refusal said "Nothing was changed", and nothing was.
      await assert.rejects(openCore({ dataDir: t.dataDir, vault: vault2, ...coreDatabase(t.dataDir) }), (e: unknown) => e instanceof StartupError && e.code === 'KEY_MISSING');
    } finally {
      await t.cleanup().catch(() => undefined);
      await other.cleanup();
    }
  });

  test('a weak typed passphrase is refused and no package or audit success is written', async () => {
    const t = await firstWorkstation();
    try {
      await t.call('session.reauthenticate', { password: ADMIN.password });
      const result = await t.core.handle(t.caller(), 'workstation.enrolment.create', { expiresInHours: 24, passphrase: 'too short' });
      assert.equal(result.ok ? 'ok' : result.error.code, 'INVALID_INPUT');
      const audit = await t.call<{ events: { action: string; outcome: string }[] }>('audit.list', { limit: 3 });
      assert.deepEqual(
        audit.events.filter((e) => e.action === 'workstation.enrolment_created').map((e) => e.outcome),
        ['failed'],
      );
    } finally {
      await t.cleanup();
    }
  });

  test('the recovery core answers only its two channels, only to trusted senders; an open console refuses enrol', async () => {
    const t = await firstWorkstation();
    try {
      const open = await t.call<{ mode: string }>('workstation.recovery.status', {});
      assert.equal(open.mode, 'open');
      const refused = await t.core.handle(t.caller(), 'workstation.recovery.enrol', { packageText: '{}', passphrase: 'x' });
      assert.equal(refused.ok ? 'ok' : refused.error.code, 'CONFLICT');
      await t.core.close();
      const ws = await secondWorkstation(t.dataDir, new MemoryVault());
      assert.equal((await ws.core.handle({ senderId: 'x', trusted: false }, 'workstation.recovery.status', {})).ok, false);
      const other = await ws.core.handle({ senderId: 'x', trusted: true }, 'session.login', { username: 'a', password: 'b' });
      assert.equal(other.ok ? 'ok' : other.error.code, 'NOT_AUTHENTICATED');
      const bad = await ws.core.handle({ senderId: 'x', trusted: true }, 'workstation.recovery.enrol', { packageText: 'x', passphrase: 'y', extra: 1 });
      assert.equal(bad.ok ? 'ok' : bad.error.code, 'INVALID_INPUT');
    } finally {
      await t.cleanup().catch(() => undefined);
    }
  });

  test('a key that is not enrolable (keychain unreachable) shows steps without the enrol form', async () => {
    const dataDir = tempDir();
    const problem = new StartupError('KEYCHAIN_UNAVAILABLE', 'The system keychain could not be reached.', ['Unlock it.']);
    const core = openRecoveryCore({ problem, vault: new MemoryVault(), settings: openNodeSettings(dataDir), dataDir, database: null });
    const status = await core.handle({ senderId: 'x', trusted: true }, 'workstation.recovery.status', {});
    assert.deepEqual(status, { ok: true, value: { mode: 'recovery', code: 'KEYCHAIN_UNAVAILABLE', message: 'The system keychain could not be reached.', steps: ['Unlock it.'], canEnrol: false } });
    const enrol = await core.handle({ senderId: 'x', trusted: true }, 'workstation.recovery.enrol', { packageText: '{}', passphrase: 'x' });
    assert.equal(enrol.ok ? 'ok' : enrol.error.code, 'CONFLICT');
  });
});
