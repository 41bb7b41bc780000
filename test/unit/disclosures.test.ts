import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Decrypter } from 'age-encryption';
import Papa from 'papaparse';
import { CHANNEL_NAMES } from '../../main/api.std.ts';
import { quarantineCustomer } from '../../main/features/customers/customers.port.node.ts';
import { disclosuresChannels } from '../../main/features/disclosures/disclosures.contract.std.ts';
import { DISCLOSABLE_FIELDS, DISCLOSURE_KINDS, RECIPIENT_KINDS } from '../../main/features/disclosures/disclosureRules.std.ts';
import { directoryFileSaver } from '../support/fileSavers.ts';
import { StartupError } from '../../main/platform/startupError.std.ts';
import type { Db } from '../../main/platform/store/database.node.ts';
import { startCore, tempDir } from '../support/core.ts';
import { expectError, sampleCustomer, startCustomerCore, type CustomerTestCore, type Who } from '../support/customers.ts';
import { dropAppendOnlyTriggers, openTestDb } from '../support/database.ts';
import { appFiles, plaintextHits } from '../support/plaintextScan.ts';

/** Release files and register exports land here (the test's "save dialog"). */
const saved = tempDir('itpc-disclosures-saved-');
let t: CustomerTestCore;
let db: Db;
const progress: { taskId: string; done: number; total: number }[] = [];

type Recipient = { id: string; version: number; allowedFields: string[] };
let shipping: Recipient;
let partner: Recipient;
let court: Recipient;
let seq = 0;

async function newCustomer(overrides: Record<string, unknown> = {}): Promise<string> {
  seq += 1;
  const { customer } = await t.as('staff', 'customers.create', sampleCustomer({ email: `c${seq}.${randomUUID().slice(0, 6)}@example.com`, ...overrides }));
  return customer.id as string;
}

async function recipient(kind: string, name: string, allowedFields: string[], reason?: string): Promise<Recipient> {
  const { recipient: r } = await t.as('manager', 'disclosures.recipients.save', { name, kind, allowedFields, ...(reason ? { reason } : {}) });
  return r as Recipient;
}

interface FiledRequest {
  id: string;
  approvalId: string;
  status: string;
}

async function file(input: Record<string, unknown>, who: Who = 'staff'): Promise<FiledRequest> {
  const { request } = await t.as(who, 'disclosures.requests.create', { purpose: 'Ship order 1042 to the customer', ...input });
  return request as FiledRequest;
}

async function approve(request: FiledRequest, who: Who = 'manager2') {
  await t.reauth(who);
  return t.try(who, 'approvals.decide', { id: request.approvalId, decision: 'approve' });
}

async function release(request: FiledRequest, opts: { format?: 'csv' | 'json'; encrypt?: boolean; who?: Who } = {}) {
  const who = opts.who ?? 'manager';
  await t.reauth(who);
  return t.try(who, 'disclosures.release', { taskId: randomUUID(), requestId: request.id, format: opts.format ?? 'csv', encrypt: opts.encrypt ?? false });
}

/** Moves the clock past the re-auth window (5 min), keeping every window active so none idles into a lock. */
async function pastReauthWindow(): Promise<void> {
  t.clock.advance(6 * 60_000);
  for (const who of ['staff', 'staff2', 'manager', 'manager2', 'auditor', 'admin'] as const) await t.as(who, 'session.activity', {});
}

const registerCount = () => t.count('disclosure_register');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

before(async () => {
  t = await startCustomerCore({ fileSaver: directoryFileSaver(saved), releaseBatch: 2 });
  db = t.openDb();
  t.core.onEvent((_sender, event, payload) => {
    if (event === 'progress') progress.push(payload as (typeof progress)[number]);
  });
  shipping = await recipient('shipping', 'Northern Parcels Ltd', ['name', 'shippingAddress']);
  partner = await recipient('consented_third_party', 'Loyalty Partner GmbH', ['name', 'email']);
  court = await recipient('legal_authority', 'Leeds County Court', ['name', 'shippingAddress', 'email', 'phone', 'dateOfBirth']);
});
after(async () => {
  await db.destroy();
  await t.cleanup();
  rmSync(saved, { recursive: true, force: true });
});

