/**
 * Races a single SQLite connection used to hide (issue #7): each is run by two Node processes, each with its own
 * core on one shared database, released at the same moment; the database (a constraint, a conditional update or a
 * lock) must keep the invariant. On SQLite the busy timeout serialises the two writers; the same tests run on
 * PostgreSQL when the database config points there.
 */
import assert from 'node:assert/strict';
import { CUSTOMER_KEYS } from '../../main/features/customers/customerStore.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ApprovalKinds } from '../../main/features/approvals/approvalKinds.node.ts';
import { ApprovalService } from '../../main/features/approvals/approvalService.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import type { ApiResult } from '../../main/platform/ipc/errors.std.ts';
import { openDatabase, type DatabaseConfig, type Db } from '../../main/platform/store/database.node.ts';
import { migrate } from '../../main/platform/store/migrate.node.ts';
import { ADMIN, startCore, tempDir, type TestCore } from '../support/core.ts';
import { PASSWORD, sampleCustomer } from '../support/customers.ts';
import { DirectoryVault } from '../support/fileVault.ts';
import { RACE_KIND } from '../support/raceKinds.ts';
import { race, sharedTestDatabase as raceDatabase, type RaceCall, type RaceSpec } from '../support/races.ts';

interface Office {
  root: string;
  config: DatabaseConfig;
  vaultDir: string;
  /** A side connection for assertions. */
  db: Db;
  userId: Record<string, string>;
  /** A spec for a child workstation signed in as `who` (window `who`). */
  as(who: string, race: RaceCall[], before?: RaceCall[]): RaceSpec;
  /** A core in this process on the shared database (for preparing state). */
  core(): Promise<TestCore>;
  drop(): Promise<void>;
}

const USERS = {
  manager: { username: 'mia.manager', displayName: 'Mia Manager', role: 'manager' },
  manager2: { username: 'max.manager', displayName: 'Max Manager', role: 'manager' },
  staff: { username: 'sam.staff', displayName: 'Sam Staff', role: 'staff' },
  staff2: { username: 'sid.staff', displayName: 'Sid Staff', role: 'staff' },
  // Last: while the first administrator is the only one, granting the manager role needs no second approver.
  admin2: { username: 'bo.admin', displayName: 'Bo Admin', role: 'it_admin' },
} as const;
const LOGIN: Record<string, { username: string; password: string }> = {
  admin: { username: ADMIN.username, password: ADMIN.password },
  ...Object.fromEntries(Object.entries(USERS).map(([who, u]) => [who, { username: u.username, password: PASSWORD }])),
};

