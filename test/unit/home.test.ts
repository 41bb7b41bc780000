/**
 * Home (issue #13): `home.work` answers each role with counts it may see and nothing else — never one's own request
 * as “to decide”, what came back since the last “mark as seen”, IT's accounts, jobs and keys, the auditor's chain
 * status — and `tasks.list` scopes jobs to their owner (IT sees all). Counts only: no customer value in any reply.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HomeWorkItem } from '../../main/features/home/home.contract.std.ts';
import { expectError, sampleCustomer, startCustomerCore, type CustomerTestCore, type Who } from '../support/customers.ts';

let t: CustomerTestCore;
const CUSTOMER = { givenName: 'Philomena', familyName: 'Quackenbush', email: 'philomena.q@home.test' };
let customerId = '';
const IMPORT_MAPPING = { givenName: 'given', familyName: 'family', email: 'email', street: 'street', city: 'city', postalCode: 'postcode', country: 'country' };

before(async () => {
  t = await startCustomerCore();
  customerId = (await t.as('staff', 'customers.create', sampleCustomer(CUSTOMER))).customer.id as string;
});
after(() => t.cleanup());

async function work(who: Who): Promise<{ items: HomeWorkItem[]; seenAt: string | null }> {
  return t.as(who, 'home.work', {});
}
const item = (items: readonly HomeWorkItem[], id: string) => items.find((i) => i.id === id);
const countOf = (items: readonly HomeWorkItem[], id: string) => item(items, id)?.count ?? 0;

describe('home.work', () => {
  test('a request waits for another manager, never its own requester, and returns to its requester once decided', async () => {
    const before = await work('manager');
    assert.equal(countOf(before.items, 'approvals.decide.customer.deletion'), 0);
    const filed = await t.as('staff', 'erasure.file', { customerId, reason: 'customer_request', channel: 'email' });
    const staff = await work('staff');
    assert.equal(countOf(staff.items, 'approvals.mine.customer.deletion'), 1);
    assert.ok(!staff.items.some((i) => i.section === 'decide' && i.id.startsWith('approvals.')), 'staff decide nothing');
    assert.equal(countOf((await work('manager')).items, 'approvals.decide.customer.deletion'), 1);
    assert.equal(item((await work('manager')).items, 'approvals.decide.customer.deletion')?.page, 'deletions');

    // A manager's own request is theirs to follow, another manager's to decide.
    const other = (await t.as('staff', 'customers.create', sampleCustomer({ email: 'second.customer@home.test' }))).customer.id as string;
    await t.as('manager', 'erasure.file', { customerId: other, reason: 'no_longer_uses', channel: 'phone' });
    const mine = await work('manager');
    assert.equal(countOf(mine.items, 'approvals.decide.customer.deletion'), 1, 'not the manager’s own');
    assert.equal(countOf(mine.items, 'approvals.mine.customer.deletion'), 1);
    assert.equal(countOf((await work('manager2')).items, 'approvals.decide.customer.deletion'), 2);

    await t.reauth('manager');
    await t.as('manager', 'approvals.decide', { id: filed.request.id, decision: 'deny', reason: 'The customer withdrew the request by phone' });
    const back = await work('staff');
    assert.equal(countOf(back.items, 'approvals.returned.denied.customer.deletion'), 1);
    assert.equal(countOf(back.items, 'approvals.mine.customer.deletion'), 0);
    const seen = await t.as('staff', 'home.markSeen', {});
    const after = await work('staff');
    assert.equal(after.seenAt, seen.seenAt);
    assert.equal(countOf(after.items, 'approvals.returned.denied.customer.deletion'), 0, 'seen: no longer new');
  });

  test('break-glass reviews are counted for managers only', async () => {
    await t.as('staff', 'customers.open', { customerId, purpose: 'break_glass', justification: 'Checking a complaint forwarded by the ombudsman' });
    assert.ok(countOf((await work('manager')).items, 'breakglass.pending') >= 1);
    for (const who of ['staff', 'admin', 'auditor'] as const) assert.equal(item((await work(who)).items, 'breakglass.pending'), undefined, who);
  });

  test('IT sees accounts, jobs and key versions, and no customer counts', async () => {
    for (let i = 0; i < 5; i++) await t.core.handle(t.caller('lockout'), 'session.login', { username: 'sid.staff', password: 'wrong again' });
    const it = await work('admin');
    assert.ok(countOf(it.items, 'accounts.lockedOut') >= 1);
    assert.ok(item(it.items, 'accounts.disabled'));
    assert.ok(item(it.items, 'jobs.running') && item(it.items, 'jobs.failed'));
    const keys = item(it.items, 'keys.versions')!;
    assert.ok(keys.count >= 3);
    assert.match(keys.detail ?? '', /audit v1/);
    assert.equal(keys.page, 'keys');
    if (t.engine === 'sqlite') {
      // No backup yet is a warning leading to the Backups page; one made by hand turns it to the last backup's time.
      assert.equal(item(it.items, 'backups.last')?.tone, 'warning');
      await t.as('admin', 'backup.create', { taskId: crypto.randomUUID() });
      const backedUp = item((await work('admin')).items, 'backups.last')!;
      assert.deepEqual([backedUp.tone, backedUp.count, backedUp.page], ['ok', 0, 'backups']);
      assert.ok(backedUp.at);
    } else {
      assert.equal(item(it.items, 'backups.last'), undefined, 'PostgreSQL is backed up on the server');
    }
    assert.ok(item(it.items, 'approvals.decide.account.role_grant'), 'role grants waiting');
    assert.ok(!it.items.some((i) => i.id.startsWith('requests.') || i.id.startsWith('breakglass.') || i.id === 'approvals.decide.customer.deletion'));
  });

  test('auditors see the chain’s last verification, failed sign-ins and refusals this week — nothing else to decide', async () => {
    const never = await work('auditor');
    await t.core.handle(t.caller('stranger'), 'session.login', { username: 'nobody.at.all', password: 'guess' });
    await t.try('auditor', 'customers.list', { limit: 5 });
    await t.as('auditor', 'audit.verify', {});
    const now = await work('auditor');
    const chain = item(now.items, 'audit.lastVerified')!;
    assert.equal(chain.tone, 'ok');
    assert.match(chain.detail ?? '', /Intact .*Aud Auditor/);
    assert.ok(chain.at);
    assert.ok(countOf(now.items, 'audit.failedSignIns') > countOf(never.items, 'audit.failedSignIns'));
    assert.ok(countOf(now.items, 'audit.deniedCalls') >= 1);
    assert.ok(!now.items.some((i) => i.section === 'decide'), 'auditors decide nothing');
  });

  test('no reply names a customer', async () => {
    for (const who of ['staff', 'manager', 'admin', 'auditor'] as const) {
      const text = JSON.stringify(await work(who));
      for (const value of Object.values(CUSTOMER)) assert.ok(!text.includes(value), `${who}: ${value}`);
    }
  });

  test('malformed payloads and no session are refused', async () => {
    expectError(await t.try('staff', 'home.work', { extra: 1 }), 'INVALID_INPUT');
    expectError(await t.try('staff', 'home.markSeen', null), 'INVALID_INPUT');
    expectError(await t.try('staff', 'tasks.list', { limit: 0 }), 'INVALID_INPUT');
    expectError(await t.try('staff', 'tasks.list', { limit: 5, owner: 'everyone' }), 'INVALID_INPUT');
    expectError(await t.core.handle(t.caller('nobody'), 'home.work', {}), 'NOT_AUTHENTICATED');
  });
});

describe('tasks.list', () => {
  test('lists the caller’s own jobs; IT administrators see every job', async () => {
    await t.as('manager', 'customers.importRun', { taskId: crypto.randomUUID(), csv: 'given,family,email,street,city,postcode,country\nIvo,Import,imported.one@home.test,1 Mill Lane,Leeds,LS1 4AB,GB\n', mapping: IMPORT_MAPPING });
    const manager = await t.as('manager', 'tasks.list', {});
    assert.equal(manager.allJobs, false);
    assert.ok(manager.tasks.some((job: { kind: string; mine: boolean; label: string }) => job.kind === 'customers.import' && job.mine && job.label === 'Customer import'));
    const staff = await t.as('staff', 'tasks.list', {});
    assert.equal(staff.tasks.length, 0, 'someone else’s job is not listed');
    const it = await t.as('admin', 'tasks.list', {});
    assert.equal(it.allJobs, true);
    assert.ok(it.tasks.some((job: { kind: string; mine: boolean }) => job.kind === 'customers.import' && !job.mine));
    assert.ok(!JSON.stringify(it).includes('imported.one@home.test'));
  });
});

describe('polling', () => {
  test('home.work and tasks.list are passive: they never keep an idle session from locking', async () => {
    await t.core.handle(t.caller('poller'), 'session.login', { username: 'max.manager', password: 'correct horse battery staple' });
    t.clock.advance(6 * 60_000);
    assert.equal((await t.core.handle(t.caller('poller'), 'home.work', {})).ok, true);
    assert.equal((await t.core.handle(t.caller('poller'), 'tasks.list', {})).ok, true);
    t.clock.advance(5 * 60_000);
    // 11 minutes since the last real activity (the sign-in): locked, the polls in between did not count.
    expectError(await t.core.handle(t.caller('poller'), 'home.work', {}), 'SESSION_LOCKED');
  });
});
