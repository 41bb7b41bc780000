/**
 * Deletions, legal holds and retention (issue #8) through the real core, on SQLite and on PostgreSQL: an approved
 * deletion leaves no trace of the customer (rows, files, ciphertexts that open), only a tombstone; every refusal
 * changes nothing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ErasurePort } from '../../main/features/erasure/erasure.port.node.ts';
import { CUSTOMER_KEYS } from '../../main/features/customers/customerStore.node.ts';
import { domainWrapper } from '../../main/platform/crypto/dataKeys.node.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { appFiles, plaintextHits } from '../support/plaintextScan.ts';
import { CUSTOMER_TABLES, PASSWORD, expectError, sampleCustomer, sampleOrder, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';
import { ADMIN, tempDir } from '../support/core.ts';

const DAY = 24 * 60 * 60_000;
/** Every table that holds something about a customer, besides CUSTOMER_TABLES. */
const MORE_TABLES = ['customer_keys', 'legal_holds', 'approvals', 'deletion_tombstones', 'deletion_ledger', 'retention_batches', 'retention_batch_items'] as const;

let t: CustomerTestCore;
let port: ErasurePort;
let n = 0;

before(async () => {
  t = await startCustomerCore({ onErasurePort: (p) => void (port = p) });
});
after(() => t.cleanup());

async function allCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = await t.counts();
  for (const table of MORE_TABLES) counts[table] = await t.count(table);
  return counts;
}

/** A customer with an order, a consent change, a correction, a card reveal and a break-glass opening. */
async function richCustomer(pii: { given: string; family: string; email: string; street: string }) {
  const created = await t.as('staff', 'customers.create', {
    ...sampleCustomer({ givenName: pii.given, familyName: pii.family, email: pii.email }),
    shippingAddress: { street: pii.street, city: 'Leeds', postalCode: 'LS1 4AB', country: 'GB' },
    consents: { newsletter: true },
    consentChannel: 'email',
  });
  const id = created.customer.id as string;
  const { order } = await t.as('staff', 'orders.create', sampleOrder(id, { billing: { name: `${pii.given} ${pii.family}`, address: { street: pii.street, city: 'Leeds', postalCode: 'LS1 4AB', country: 'GB' } } }));
  await t.as('staff', 'customers.correct', { customerId: id, changes: { phone: '+44 20 7946 0777' }, reason: `Called from ${pii.street}`, source: 'customer_request' });
  await t.reauth('manager');
  await t.as('manager', 'orders.revealCard', { orderId: order.id, reason: `Chargeback for ${pii.family} at the bank` });
  await t.as('staff', 'customers.open', { customerId: id, purpose: 'break_glass', justification: `Looking into ${pii.family} complaint from the ombudsman` });
  return { id, orderId: order.id as string };
}

function uniquePii() {
  n += 1;
  return { given: `Ottoline${n}x`, family: `Wumplestone${n}q`, email: `ottoline${n}.w@erasure.test`, street: `${n} Quagmire Crescent` };
}