describe('what can be disclosed at all', () => {
  test('there is no sale kind anywhere: the kinds are a closed enum and "sale" is refused as input', async () => {
    assert.deepEqual([...DISCLOSURE_KINDS], ['ecommerce_chain', 'consented_third_party', 'legal']);
    for (const list of [DISCLOSURE_KINDS, RECIPIENT_KINDS, DISCLOSABLE_FIELDS] as readonly (readonly string[])[]) {
      assert.equal(list.some((v) => /sale|sell/i.test(v)), false);
    }
    const customerId = await newCustomer();
    const before = await t.count('disclosure_requests');
    for (const kind of ['sale', 'sell', 'data_sale']) {
      expectError(await t.try('staff', 'disclosures.requests.create', { customerIds: [customerId], recipientId: shipping.id, kind, fields: ['name'], purpose: 'Sell the customer list' }), 'INVALID_INPUT');
    }
    assert.equal(await t.count('disclosure_requests'), before);
  });

  test('card fields are not disclosable to anyone; a shipping company never gets a date of birth, even widened', async () => {
    expectError(await t.try('manager', 'disclosures.recipients.save', { name: 'Card Co', kind: 'legal_authority', allowedFields: ['name', 'cardNumber'] }), 'INVALID_INPUT');
    const message = expectError(
      await t.try('manager', 'disclosures.recipients.save', { name: 'Fast Couriers', kind: 'shipping', allowedFields: ['name', 'shippingAddress', 'dateOfBirth'], reason: 'The courier asked for it' }),
      'INVALID_INPUT',
    );
    assert.match(message, /never receive dateOfBirth/);
  });
});

describe('recipients are versioned; widening needs a manager and a recorded reason', () => {
  test('widening a shipping company to email without a reason is refused; with one it is a new version', async () => {
    const r = await recipient('shipping', 'Widened Couriers', ['name', 'shippingAddress']);
    expectError(await t.try('manager', 'disclosures.recipients.save', { id: r.id, name: 'Widened Couriers', kind: 'shipping', allowedFields: ['name', 'shippingAddress', 'email'] }), 'INVALID_INPUT');
    expectError(await t.try('staff', 'disclosures.recipients.save', { id: r.id, name: 'Widened Couriers', kind: 'shipping', allowedFields: ['name'] }), 'FORBIDDEN');
    const { recipient: v2 } = await t.as('manager', 'disclosures.recipients.save', {
      id: r.id,
      name: 'Widened Couriers',
      kind: 'shipping',
      allowedFields: ['name', 'shippingAddress', 'email'],
      reason: 'Courier sends delivery notifications by email (contract 7.2)',
    });
    assert.equal(v2.version, 2);
    assert.deepEqual(v2.widenedFields, ['email']);
    const { versions } = await t.as('staff', 'disclosures.recipients.versions', { recipientId: r.id });
    assert.deepEqual(versions.map((v: { version: number }) => v.version), [2, 1]);
    assert.equal(versions[0].reason, 'Courier sends delivery notifications by email (contract 7.2)');
    assert.equal(versions[0].changedByName, 'Mia Manager');
    assert.equal(versions[1].reason, null);
    // The reason is sealed, and not in the audit trail.
    const raw = await db('disclosure_recipient_versions').where({ recipient_id: r.id, version: 2 }).first();
    assert.equal(Buffer.from(raw.reason).includes(Buffer.from('contract 7.2')), false);
    const audit = await db('audit_events').where({ action: 'disclosure.recipient_saved' }).select('details');
    assert.equal(audit.some((e: { details: string }) => e.details.includes('contract 7.2')), false);
  });
});

