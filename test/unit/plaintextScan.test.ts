import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { luhnValid } from '../../main/features/orders/card.std.ts';
import { directoryFileSaver } from '../support/fileSavers.ts';
import { tempDir } from '../support/core.ts';
import { nextYear, startCustomerCore } from '../support/customers.ts';

const CARD = '4539148803436467';
const PII = {
  givenName: 'Zebulon',
  familyName: 'Quixotefield',
  organisationName: 'Quibblecorp Holdings',
  email: 'zebulon.q@plaintext-scan.test',
  phone: '+44 7700 900123',
  street: '42 Wallaby Way',
  city: 'Sydneyton',
  region: 'Oddshire',
  postalCode: 'ZZ9 9ZZ',
  dateOfBirth: '1971-07-23',
};
const OTHER = {
  billingName: 'Zeb Quixotefield-Billing',
  billingStreet: '7 Ledger Lane',
  newEmail: 'zeb.new@plaintext-scan.test',
  newStreet: '99 Marmalade Row',
  correctionReason: 'Moved house to Marmaladeville last spring',
  justification: 'Investigating the Flibbertigibbet complaint from the ombudsman',
  revealReason: 'Chargeback Snorkelwhistle dispute',
  reviewNote: 'Confirmed with Gobbledygook team lead',
  importedGiven: 'Yolanda',
  importedFamily: 'Xerxesdottir',
  importedEmail: 'yolanda.x@plaintext-scan.test',
  importedStreet: '3 Quokka Close',
  extensionReason: 'Archive boxes at Wobblesworth depot',
  refusalReason: 'Requester failed the Kerfufflemoor identity check',
  disclosurePurpose: 'Court order about the Wobblegong account',
  legalAuthority: 'Court of Zanzibarish Appeals',
  legalReference: 'ZQ-777-PLAINSCAN',
  legalNote: 'Served by the Snollygoster bailiff',
  scanMarker: 'Flapdoodle scanned page',
  widenReason: 'Contract clause Kerfuffle 9 requires email',
  registerNote: 'Recipient Brouhaha confirmed receipt twice',
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function scan(dir: string, values: string[]): string[] {
  const hits: string[] = [];
  for (const file of files(dir)) {
    const bytes = readFileSync(file);
    for (const value of values) {
      for (const encoding of ['utf8', 'utf16le'] as const) {
        if (bytes.includes(Buffer.from(value, encoding))) hits.push(`${value} (${encoding}) in ${file.slice(dir.length)}`);
      }
    }
  }
  return hits;
}

test('no PII is readable in the database (SQLite file and WAL, or a pg_dump of PostgreSQL), the logs or settings', async () => {
  assert.ok(luhnValid(CARD));
  const dataDir = tempDir('itpc-scan-');
  const dumpDir = tempDir('itpc-dump-');
  // Released files hold PII by design; they go where the manager chooses, outside the app's data folder.
  const savedDir = tempDir('itpc-scan-saved-');
  try {
    // Access exports are saved outside the scanned folder (where the user chose): none may leave a copy inside it.
    const savedDir = tempDir('itpc-scan-saved-');
    const t = await startCustomerCore({ dataDir, fileSaver: directoryFileSaver(savedDir) });
    const { customer } = await t.as('staff', 'customers.create', {
      kind: 'organisation_contact',
      givenName: PII.givenName,
      familyName: PII.familyName,
      organisationName: PII.organisationName,
      email: PII.email,
      phone: PII.phone,
      shippingAddress: { street: PII.street, city: PII.city, region: PII.region, postalCode: PII.postalCode, country: 'GB' },
      dateOfBirth: PII.dateOfBirth,
      consents: { newsletter: true },
      consentChannel: 'order_form',
    });
    const { order } = await t.as('staff', 'orders.create', {
      customerId: customer.id,
      items: [{ sku: 'ITP-PRO', name: 'Pro licence', kind: 'licence', quantity: 1 }],
      billing: { name: OTHER.billingName, address: { street: OTHER.billingStreet, city: PII.city, postalCode: PII.postalCode, country: 'GB' } },
      card: { number: CARD.replace(/(\d{4})/g, '$1 ').trim(), expiryMonth: 3, expiryYear: nextYear() },
    });
    await t.as('staff', 'customers.search', { by: 'email', value: PII.email });
    await t.as('staff', 'customers.search', { by: 'familyName', value: PII.familyName });
    await t.as('staff', 'customers.correct', {
      customerId: customer.id,
      changes: { email: OTHER.newEmail, shippingAddress: { street: OTHER.newStreet } },
      reason: OTHER.correctionReason,
      source: 'customer_request',
    });
    const glass = await t.as('staff', 'customers.open', { customerId: customer.id, purpose: 'break_glass', justification: OTHER.justification });
    await t.as('manager', 'breakglass.review', { reviewId: glass.breakGlassReviewId, decision: 'justified', note: OTHER.reviewNote });
    const revealed = await t.as('manager', 'orders.revealCard', { orderId: order.id, reason: OTHER.revealReason });
    assert.equal(revealed.number, CARD);
    const legal = await t.as('manager', 'customers.open', { customerId: customer.id, purpose: 'legal' });
    const licenceKey: string = legal.orders[0].items[0].licenceKey;
    const today = new Date().toISOString().slice(0, 10);
    const access = (await t.as('staff', 'subjectRequests.open', { customerId: customer.id, type: 'access', channel: 'letter', receivedOn: today })).request;
    await t.as('manager', 'subjectRequests.extend', { requestId: access.id, extensionDays: 20, reason: OTHER.extensionReason });
    await t.reauth('manager');
    for (const format of ['json', 'pdf']) await t.as('manager', 'subjectRequests.exportAccess', { customerId: customer.id, format, requestId: access.id });
    const deletion = (await t.as('staff', 'subjectRequests.open', { customerId: customer.id, type: 'deletion', channel: 'email', receivedOn: today })).request;
    await t.as('manager', 'subjectRequests.refuse', { requestId: deletion.id, reason: OTHER.refusalReason });
    rmSync(savedDir, { recursive: true, force: true });
    // A legal disclosure with a scan, released and corrected; a recipient widened with a reason.
    const { recipient: court } = await t.as('manager', 'disclosures.recipients.save', { name: 'Scan Court', kind: 'legal_authority', allowedFields: ['name', 'email'] });
    await t.as('manager', 'disclosures.recipients.save', { name: 'Scan Couriers', kind: 'shipping', allowedFields: ['name', 'shippingAddress', 'email'], reason: OTHER.widenReason });
    const scanBytes = Buffer.from(`%PDF-1.4\n${OTHER.scanMarker}\n`);
    const { request } = await t.as('staff', 'disclosures.requests.create', {
      customerIds: [customer.id],
      recipientId: court.id,
      kind: 'legal',
      fields: ['name', 'email'],
      purpose: OTHER.disclosurePurpose,
      legal: { authority: OTHER.legalAuthority, reference: OTHER.legalReference, documentDate: '2026-11-01', note: OTHER.legalNote, scan: { mediaType: 'application/pdf', base64: scanBytes.toString('base64') } },
    });
    await t.reauth('manager2');
    await t.as('manager2', 'approvals.decide', { id: request.approvalId, decision: 'approve' });
    await t.reauth('manager');
    const released = await t.as('manager', 'disclosures.release', { taskId: randomUUID(), requestId: request.id, format: 'csv', encrypt: true });
    await t.as('manager', 'disclosures.register.correct', { entryId: released.entryId, note: OTHER.registerNote });
    await t.as('staff', 'customers.setStatus', { customerId: customer.id, status: 'closed' });
    const csv = `given,family,email,street,city,postcode,country\n${OTHER.importedGiven},${OTHER.importedFamily},${OTHER.importedEmail},${OTHER.importedStreet},${PII.city},${PII.postalCode},GB`;
    await t.as('manager', 'customers.importRun', {
      taskId: randomUUID(),
      csv,
      mapping: { givenName: 'given', familyName: 'family', email: 'email', street: 'street', city: 'city', postalCode: 'postcode', country: 'country' },
    });
    // Bad input must not leak into the logs either.
    await t.try('staff', 'orders.create', { customerId: customer.id, items: [], billing: {}, card: { number: CARD, cvv: '731' } });

    const values = [
      ...Object.values(PII),
      ...Object.values(OTHER),
      PII.email.toLowerCase(),
      '447700900123',
      'ZZ99ZZ',
      'quixotefield',
      CARD,
      CARD.replace(/(\d{4})/g, '$1 ').trim(),
      licenceKey,
      released.passphrase as string,
    ];
    await t.as('admin', 'settings.update', { idleLockMinutes: 15 }); // so settings.json exists

    // PostgreSQL: what a database administrator could read — a plain pg_dump of the whole database, scanned as
    // text and (bytea columns are dumped as hex) for the hex of each value too.
    if (t.engine === 'pg' && t.database.client === 'pg' && typeof t.database.connection === 'string') {
      execFileSync(process.env.PG_DUMP ?? 'pg_dump', ['--no-owner', '--file', join(dumpDir, 'pg_dump.sql'), '--dbname', t.database.connection]);
      const dump = readFileSync(join(dumpDir, 'pg_dump.sql'), 'utf8');
      assert.ok(dump.includes(customer.id) && dump.includes('audit_events'), 'control: the dump holds the data');
      const hexValues = values.map((v) => Buffer.from(v, 'utf8').toString('hex'));
      assert.deepEqual(scan(dumpDir, values), [], 'pg_dump (text)');
      assert.deepEqual(
        hexValues.filter((h) => dump.includes(h)),
        [],
        'pg_dump (bytea hex)',
      );
    }
    const whileOpen = scan(dataDir, values);
    const openFiles = files(dataDir).map((f) => f.slice(dataDir.length));
    // Positive control: the scanner does find what is stored in clear (ids), so zero PII hits mean something.
    if (t.engine === 'sqlite') assert.ok(scan(dataDir, [customer.id, order.id]).length >= 2, 'control values found while open');
    await t.cleanup();
    const afterClose = scan(dataDir, values);
    if (t.engine === 'sqlite') assert.ok(scan(dataDir, [customer.id]).length >= 1, 'control value found after close');
    const expected = t.engine === 'pg' ? ['/logs/app.1.log', '/settings.json'] : ['/privacy-console.sqlite', '/privacy-console.sqlite-wal', '/logs/app.1.log', '/settings.json'];
    for (const name of expected) {
      assert.ok(openFiles.includes(name), `${name} was scanned (have ${openFiles.join(', ')})`);
    }
    assert.deepEqual(whileOpen, [], 'while open (DB, -wal, -shm, logs)');
    assert.deepEqual(afterClose, [], 'after close');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dumpDir, { recursive: true, force: true });
    rmSync(savedDir, { recursive: true, force: true });
  }
});