describe('an approved deletion', () => {
  test('leaves no row, no readable ciphertext and no byte of the customer; the tombstone and the audit trail stay', async () => {
    const pii = uniquePii();
    const keep = await t.as('staff', 'customers.create', sampleCustomer({ email: `keep${n}@erasure.test` }));
    const { id, orderId } = await richCustomer(pii);
    const side = t.openDb();
    try {
      const deks = [
        ...(await side('customers').where({ id }).select('id', 'dek')).map((r) => ({ table: 'customers', rowId: r.id as string, dek: r.dek as Buffer })),
        ...(await side('orders').where({ customer_id: id }).select('id', 'dek')).map((r) => ({ table: 'orders', rowId: `${id}/${r.id}`, dek: r.dek as Buffer })),
        ...(await side('card_reveals').where({ customer_id: id }).select('id', 'dek')).map((r) => ({ table: 'card_reveals', rowId: r.id as string, dek: r.dek as Buffer })),
        ...(await side('break_glass_reviews').where({ customer_id: id }).select('id', 'dek')).map((r) => ({ table: 'break_glass_reviews', rowId: r.id as string, dek: r.dek as Buffer })),
      ];
      assert.equal(deks.length, 4);

      const filed = await t.as('staff', 'erasure.file', { customerId: id, reason: 'customer_request', channel: 'email', note: `Asked by letter from ${pii.street}` });
      const approvalId = filed.request.id as string;
      assert.equal(filed.request.status, 'pending');
      const approvalDek = (await side('approvals').where({ id: approvalId }).first()).dek as Buffer;
      const mine = await t.as('staff', 'erasure.requests', {});
      assert.equal(mine.requests.find((r: { id: string }) => r.id === approvalId).note, `Asked by letter from ${pii.street}`);

      await t.reauth('manager');
      const decided = await t.as('manager', 'erasure.decide', { id: approvalId, decision: 'approve' });
      assert.deepEqual(decided, { id: approvalId, kind: 'customer.deletion', status: 'approved' });
      await port.reclaimed();

      for (const table of CUSTOMER_TABLES) {
        const column = table === 'customers' ? 'id' : ['order_items', 'licence_resends'].includes(table) ? 'order_id' : 'customer_id';
        const value = column === 'order_id' ? orderId : id;
        assert.equal((await side(table).where({ [column]: value }).select()).length, 0, `${table} still holds a row`);
      }
      assert.equal(await side('customer_keys').where({ customer_id: id }).first(), undefined, 'the key is destroyed');
      const tomb = await side('deletion_tombstones').where({ id }).first();
      assert.equal(tomb.reason, 'customer_request');
      assert.equal(tomb.channel, 'email');
      assert.equal(tomb.requester_id, t.userId.staff);
      assert.equal(tomb.approver_id, t.userId.manager);
      assert.equal(tomb.approval_id, approvalId);
      assert.ok(await side('deletion_ledger').where({ customer_id: id }).first());
      const approvalRow = await side('approvals').where({ id: approvalId }).first();
      assert.equal(approvalRow.status, 'approved', 'the decision stays as evidence');
      assert.equal(approvalRow.request_reason.length, 0, 'its sealed reason is gone');

      // Nothing sealed about the customer opens with any key the store still holds.
      const ring = await unlockKeyRing(side, t.vault, new Date().toISOString());
      const keys = new SubjectKeys(() => ring, CUSTOMER_KEYS);
      const remaining = await side('customer_keys').select<{ customer_id: string }[]>('customer_id');
      const wrappers = [domainWrapper(ring), ...(await keys.wrappersFor(side, remaining.map((r) => r.customer_id))).values()];
      assert.ok(wrappers.length >= 2);
      for (const wrapper of wrappers) {
        for (const row of [...deks, { table: 'approvals', rowId: approvalId, dek: approvalDek }]) assert.throws(() => wrapper.unwrap(row.dek, row.table, row.rowId), `${row.table} opened`);
      }

      // Gone from search and list; the other customer is still there.
      assert.equal((await t.as('staff', 'customers.search', { by: 'email', value: pii.email })).rows.length, 0);
      assert.equal((await t.as('staff', 'customers.search', { by: 'familyName', value: pii.family })).rows.length, 0);
      const list = await t.as('staff', 'customers.list', { limit: 200 });
      assert.equal(list.rows.some((r: { id: string }) => r.id === id), false);
      assert.equal(list.rows.some((r: { id: string }) => r.id === keep.customer.id), true);
      expectError(await t.try('staff', 'customers.open', { customerId: id, purpose: 'customer_support' }), 'NOT_FOUND');
      expectError(await t.try('staff', 'orders.create', sampleOrder(id)), 'NOT_FOUND');

      // The requester sees the outcome; the auditor sees the tombstone.
      const outcome = (await t.as('staff', 'erasure.request', { id: approvalId })).request;
      assert.equal(outcome.status, 'approved');
      assert.equal(outcome.deleted, true);
      assert.equal(outcome.customerLabel, null);
      assert.match(outcome.note, /erased/);
      const register = await t.as('auditor', 'erasure.tombstones', {});
      const seen = register.tombstones.find((r: { id: string }) => r.id === id);
      assert.equal(seen.reason, 'customer_request');
      assert.equal(seen.requesterName, 'Sam Staff');
      assert.equal(seen.approverName, 'Mia Manager');

      // Audit: ids only, and the chain still verifies.
      const events = await t.as('admin', 'audit.list', { action: 'customer.deleted', limit: 5 });
      assert.equal(events.events[0].details.customerId, id);
      assert.equal((await t.as('admin', 'audit.verify', {})).ok, true);

      // The files: no byte of the customer in the database file, its WAL (SQLite) or a pg_dump (PostgreSQL).
      const values = [pii.given, pii.family, pii.email, pii.street, `Asked by letter from ${pii.street}`];
      if (t.engine === 'sqlite') {
        assert.deepEqual(plaintextHits(appFiles(t.dataDir), values), []);
        assert.ok(plaintextHits(appFiles(t.dataDir), [id]).length > 0, 'control: the tombstone id is found');
      } else if (t.database.client === 'pg' && typeof t.database.connection === 'string') {
        const dumpDir = tempDir('itpc-erasure-dump-');
        try {
          execFileSync(process.env.PG_DUMP ?? 'pg_dump', ['--no-owner', '--file', join(dumpDir, 'dump.sql'), '--dbname', t.database.connection]);
          const dump = readFileSync(join(dumpDir, 'dump.sql'), 'utf8');
          for (const value of values) assert.equal(dump.includes(value) || dump.includes(Buffer.from(value).toString('hex')), false, value);
          assert.ok(dump.includes(id), 'control: the tombstone id is in the dump');
        } finally {
          rmSync(dumpDir, { recursive: true, force: true });
        }
      }
    } finally {
      await side.destroy();
    }
  });
});