describe('shipping: name and address, nothing else', () => {
  test('a shipping release holds only name and address columns, with the hash the register records', async () => {
    const a = await newCustomer();
    const b = await newCustomer({ givenName: 'Omar', familyName: 'Haddad', phone: undefined, dateOfBirth: undefined });
    const request = await file({ customerIds: [a, b], recipientId: shipping.id, kind: 'ecommerce_chain', fields: ['name', 'shippingAddress'] });
    assert.equal(request.status, 'pending');
    assert.equal((await approve(request)).ok, true);
    const released = await release(request);
    assert.ok(released.ok, JSON.stringify(released));
    const { fileName, fileSha256, rows, passphrase, entryId } = released.value;
    assert.equal(rows, 2);
    assert.equal(passphrase, null);
    const bytes = readFileSync(join(saved, fileName));
    assert.equal(sha256(bytes), fileSha256);
    const parsed = Papa.parse<string[]>(bytes.toString('utf8').trim());
    assert.deepEqual(parsed.data[0], ['givenName', 'familyName', 'organisationName', 'street', 'city', 'region', 'postalCode', 'country']);
    assert.equal(parsed.data.length, 3);
    const text = bytes.toString('utf8');
    for (const absent of ['@example.com', '7946', '1980-05-17', '4111']) assert.equal(text.includes(absent), false, `${absent} must not be in a shipping file`);
    assert.ok(text.includes('Omar'));
    const { entries } = await t.as('auditor', 'disclosures.register.list', { filter: { recipientId: shipping.id } });
    const entry = entries.find((e: { id: string }) => e.id === entryId);
    assert.equal(entry.fileSha256, fileSha256);
    assert.equal(entry.requestedByName, 'Sam Staff');
    assert.equal(entry.approvedByName, 'Max Manager');
    assert.equal(entry.recordedByName, 'Mia Manager');
    assert.equal(entry.recipientName, 'Northern Parcels Ltd');
    assert.equal(entry.recipientVersion, 1);
    assert.deepEqual(entry.fields, ['name', 'shippingAddress']);
    assert.deepEqual([...entry.customerIds].sort(), [a, b].sort());
    // Large releases run as a job in batches (2 customers per batch here) with progress.
    assert.ok(progress.length >= 2, `progress events: ${progress.length}`);
    // Released once: a second release is refused and writes nothing.
    const before = readdirSync(saved).length;
    expectError(await release(request), 'CONFLICT');
    assert.equal(readdirSync(saved).length, before);
  });

  test('asking a shipping company for email, a date of birth or a card field is refused at request', async () => {
    const customerId = await newCustomer();
    const before = { requests: await t.count('disclosure_requests'), approvals: await t.count('approvals') };
    for (const fields of [['name', 'email'], ['name', 'dateOfBirth']]) {
      const message = expectError(await t.try('staff', 'disclosures.requests.create', { customerIds: [customerId], recipientId: shipping.id, kind: 'ecommerce_chain', fields, purpose: 'Ship the order' }), 'INVALID_INPUT');
      assert.match(message, /not in this recipient's allowed set/);
    }
    for (const fields of [['name', 'cardNumber'], ['cardExpiry']]) {
      expectError(await t.try('staff', 'disclosures.requests.create', { customerIds: [customerId], recipientId: shipping.id, kind: 'ecommerce_chain', fields, purpose: 'Ship the order' }), 'INVALID_INPUT');
    }
    assert.deepEqual({ requests: await t.count('disclosure_requests'), approvals: await t.count('approvals') }, before);
  });

  test('…and at approval and at release, when the stored request was changed to ask for them', async () => {
    for (const extra of ['email', 'dateOfBirth', 'cardNumber']) {
      const customerId = await newCustomer();
      // At approval: the request row no longer matches what the approval was asked about.
      const atApproval = await file({ customerIds: [customerId], recipientId: shipping.id, kind: 'ecommerce_chain', fields: ['name', 'shippingAddress'] });
      await db('disclosure_requests').where({ id: atApproval.id }).update({ fields: JSON.stringify(['name', 'shippingAddress', extra]) });
      expectError(await approve(atApproval), 'CONFLICT');
      assert.equal((await db('approvals').where({ id: atApproval.approvalId }).first()).status, 'pending');
      // At release: approved as asked, then changed.
      const atRelease = await file({ customerIds: [customerId], recipientId: shipping.id, kind: 'ecommerce_chain', fields: ['name', 'shippingAddress'] });
      assert.equal((await approve(atRelease)).ok, true);
      await db('disclosure_requests').where({ id: atRelease.id }).update({ fields: JSON.stringify(['name', 'shippingAddress', extra]) });
      const files = readdirSync(saved).length;
      const entries = await registerCount();
      const message = expectError(await release(atRelease), 'INVALID_INPUT');
      assert.match(message, /Nothing was released/);
      assert.equal(readdirSync(saved).length, files);
      assert.equal(await registerCount(), entries);
    }
  });
});

describe('consented third parties', () => {
  test('refused when consent is absent; refused when withdrawn between approval and release', async () => {
    const customerId = await newCustomer();
    const input = { customerIds: [customerId], recipientId: partner.id, kind: 'consented_third_party', fields: ['name', 'email'], purpose: 'Loyalty programme enrolment the customer asked for' };
    const message = expectError(await t.try('staff', 'disclosures.requests.create', input), 'CONFLICT');
    assert.match(message, /1 of the customers have not consented/);
    await t.as('staff', 'customers.setConsent', { customerId, purpose: 'thirdPartySharing', granted: true, channel: 'web_form' });
    const request = await file(input);
    assert.equal((await approve(request)).ok, true);
    await t.as('staff', 'customers.setConsent', { customerId, purpose: 'thirdPartySharing', granted: false, channel: 'email' });
    const files = readdirSync(saved).length;
    const entries = await registerCount();
    expectError(await release(request), 'CONFLICT');
    assert.equal(readdirSync(saved).length, files, 'no file left behind');
    assert.equal(await registerCount(), entries, 'nothing registered');
    // The failed release gave its claim back: with consent given again it can be released.
    assert.equal((await db('disclosure_requests').where({ id: request.id }).first()).release_state, 'none');
    await t.as('staff', 'customers.setConsent', { customerId, purpose: 'thirdPartySharing', granted: true, channel: 'phone' });
    const released = await release(request, { format: 'json' });
    assert.ok(released.ok, JSON.stringify(released));
    const rows = JSON.parse(readFileSync(join(saved, released.value.fileName), 'utf8'));
    assert.deepEqual(Object.keys(rows[0]), ['givenName', 'familyName', 'organisationName', 'email']);
  });

  test('consent withdrawn between request and approval: the approval is refused and stays pending', async () => {
    const customerId = await newCustomer();
    await t.as('staff', 'customers.setConsent', { customerId, purpose: 'thirdPartySharing', granted: true, channel: 'web_form' });
    const request = await file({ customerIds: [customerId], recipientId: partner.id, kind: 'consented_third_party', fields: ['name'], purpose: 'Partner offer the customer opted into' });
    await t.as('staff', 'customers.setConsent', { customerId, purpose: 'thirdPartySharing', granted: false, channel: 'email' });
    expectError(await approve(request), 'CONFLICT');
    assert.equal((await db('approvals').where({ id: request.approvalId }).first()).status, 'pending');
  });
});

describe('four eyes', () => {
  test('self-approval, approval without re-auth, denial without reason, a second decision: refused, nothing changed', async () => {
    const customerId = await newCustomer();
    const request = await file({ customerIds: [customerId], recipientId: shipping.id, kind: 'ecommerce_chain', fields: ['name', 'shippingAddress'] }, 'manager');
    const snapshot = async () => ({ approval: { ...(await db('approvals').where({ id: request.approvalId }).first()) }, register: await registerCount() });
    const start = await snapshot();
    expectError(await approve(request, 'manager'), 'FORBIDDEN');
    assert.deepEqual(await snapshot(), start);
    // manager2 has not re-entered a password in this test's window: the clock moves past the re-auth window.
    await pastReauthWindow();
    expectError(await t.try('manager2', 'approvals.decide', { id: request.approvalId, decision: 'approve' }), 'REAUTH_REQUIRED');
    assert.deepEqual(await snapshot(), start);
    await t.reauth('manager2');
    expectError(await t.try('manager2', 'approvals.decide', { id: request.approvalId, decision: 'deny' }), 'INVALID_INPUT');
    assert.deepEqual(await snapshot(), start);
    expectError(await t.try('staff', 'approvals.decide', { id: request.approvalId, decision: 'approve' }), 'FORBIDDEN');
    assert.deepEqual(await snapshot(), start);
    assert.equal((await approve(request)).ok, true);
    const decided = await snapshot();
    await t.reauth('manager2');
    expectError(await t.try('manager2', 'approvals.decide', { id: request.approvalId, decision: 'deny', reason: 'Changed my mind about this one' }), 'CONFLICT');
    assert.deepEqual(await snapshot(), decided);
    // Staff cannot release; a denied request cannot be released.
    expectError(await t.try('staff', 'disclosures.release', { taskId: randomUUID(), requestId: request.id, format: 'csv', encrypt: false }), 'FORBIDDEN');
    const denied = await file({ customerIds: [customerId], recipientId: shipping.id, kind: 'ecommerce_chain', fields: ['name'] });
    await t.reauth('manager');
    await t.as('manager', 'approvals.decide', { id: denied.approvalId, decision: 'deny', reason: 'Not needed: the order was collected' });
    assert.match(expectError(await release(denied), 'CONFLICT'), /denied/);
    // The requester may withdraw a pending request; it cannot be approved or released afterwards.
    const withdrawn = await file({ customerIds: [customerId], recipientId: shipping.id, kind: 'ecommerce_chain', fields: ['name'] });
    await t.as('staff', 'approvals.withdraw', { id: withdrawn.approvalId });
    expectError(await approve(withdrawn), 'CONFLICT');
    const { mine } = await t.as('staff', 'disclosures.requests.list', {});
    assert.equal(mine.find((r: { id: string }) => r.id === denied.id).status, 'denied');
    assert.equal(mine.find((r: { id: string }) => r.id === withdrawn.id).status, 'withdrawn');
  });

  test('release needs a fresh password entry', async () => {
    const customerId = await newCustomer();
    const request = await file({ customerIds: [customerId], recipientId: shipping.id, kind: 'ecommerce_chain', fields: ['name'] });
    assert.equal((await approve(request)).ok, true);
    await pastReauthWindow();
    expectError(await t.try('manager', 'disclosures.release', { taskId: randomUUID(), requestId: request.id, format: 'csv', encrypt: false }), 'REAUTH_REQUIRED');
  });
});

describe('quarantined and deleted customers', () => {
  test('a customer quarantined after approval is refused at release; an erased one at approval', async () => {
    const minor = await newCustomer();
    const request = await file({ customerIds: [minor], recipientId: shipping.id, kind: 'ecommerce_chain', fields: ['name', 'shippingAddress'] });
    assert.equal((await approve(request)).ok, true);
    await quarantineCustomer(db, { customerId: minor, reason: 'reported_minor', at: new Date().toISOString() });
    const entries = await registerCount();
    assert.match(expectError(await release(request), 'CONFLICT'), /quarantined/);
    assert.equal(await registerCount(), entries);
    expectError(await t.try('staff', 'disclosures.requests.create', { customerIds: [minor], recipientId: shipping.id, kind: 'ecommerce_chain', fields: ['name'], purpose: 'Ship the order please' }), 'CONFLICT');
    // Out of every list: the request names the minor's record by no name.
    const shown = (await t.as('manager', 'disclosures.requests.get', { id: request.id })).request.customers;
    assert.deepEqual(shown, [{ id: minor, displayName: '(set apart: minor)' }]);

    const erased = await newCustomer();
    const second = await file({ customerIds: [erased], recipientId: shipping.id, kind: 'ecommerce_chain', fields: ['name'] });
    await db('customer_keys').where({ customer_id: erased }).update({ wrapped_key: null, shredded_at: new Date().toISOString() });
    assert.match(expectError(await approve(second), 'CONFLICT'), /no longer exist or were erased/);
  });
});

describe('legal disclosures', () => {
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(64, 0x20)]);

  test('a court order: scan checked by its bytes and sealed; reference kept out of the audit trail; encrypted file opens with the one-time passphrase', async () => {
    const customerId = await newCustomer({ givenName: 'Lena', familyName: 'Marsh' });
    const legal = { authority: 'Leeds County Court', reference: 'CO-2026-118877', documentDate: '2026-11-20', scan: { mediaType: 'application/pdf', base64: pdf.toString('base64') } };
    const base = { customerIds: [customerId], recipientId: court.id, kind: 'legal', fields: ['name', 'email', 'dateOfBirth'], purpose: 'Court order served on 20 November 2026' };
    expectError(await t.try('manager', 'disclosures.requests.create', { ...base, legal: { ...legal, scan: { mediaType: 'image/png', base64: pdf.toString('base64') } } }), 'INVALID_INPUT');
    expectError(await t.try('manager', 'disclosures.requests.create', { ...base, kind: 'legal' }), 'INVALID_INPUT');
    const request = await file({ ...base, legal }, 'manager');
    const stored = await db('disclosure_attachments').where({ request_id: request.id }).first();
    assert.equal(stored.media_type, 'application/pdf');
    assert.equal(Buffer.from(stored.content).includes(Buffer.from('%PDF')), false, 'the scan is stored encrypted');
    const { request: detail } = await t.as('manager', 'disclosures.requests.get', { id: request.id });
    assert.equal(detail.legal.reference, 'CO-2026-118877');
    assert.deepEqual(detail.legal.scan, { mediaType: 'application/pdf', bytes: pdf.length });
    // The deciding manager can read the served document; staff cannot.
    const opened = await t.as('manager2', 'disclosures.requests.scan', { id: request.id });
    assert.deepEqual(Buffer.from(opened.base64, 'base64'), pdf);
    expectError(await t.try('staff', 'disclosures.requests.scan', { id: request.id }), 'FORBIDDEN');
    assert.deepEqual(detail.customers, [{ id: customerId, displayName: 'Lena M.' }]);
    assert.equal((await approve(request)).ok, true);
    const released = await release(request, { format: 'json', encrypt: true });
    assert.ok(released.ok, JSON.stringify(released));
    const { passphrase, fileName, fileSha256 } = released.value;
    assert.match(passphrase, /^[a-z2-9]{5}(-[a-z2-9]{5}){5}$/);
    assert.match(fileName, /\.json\.age$/);
    const encrypted = readFileSync(join(saved, fileName));
    assert.equal(sha256(encrypted), fileSha256);
    assert.equal(encrypted.includes(Buffer.from('Lena')), false);
    const decrypter = new Decrypter();
    decrypter.addPassphrase(passphrase);
    const rows = JSON.parse(Buffer.from(await decrypter.decrypt(new Uint8Array(encrypted))).toString('utf8'));
    assert.deepEqual(rows, [{ givenName: 'Lena', familyName: 'Marsh', organisationName: null, email: rows[0].email, dateOfBirth: '1980-05-17' }]);
    const wrong = new Decrypter();
    wrong.addPassphrase('not-the-passphrase');
    await assert.rejects(wrong.decrypt(new Uint8Array(encrypted)));

    // The register carries the reference for auditors (sealed at rest); audit details never do.
    const { entries } = await t.as('auditor', 'disclosures.register.list', { filter: { kind: 'legal', customerId } });
    assert.equal(entries.length, 1);
    assert.equal(entries[0].legalReference, 'CO-2026-118877');
    assert.equal(entries[0].encrypted, true);
    const details = (await db('audit_events').select('details')).map((e: { details: string }) => e.details).join('\n');
    for (const secret of ['CO-2026-118877', 'Leeds County Court', 'Court order served', passphrase]) assert.equal(details.includes(secret), false, secret);
    // Nor any file the app writes (database, WAL, logs, settings): the reference and passphrase are never in clear.
    assert.deepEqual(plaintextHits(appFiles(t.dataDir), ['CO-2026-118877', passphrase, 'Court order served on 20 November']), []);
  });
});