/** A database with an IT admin and the users above (unless `empty`), its key in a shared directory vault. */
async function office(opts: { empty?: boolean } = {}): Promise<Office> {
  const root = tempDir('itpc-race-');
  const vaultDir = join(root, 'vault');
  mkdirSync(vaultDir);
  const { config, drop } = await raceDatabase(root);
  let n = 0;
  const core = () => startCore({ dataDir: join(root, `parent-${(n += 1)}`), vault: new DirectoryVault(vaultDir), database: config });
  const userId: Record<string, string> = {};
  const t = await core();
  if (!opts.empty) {
    userId.admin = (await t.call<{ userId: string }>('session.setup', ADMIN, 'admin')).userId;
    for (const [who, user] of Object.entries(USERS)) userId[who] = (await t.call<{ id: string }>('accounts.create', { ...user, password: PASSWORD }, 'admin')).id;
  }
  await t.cleanup();
  const db = openDatabase(config);
  let children = 0;
  return {
    root,
    config,
    vaultDir,
    db,
    userId,
    core,
    as: (who, raceCalls, beforeCalls = []) => ({
      database: config,
      dataDir: join(root, `child-${(children += 1)}`),
      vaultDir,
      before: [{ senderId: who, channel: 'session.login', input: LOGIN[who] }, ...beforeCalls],
      race: raceCalls,
    }),
    async drop() {
      await db.destroy();
      await drop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

type Result = ApiResult<Record<string, unknown>>;
const outcomes = (results: unknown[][]) => results.map((r) => r.at(-1) as Result);
const oks = (results: Result[]) => results.filter((r) => r.ok).length;
const codes = (results: Result[]) => results.map((r) => (r.ok ? 'ok' : r.error.code)).sort();

async function auditVerifies(o: Office): Promise<void> {
  const t = await o.core();
  try {
    const active = await o.db('users').where({ role: 'it_admin', status: 'active' }).first<{ id: string }>('id');
    const who = active!.id === o.userId.admin ? 'admin' : 'admin2';
    await t.call('session.login', LOGIN[who], 'admin');
    const verified = await t.call<{ ok: boolean; checked: number }>('audit.verify', {}, 'admin');
    assert.equal(verified.ok, true, 'the audit chain verifies after the race');
  } finally {
    await t.cleanup();
  }
}

describe('two workstations racing on one database', { concurrency: false }, () => {
  test('the same email address created on two workstations at once: one record, the other CONFLICT with the usual message', async () => {
    const o = await office();
    try {
      const create = (who: string) => o.as(who, [{ senderId: who, channel: 'customers.create', input: sampleCustomer({ email: 'Twin.Race@example.com' }) }]);
      const results = outcomes(await race([create('staff'), create('staff2')]));
      assert.deepEqual(codes(results), ['CONFLICT', 'ok']);
      const refused = results.find((r) => !r.ok)!;
      assert.ok(!refused.ok && /already exists/.test(refused.error.message), 'the usual duplicate-email message');
      assert.equal(Number((await o.db('customers').count<{ n: number }[]>('* as n'))[0]!.n), 1);
      await auditVerifies(o);
    } finally {
      await o.drop();
    }
  });

  test('an import staging an address while another workstation creates it: one record for that address, no INTERNAL', async () => {
    const o = await office();
    try {
      const rows = ['given,family,email,street,city,postcode,country'];
      for (let i = 0; i < 300; i += 1) rows.push(`Given${i},Family${i},bulk${i}@example.com,${i} Road,Leeds,LS1 1AA,GB`);
      rows.splice(150, 0, 'Twin,Race,twin.import@example.com,1 Road,Leeds,LS1 1AA,GB');
      const mapping = { givenName: 'given', familyName: 'family', email: 'email', street: 'street', city: 'city', postalCode: 'postcode', country: 'country' };
      const results = outcomes(
        await race([
          o.as('manager', [{ senderId: 'manager', channel: 'customers.importRun', input: { taskId: randomUUID(), csv: rows.join('\n'), mapping } }]),
          o.as('staff', [{ senderId: 'staff', channel: 'customers.create', input: sampleCustomer({ email: 'twin.import@example.com' }) }]),
        ]),
      );
      for (const r of results) assert.ok(r.ok || r.error.code === 'CONFLICT', `no INTERNAL: ${JSON.stringify(r)}`);
      const emailIndexes = await o.db('customers').select('email_index').groupBy('email_index').havingRaw('count(*) > 1');
      assert.equal(emailIndexes.length, 0, 'no address has two records');
      const total = Number((await o.db('customers').count<{ n: number }[]>('* as n'))[0]!.n);
      const imported = results[0]!.ok ? Number((results[0] as unknown as { value: { imported: number } }).value.imported) : 0;
      assert.equal(total, imported + (results[1]!.ok ? 1 : 0));
      assert.equal(Number((await o.db('customers').whereNotNull('import_job_id').count<{ n: number }[]>('* as n'))[0]!.n), 0);
    } finally {
      await o.drop();
    }
  });

  test('wrong passwords typed on two workstations at once count toward one lockout', async () => {
    const o = await office();
    try {
      const wrong = { username: USERS.staff.username, password: 'not the password at all' };
      const guesses = (who: string) => o.as(who, Array.from({ length: 3 }, () => ({ senderId: 'guesser', channel: 'session.login', input: wrong })));
      const results = (await race([guesses('staff2'), guesses('manager')])).flat() as Result[];
      // Five failures lock the account wherever they were typed: the fifth answers LOCKED_OUT, and so does the sixth.
      assert.deepEqual(codes(results), ['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'LOCKED_OUT', 'LOCKED_OUT']);
      const row = await o.db('users').where({ id: o.userId.staff }).first<{ locked_until: string | null }>('locked_until');
      assert.ok(row?.locked_until && Date.parse(row.locked_until) > Date.now(), 'the account is locked in the shared database');
      const t = await o.core();
      try {
        const right = await t.core.handle(t.caller('late'), 'session.login', LOGIN.staff);
        assert.equal(right.ok ? 'ok' : right.error.code, 'LOCKED_OUT', 'a third workstation sees the lock too, even with the right password');
      } finally {
        await t.cleanup();
      }
      await auditVerifies(o);
    } finally {
      await o.drop();
    }
  });

  test('two IT administrators disabling each other at once: one succeeds, one active administrator remains', async () => {
    const o = await office();
    try {
      const disable = (who: string, target: string) => o.as(who, [{ senderId: who, channel: 'accounts.update', input: { id: o.userId[target], status: 'disabled' } }]);
      const results = outcomes(await race([disable('admin', 'admin2'), disable('admin2', 'admin')]));
      assert.equal(oks(results), 1, JSON.stringify(results));
      for (const r of results) assert.ok(r.ok || ['CONFLICT', 'NOT_AUTHENTICATED'].includes(r.error.code));
      const active = await o.db('users').where({ role: 'it_admin', status: 'active' }).select('id');
      assert.equal(active.length, 1);
      await auditVerifies(o);
    } finally {
      await o.drop();
    }
  });

  test('two managers deciding the same approval at once: exactly one decision', async () => {
    const o = await office();
    try {
      const ring = await unlockKeyRing(o.db, new DirectoryVault(o.vaultDir), systemClock.nowIso());
      const service = new ApprovalService(() => ring, systemClock, new ApprovalKinds().register(RACE_KIND), new SubjectKeys(() => ring, CUSTOMER_KEYS));
      const filed = await service.request(o.db, { kind: RACE_KIND.name, subjectId: randomUUID(), requesterId: o.userId.staff!, reason: 'Needed for the race test', payload: { recipientId: randomUUID() } });
      const reauth = (who: string): RaceCall => ({ senderId: who, channel: 'session.reauthenticate', input: { password: PASSWORD } });
      const decide = (who: string, decision: 'approve' | 'deny') =>
        o.as(who, [{ senderId: who, channel: 'approvals.decide', input: { id: filed.id, decision, ...(decision === 'deny' && { reason: 'Not this time, race test' }) } }], [reauth(who)]);
      const results = outcomes(await race([decide('manager', 'approve'), decide('manager2', 'deny')]));
      assert.deepEqual(codes(results), ['CONFLICT', 'ok']);
      const row = await o.db('approvals').where({ id: filed.id }).first<{ status: string; decider_id: string }>();
      const winner = results[0]!.ok ? 'manager' : 'manager2';
      assert.equal(row!.status, winner === 'manager' ? 'approved' : 'denied');
      assert.equal(row!.decider_id, o.userId[winner]);
    } finally {
      await o.drop();
    }
  });

  test('two managers reviewing the same break-glass opening at once: exactly one review', async () => {
    const o = await office();
    try {
      const t = await o.core();
      let reviewId: string;
      try {
        await t.call('session.login', LOGIN.staff, 'staff');
        const created = await t.call<{ customer: { id: string } }>('customers.create', sampleCustomer({ email: 'glass@example.com' }), 'staff');
        await t.call('customers.open', { customerId: created.customer.id, purpose: 'break_glass', justification: 'Customer on the phone, urgent delivery problem' }, 'staff');
        reviewId = (await o.db('break_glass_reviews').first<{ id: string }>('id'))!.id;
      } finally {
        await t.cleanup();
      }
      const review = (who: string, decision: string) => o.as(who, [{ senderId: who, channel: 'breakglass.review', input: { reviewId, decision, note: `Reviewed by ${who}` } }]);
      const results = outcomes(await race([review('manager', 'justified'), review('manager2', 'escalated')]));
      assert.deepEqual(codes(results), ['CONFLICT', 'ok']);
      const row = await o.db('break_glass_reviews').where({ id: reviewId }).first<{ status: string; reviewer_id: string }>();
      const winner = results[0]!.ok ? 'manager' : 'manager2';
      assert.equal(row!.status, winner === 'manager' ? 'justified' : 'escalated');
      assert.equal(row!.reviewer_id, o.userId[winner]);
    } finally {
      await o.drop();
    }
  });

  test('first-run setup on two workstations at once: exactly one administrator, the other CONFLICT; the chain verifies', async () => {
    const o = await office({ empty: true });
    try {
      const setup = (who: string, username: string) => ({
        ...o.as(who, [{ senderId: who, channel: 'session.setup', input: { username, displayName: `Admin ${who}`, password: ADMIN.password } }]),
        before: [],
      });
      const results = outcomes(await race([setup('one', ADMIN.username), setup('two', 'other.admin')]));
      assert.deepEqual(codes(results), ['CONFLICT', 'ok']);
      assert.equal(Number((await o.db('users').count<{ n: number }[]>('* as n'))[0]!.n), 1);
      const t = await o.core();
      try {
        const winner = results[0]!.ok ? ADMIN.username : 'other.admin';
        await t.call('session.login', { username: winner, password: ADMIN.password }, 'admin');
        assert.equal((await t.call<{ ok: boolean }>('audit.verify', {}, 'admin')).ok, true);
      } finally {
        await t.cleanup();
      }
    } finally {
      await o.drop();
    }
  });

  test('first open of a new database on two workstations at once: one install id and key check; the other is refused and keeps no key', async () => {
    const root = tempDir('itpc-race-open-');
    const { config, drop } = await raceDatabase(root);
    const db = openDatabase(config);
    try {
      await migrate(db); // as an installer would; both workstations then race to claim the database's key
      const spec = (n: number): RaceSpec => {
        mkdirSync(join(root, `vault-${n}`));
        return { database: config, dataDir: join(root, `child-${n}`), vaultDir: join(root, `vault-${n}`), openOnGo: true };
      };
      const results = (await race([spec(1), spec(2)])).map((r) => r[0] as { opened: boolean; code?: string });
      assert.equal(results.filter((r) => r.opened).length, 1, JSON.stringify(results));
      // Refused either way: its key lost the claim (KEY_MISMATCH), or it read the winner's key check first (KEY_MISSING).
      assert.ok(['KEY_MISMATCH', 'KEY_MISSING'].includes(results.find((r) => !r.opened)!.code!), JSON.stringify(results));
      const meta = await db('meta').whereIn('key', ['install_id', 'key_check']).select('key');
      assert.deepEqual(meta.map((m: { key: string }) => m.key).sort(), ['install_id', 'key_check']);
      const loser = results[0]!.opened ? 2 : 1;
      assert.deepEqual(readdirSync(join(root, `vault-${loser}`)), [], 'the losing workstation keeps no key');
      assert.equal(readdirSync(join(root, `vault-${loser === 1 ? 2 : 1}`)).length, 1);
    } finally {
      await db.destroy();
      await drop();
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('two workstations correcting the same record from the same version: one saved, the other CONFLICT naming the field, nothing lost', async () => {
    const o = await office();
    try {
      const t = await o.core();
      let customerId: string;
      try {
        await t.call('session.login', LOGIN.staff, 'staff');
        customerId = (await t.call<{ customer: { id: string } }>('customers.create', sampleCustomer({ email: 'edit.race@example.com' }), 'staff')).customer.id;
      } finally {
        await t.cleanup();
      }
      const correct = (who: string, city: string) =>
        o.as(who, [{ senderId: who, channel: 'customers.correct', input: { customerId, expectedVersion: 1, changes: { shippingAddress: { city } }, reason: 'Customer moved', source: 'customer_request' } }]);
      const results = outcomes(await race([correct('staff', 'York'), correct('staff2', 'Hull')]));
      assert.deepEqual(codes(results), ['CONFLICT', 'ok']);
      const refused = results.find((r) => !r.ok)!;
      assert.ok(!refused.ok && /changed by someone else/.test(refused.error.message) && /shippingAddress\.city/.test(refused.error.message), !refused.ok ? refused.error.message : '');
      assert.ok(!refused.ok && !/York|Hull|Leeds/.test(refused.error.message), 'no value in the message');
      const corrections = await o.db('customer_corrections').where({ customer_id: customerId }).select('version');
      assert.deepEqual(corrections.map((c: { version: number }) => Number(c.version)), [2]);
      assert.equal(Number((await o.db('customers').where({ id: customerId }).first<{ version: number }>('version'))!.version), 2);
    } finally {
      await o.drop();
    }
  });
});