describe('refusals change nothing', () => {
  test('wrong role, malformed payload, self-approval, a denial without reason, a second decision, deleting twice', async () => {
    const { id } = await t.as('staff', 'customers.create', sampleCustomer({ email: `refuse${(n += 1)}@erasure.test` })).then((r) => r.customer);
    let counts = await allCounts();
    expectError(await t.try('auditor', 'erasure.file', { customerId: id, reason: 'customer_request', channel: 'email' }), 'FORBIDDEN');
    expectError(await t.try('admin', 'erasure.file', { customerId: id, reason: 'customer_request', channel: 'email' }), 'FORBIDDEN');
    expectError(await t.try('staff', 'erasure.file', { customerId: id, reason: 'other', channel: 'email' }), 'INVALID_INPUT');
    expectError(await t.try('staff', 'erasure.file', { customerId: id, reason: 'forgot', channel: 'email' }), 'INVALID_INPUT');
    expectError(await t.try('staff', 'erasure.file', { customerId: id, reason: 'minor', channel: 'pigeon' }), 'INVALID_INPUT');
    expectError(await t.try('staff', 'erasure.file', { customerId: 'not-an-id', reason: 'minor', channel: 'email' }), 'INVALID_INPUT');
    expectError(await t.try('staff', 'erasure.file', { customerId: '00000000-0000-4000-8000-000000000000', reason: 'minor', channel: 'email' }), 'NOT_FOUND');
    assert.deepEqual(await allCounts(), counts);

    const mineAsManager = await t.as('manager', 'erasure.file', { customerId: id, reason: 'no_longer_uses', channel: 'phone' });
    counts = await allCounts();
    expectError(await t.try('manager', 'erasure.file', { customerId: id, reason: 'no_longer_uses', channel: 'phone' }), 'CONFLICT');
    await t.reauth('manager');
    const self = expectError(await t.try('manager', 'erasure.decide', { id: mineAsManager.request.id, decision: 'approve' }), 'FORBIDDEN');
    assert.match(self, /own request/);
    expectError(await t.try('staff', 'erasure.decide', { id: mineAsManager.request.id, decision: 'approve' }), 'FORBIDDEN');
    t.clock.advance(6 * 60_000); // past the re-entry window sign-in gives (the idle lock is 10 minutes)
    expectError(await t.try('manager2', 'erasure.decide', { id: mineAsManager.request.id, decision: 'approve' }), 'REAUTH_REQUIRED');
    await t.reauth('manager2');
    expectError(await t.try('manager2', 'erasure.decide', { id: mineAsManager.request.id, decision: 'deny' }), 'INVALID_INPUT');
    expectError(await t.try('manager2', 'erasure.decide', { id: mineAsManager.request.id, decision: 'approve', extra: 1 }), 'INVALID_INPUT');
    assert.deepEqual(await allCounts(), counts);

    await t.as('manager2', 'erasure.decide', { id: mineAsManager.request.id, decision: 'approve' });
    counts = await allCounts();
    assert.match(expectError(await t.try('manager2', 'erasure.decide', { id: mineAsManager.request.id, decision: 'approve' }), 'CONFLICT'), /already approved/);
    assert.match(expectError(await t.try('staff', 'erasure.file', { customerId: id, reason: 'customer_request', channel: 'email' }), 'CONFLICT'), /already deleted/);
    assert.deepEqual(await allCounts(), counts);
  });

  test('a denial keeps the customer and tells the requester why', async () => {
    const { id } = (await t.as('staff', 'customers.create', sampleCustomer({ email: `deny${(n += 1)}@erasure.test` }))).customer;
    const filed = await t.as('staff', 'erasure.file', { customerId: id, reason: 'customer_request', channel: 'letter' });
    await t.reauth('manager');
    await t.as('manager', 'erasure.decide', { id: filed.request.id, decision: 'deny', reason: 'The signature on the letter does not match' });
    const seen = (await t.as('staff', 'erasure.request', { id: filed.request.id })).request;
    assert.equal(seen.status, 'denied');
    assert.equal(seen.decisionReason, 'The signature on the letter does not match');
    assert.equal(seen.deleted, false);
    assert.equal((await t.as('staff', 'customers.open', { customerId: id, purpose: 'customer_support' })).id, id);
    // Staff see their own requests only; another staff member cannot open this one.
    expectError(await t.try('staff2', 'erasure.request', { id: filed.request.id }), 'NOT_FOUND');
    assert.equal((await t.as('staff2', 'erasure.requests', {})).requests.some((r: { id: string }) => r.id === filed.request.id), false);
  });
});