describe('the register', () => {
  test('no channel edits or deletes an entry; a correction is a new entry naming the old one', async () => {
    assert.deepEqual(CHANNEL_NAMES.filter((c) => c.startsWith('disclosures.register.')).sort(), ['disclosures.register.correct', 'disclosures.register.export', 'disclosures.register.list']);
    assert.equal(Object.keys(disclosuresChannels).some((c) => /update|delete|edit|remove/i.test(c)), false);
    const { entries } = await t.as('manager', 'disclosures.register.list', { limit: 1 });
    const original = entries[0];
    const rowBefore = await db('disclosure_register').where({ id: original.id }).first();
    await t.reauth('manager');
    const { entry } = await t.as('manager', 'disclosures.register.correct', { entryId: original.id, note: 'Recipient confirmed they deleted a duplicate copy' });
    assert.equal(entry.type, 'correction');
    assert.equal(entry.correctsId, original.id);
    assert.equal(entry.note, 'Recipient confirmed they deleted a duplicate copy');
    assert.deepEqual(entry.customerIds, original.customerIds);
    assert.deepEqual(await db('disclosure_register').where({ id: original.id }).first(), rowBefore);
    const { entries: after } = await t.as('auditor', 'disclosures.register.list', {});
    assert.deepEqual(after.find((e: { id: string }) => e.id === original.id).correctedBy, [entry.id]);
  });

  test('a direct UPDATE or DELETE in the database is refused (both engines)', async () => {
    const entry = await db('disclosure_register').first();
    for (const [table, where] of [
      ['disclosure_register', { id: entry.id }],
      ['disclosure_register_customers', { entry_id: entry.id }],
      ['disclosure_recipient_versions', { recipient_id: shipping.id }],
    ] as const) {
      await assert.rejects(db(table).where(where).update(table === 'disclosure_register' ? { file_sha256: 'f'.repeat(64) } : table === 'disclosure_register_customers' ? { customer_id: randomUUID() } : { name: 'Renamed' }), /append-only/);
      await assert.rejects(db(table).where(where).delete(), /append-only/);
    }
    if (t.engine === 'pg') await assert.rejects(db.raw('TRUNCATE disclosure_register'), /append-only/);
    assert.equal((await db('disclosure_register').where({ id: entry.id }).first()).file_sha256, entry.file_sha256);
  });

  test('exports for auditors: CSV and a PDF whose text holds the entries', async () => {
    const csv = await t.as('auditor', 'disclosures.register.export', { format: 'csv', filter: { kind: 'legal' } });
    const csvBytes = readFileSync(join(saved, csv.fileName));
    assert.equal(sha256(csvBytes), csv.fileSha256);
    const parsed = Papa.parse<Record<string, string>>(csvBytes.toString('utf8').trim(), { header: true });
    assert.equal(parsed.data.length, csv.entries);
    assert.ok(parsed.data.every((r) => r.kind === 'legal'));
    assert.equal(parsed.data[0]!.legal_reference, 'CO-2026-118877');
    const pdf = await t.as('auditor', 'disclosures.register.export', { format: 'pdf', filter: {} });
    const text = execFileSync('pdftotext', ['-layout', join(saved, pdf.fileName), '-'], { encoding: 'utf8' });
    assert.match(text, /Disclosure register/);
    assert.match(text, /Northern Parcels Ltd/);
    assert.match(text, /CO-2026-118877/);
    assert.match(text, /Correction of/);
    expectError(await t.try('staff', 'disclosures.register.export', { format: 'pdf' }), 'FORBIDDEN');
  });

  test('per customer: what was released, to whom, when and why, and whom to tell', async () => {
    const customerId = await newCustomer();
    const request = await file({ customerIds: [customerId], recipientId: shipping.id, kind: 'ecommerce_chain', fields: ['name', 'shippingAddress'], purpose: 'Ship replacement router for order 5521' });
    assert.equal((await approve(request)).ok, true);
    assert.ok((await release(request)).ok);
    const { disclosures, recipientsToTell } = await t.as('staff', 'disclosures.forCustomer', { customerId });
    assert.equal(disclosures.length, 1);
    assert.equal(disclosures[0].recipientName, 'Northern Parcels Ltd');
    assert.equal(disclosures[0].purpose, 'Ship replacement router for order 5521');
    assert.deepEqual(disclosures[0].fields, ['name', 'shippingAddress']);
    assert.deepEqual(recipientsToTell.map((r: { recipientName: string }) => r.recipientName), ['Northern Parcels Ltd']);
    // The request tracker's recipients list and the access export read the same register.
    const told = await t.as('staff', 'subjectRequests.recipients', { customerId });
    assert.deepEqual(told, { note: null, recipients: [{ recipient: 'Northern Parcels Ltd', categories: ['Name', 'Shipping address'], disclosedAt: disclosures[0].releasedAt }] });
    await t.reauth('manager');
    await t.as('manager', 'subjectRequests.exportAccess', { customerId, format: 'json' });
    const exported = JSON.parse(readFileSync(join(saved, readdirSync(saved).filter((f) => f.endsWith('.json')).sort().at(-1)!), 'utf8'));
    assert.equal(exported.disclosures.length, 1);
    assert.equal(exported.disclosures[0].recipientName, 'Northern Parcels Ltd');
    assert.equal(exported.notes.disclosures, undefined, 'no "nothing released" note');
    // Erasing the customer erases the purpose (sealed under the customer's key); the register entry stays.
    await db('customer_keys').where({ customer_id: customerId }).update({ wrapped_key: null, shredded_at: new Date().toISOString() });
    const after = await t.as('manager', 'disclosures.forCustomer', { customerId });
    assert.equal(after.disclosures[0].purpose, '(erased with the customer’s records)');
  });
});

describe('start-up check', () => {
  test('a database whose register triggers were dropped refuses to open', async () => {
    const c = await startCore();
    await c.call('session.setup', { username: 'ada.admin', displayName: 'Ada', password: 'correct horse battery staple' });
    await c.core.close();
    const raw = openTestDb(c.dataDir);
    await dropAppendOnlyTriggers(raw, 'disclosure_register');
    await raw.destroy();
    const refused = await startCore({ dataDir: c.dataDir, vault: c.vault, database: c.database }).catch((e: unknown) => e);
    assert.ok(refused instanceof StartupError, String(refused));
    assert.equal(refused.code, 'AUDIT_UNPROTECTED');
    assert.match(refused.message, /disclosure_register_no_update \(missing\)/);
    if (existsSync(c.dataDir)) rmSync(c.dataDir, { recursive: true, force: true });
  });
});

test('files written by a failed release are not left behind', () => {
  // Every refused release above asserted the saved folder did not grow; this checks no partial file either.
  assert.deepEqual(readdirSync(saved).filter((f) => f.endsWith('.partial')), []);
});

test('a release killed after its claim is rolled back at the next open: the claim is given back and nothing registered', async () => {
  const dir = tempDir('itpc-disclosure-kill-');
  const first = await startCustomerCore({ dataDir: dir, fileSaver: directoryFileSaver(join(dir, 'saved')) });
  const raw = first.openDb();
  let requestId = '';
  try {
    const { recipient: r } = await first.as('manager', 'disclosures.recipients.save', { name: 'Kill Couriers', kind: 'shipping', allowedFields: ['name', 'shippingAddress'] });
    const { customer } = await first.as('staff', 'customers.create', sampleCustomer({ email: 'kill.test@example.com' }));
    const { request } = await first.as('staff', 'disclosures.requests.create', { customerIds: [customer.id], recipientId: r.id, kind: 'ecommerce_chain', fields: ['name'], purpose: 'Ship the order after the crash' });
    requestId = request.id;
    await first.reauth('manager2');
    await first.as('manager2', 'approvals.decide', { id: request.approvalId, decision: 'approve' });
    // What a process killed -9 between the claim's commit and the registering batch leaves behind.
    const now = new Date().toISOString();
    await raw('disclosure_requests').where({ id: requestId }).update({ release_state: 'releasing', releaser_id: first.userId.manager });
    await raw('jobs').insert({
      id: randomUUID(), kind: 'disclosures.release', state: 'running', done: 0, total: 1, cursor: JSON.stringify({ requestId, after: null }),
      started_by: first.userId.manager, error_code: null, created_at: now, updated_at: now, finished_at: null, owner: null,
    });
  } finally {
    await raw.destroy();
    await first.core.close();
  }
  const reopened = await startCore({ dataDir: dir, vault: first.vault, database: first.database, fileSaver: directoryFileSaver(join(dir, 'saved')) });
  const check = reopened.openDb();
  try {
    assert.equal((await check('disclosure_requests').where({ id: requestId }).first()).release_state, 'none');
    assert.equal((await check('jobs').where({ kind: 'disclosures.release' }).first()).state, 'rolled_back');
    assert.equal((await check('disclosure_register').select('id')).length, 0);
    await reopened.call('session.login', { username: 'mia.manager', password: 'correct horse battery staple' }, 'm');
    const released = await reopened.call<{ rows: number }>('disclosures.release', { taskId: randomUUID(), requestId, format: 'csv', encrypt: false }, 'm');
    assert.equal(released.rows, 1);
  } finally {
    await check.destroy();
    await reopened.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a request nobody decided within 14 days expires: listed as expired, it can no longer be approved or released; another staff member cannot read it', async () => {
  const c = await startCustomerCore({ fileSaver: directoryFileSaver(join(tempDir('itpc-disclosure-expiry-'), 'saved')) });
  try {
    const { recipient: r } = await c.as('manager', 'disclosures.recipients.save', { name: 'Slow Couriers', kind: 'shipping', allowedFields: ['name', 'shippingAddress'] });
    const { customer } = await c.as('staff', 'customers.create', sampleCustomer({ email: 'expiry@example.com' }));
    const { request } = await c.as('staff', 'disclosures.requests.create', { customerIds: [customer.id], recipientId: r.id, kind: 'ecommerce_chain', fields: ['name'], purpose: 'Ship the order before it expires' });
    expectError(await c.try('staff2', 'disclosures.requests.get', { id: request.id }), 'NOT_FOUND');
    c.clock.advance(15 * 24 * 60 * 60_000);
    for (const who of ['staff', 'manager', 'manager2'] as const) await c.as(who, 'session.unlock', { password: 'correct horse battery staple' });
    const { mine } = await c.as('staff', 'disclosures.requests.list', {});
    assert.equal(mine[0].status, 'expired');
    const { queue } = await c.as('manager', 'disclosures.requests.list', {});
    assert.equal(queue.length, 0);
    await c.reauth('manager2');
    expectError(await c.try('manager2', 'approvals.decide', { id: request.approvalId, decision: 'approve' }), 'CONFLICT');
    await c.reauth('manager');
    assert.match(expectError(await c.try('manager', 'disclosures.release', { taskId: randomUUID(), requestId: request.id, format: 'csv', encrypt: false }), 'CONFLICT'), /expired/);
  } finally {
    await c.cleanup();
  }
});