describe('legal holds', () => {
  test('a held customer cannot be deleted: filing and approval both say why; releasing lets the deletion through', async () => {
    const { id } = (await t.as('staff', 'customers.create', sampleCustomer({ email: `hold${(n += 1)}@erasure.test` }))).customer;
    const filed = await t.as('staff', 'erasure.file', { customerId: id, reason: 'customer_request', channel: 'email' });
    const { hold } = await t.as('manager', 'erasure.placeHold', { customerId: id, reason: 'Court order in the Snodgrass matter', reference: 'HC-2026-0042' });
    assert.equal(hold.active, true);
    const counts = await allCounts();
    await t.reauth('manager2');
    assert.match(expectError(await t.try('manager2', 'erasure.decide', { id: filed.request.id, decision: 'approve' }), 'CONFLICT'), /legal hold/);
    assert.equal((await t.as('staff', 'erasure.request', { id: filed.request.id })).request.status, 'pending');
    assert.match(expectError(await t.try('staff2', 'erasure.file', { customerId: id, reason: 'no_longer_uses', channel: 'email' }), 'CONFLICT'), /legal hold/);
    assert.deepEqual(await allCounts(), counts);
    const listed = await t.as('manager', 'erasure.holds', {});
    const mine = listed.holds.find((h: { id: string }) => h.id === hold.id);
    assert.equal(mine.reference, 'HC-2026-0042');
    assert.equal(mine.customerLabel, 'Jane D.');
    const side = t.openDb();
    try {
      const stored = JSON.stringify(await side('legal_holds').where({ id: hold.id }).first());
      assert.equal(stored.includes('Snodgrass'), false, 'the reason is sealed');
    } finally {
      await side.destroy();
    }

    const released = await t.as('manager', 'erasure.releaseHold', { id: hold.id, note: 'The court order was lifted today' });
    assert.equal(released.hold.active, false);
    assert.equal(released.hold.releaseNote, 'The court order was lifted today');
    expectError(await t.try('manager', 'erasure.releaseHold', { id: hold.id }), 'CONFLICT');
    await t.as('manager2', 'erasure.decide', { id: filed.request.id, decision: 'approve' });
    assert.equal(await t.count('legal_holds') < counts.legal_holds!, true, 'the released hold went with the customer');
    const audit = await t.as('admin', 'audit.list', { action: 'hold.placed', limit: 1 });
    assert.deepEqual(Object.keys(audit.events[0].details).sort(), ['customerId', 'endsOn', 'holdId']);
  });

  test('an end date in the past is refused; a hold ending today still holds', async () => {
    const { id } = (await t.as('staff', 'customers.create', sampleCustomer({ email: `ends${(n += 1)}@erasure.test` }))).customer;
    expectError(await t.try('manager', 'erasure.placeHold', { customerId: id, reason: 'Court order for the test', reference: 'X-1', endsOn: '2001-01-01' }), 'INVALID_INPUT');
    const today = new Date(t.clock.now()).toISOString().slice(0, 10);
    await t.as('manager', 'erasure.placeHold', { customerId: id, reason: 'Court order for the test', reference: 'X-2', endsOn: today });
    expectError(await t.try('staff', 'erasure.file', { customerId: id, reason: 'customer_request', channel: 'email' }), 'CONFLICT');
  });
});

describe('retention', () => {
  test('closed customers past the period are proposed, skipped with a reason when held or with an open request, and deleted by the approved batch job', async () => {
    const make = async () => (await t.as('staff', 'customers.create', sampleCustomer({ email: `ret${(n += 1)}@erasure.test` }))).customer.id as string;
    const due = [await make(), await make(), await make()];
    const held = await make();
    const requested = await make();
    const recent = await make();
    const active = await make();
    for (const id of [...due, held, requested]) await t.as('staff', 'customers.setStatus', { customerId: id, status: 'closed' });
    await t.as('manager', 'erasure.placeHold', { customerId: held, reason: 'Litigation hold for the test', reference: 'LH-7' });
    t.clock.advance(91 * DAY);
    for (const who of ['staff', 'manager', 'manager2', 'admin'] as const) await t.as(who, 'session.unlock', { password: who === 'admin' ? ADMIN.password : PASSWORD });
    await t.as('staff', 'erasure.file', { customerId: requested, reason: 'customer_request', channel: 'email' });
    await t.as('staff', 'customers.setStatus', { customerId: recent, status: 'closed' });

    const review = await t.as('manager', 'erasure.retention', {});
    assert.equal(review.retentionDays, 90);
    const byId = new Map(review.candidates.map((c: { customerId: string }) => [c.customerId, c]));
    for (const id of due) assert.equal((byId.get(id) as { skip: null }).skip, null);
    assert.equal((byId.get(held) as { skip: string }).skip, 'hold');
    assert.equal((byId.get(requested) as { skip: string }).skip, 'open_request');
    assert.equal(byId.has(recent), false, 'closed today');
    assert.equal(byId.has(active), false, 'never closed');

    const { batch } = await t.as('manager', 'erasure.proposeRetention', {});
    assert.ok(batch.itemCount >= 3);
    expectError(await t.try('manager', 'erasure.proposeRetention', {}), 'CONFLICT');
    await t.reauth('manager');
    expectError(await t.try('manager', 'erasure.decide', { id: batch.approvalId, decision: 'approve' }), 'FORBIDDEN');
    // A hold placed after the proposal is still honoured by the job.
    await t.as('manager', 'erasure.placeHold', { customerId: due[2]!, reason: 'A late litigation hold for the test', reference: 'LH-8' });
    await t.reauth('manager2');
    await t.as('manager2', 'erasure.decide', { id: batch.approvalId, decision: 'approve' });

    let done: { finishedAt: string | null; outcomes: Record<string, number>; job: { state: string } | null } | undefined;
    for (let i = 0; i < 200 && !done?.finishedAt; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      done = (await t.as('manager', 'erasure.retention', {})).batches.find((b: { id: string }) => b.id === batch.id);
    }
    assert.ok(done?.finishedAt, 'the job finished');
    assert.equal(done.job?.state, 'succeeded');
    assert.equal(done.outcomes.skipped_hold, 1);
    assert.equal(done.outcomes.deleted, batch.itemCount - 1);
    const side = t.openDb();
    try {
      for (const id of due.slice(0, 2)) {
        assert.equal(await side('customers').where({ id }).first(), undefined);
        assert.equal((await side('deletion_tombstones').where({ id }).first()).reason, 'retention');
      }
      for (const id of [due[2]!, held, requested, recent, active]) assert.ok(await side('customers').where({ id }).first(), 'kept');
    } finally {
      await side.destroy();
    }
    assert.equal((await t.as('admin', 'audit.verify', {})).ok, true);
  });
});

describe('the deletion ledger', () => {
  test('re-applied to a database still holding a deleted customer deletes it again, once', async () => {
    const ids = [(await t.as('staff', 'customers.create', sampleCustomer({ email: `ledger${(n += 1)}@erasure.test` }))).customer.id as string];
    const side = t.openDb();
    try {
      const ledger = await port.deletionLedger(side);
      assert.ok(ledger.length > 0);
      assert.ok(ledger.every((e) => Object.keys(e).sort().join() === 'customerId,deletedAt'));
      // As if a restore brought this customer back: its id is in the ledger of the newer database.
      const entries = [...ledger, { customerId: ids[0]!, deletedAt: new Date(t.clock.now()).toISOString() }];
      assert.deepEqual(await port.reapplyDeletionLedger(side, entries), { deleted: 1 });
      assert.equal(await side('customers').where({ id: ids[0] }).first(), undefined);
      assert.equal((await side('deletion_tombstones').where({ id: ids[0] }).first()).reason, 'restore');
      assert.deepEqual(await port.reapplyDeletionLedger(side, entries), { deleted: 0 }, 'idempotent');
    } finally {
      await side.destroy();
    }
    assert.equal((await t.as('admin', 'audit.verify', {})).ok, true);
  });
});

