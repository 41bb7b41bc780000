import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { expectError, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';

const HEADER = 'First Name,Surname,E-mail,Phone,Address,Town,County,Postcode,Country,DOB,Newsletter,Card Number,CVV';
const year = new Date().getUTCFullYear();
const ROWS = [
  'Ann,Archer,ann@example.com,+44 20 7946 0001,1 High St,York,,YO1 7HH,GB,1970-01-01,yes,4111111111111111,123', // 2 valid
  'Bob,Baker,not-an-email,,2 High St,York,,YO1 7HH,GB,,no,,', // 3 bad email
  `Cat,Carter,cat@example.com,,3 High St,York,,YO1 7HH,GB,${year - 12}-03-04,,,`, // 4 minor
  'Dan,Dunn,dan@example.com,,4 High St,York,,,GB,,,,', // 5 postcode missing
  '"Eve\u0007",Evans,eve@example.com,,5 High St,York,,YO1 7HH,GB,,,,', // 6 control character
  'Fay,Fox,fay@example.com,,6 High St,York,,YO1 7HH,Britain,,,,', // 7 country
  'Gus,Green,ANN@example.com,,7 High St,York,,YO1 7HH,GB,,,,', // 8 duplicate of row 2
  'Hal,Hill,hal@example.com,,8 High St,York,,YO1 7HH,GB,,maybe,,', // 9 newsletter value
  'Ivy,Irwin,ivy@example.com,,9 High St,York', // 10 too few columns
  '"<b>Jo</b>",Jones,jo@example.com,01632 960000,10 High St,Hull,East Riding,HU1 1AA,gb,1990-12-31,Y,,', // 11 valid
];
const CSV = [HEADER, ...ROWS].join('\r\n');
const MAPPING = {
  givenName: 'First Name',
  familyName: 'Surname',
  email: 'E-mail',
  phone: 'Phone',
  street: 'Address',
  city: 'Town',
  region: 'County',
  postalCode: 'Postcode',
  country: 'Country',
  dateOfBirth: 'DOB',
  newsletter: 'Newsletter',
};

function bigCsv(n: number, prefix = 'bulk'): string {
  const lines = ['given,family,email,street,city,postcode,country'];
  for (let i = 0; i < n; i += 1) lines.push(`Given${i},Family${i % 97},${prefix}${i}@example.com,${i} Long Road,Leeds,LS${i % 30} 1AA,GB`);
  return lines.join('\n');
}
const BIG_MAPPING = { givenName: 'given', familyName: 'family', email: 'email', street: 'street', city: 'city', postalCode: 'postcode', country: 'country' };

describe('CSV import', () => {
  let t: CustomerTestCore;
  before(async () => {
    t = await startCustomerCore();
  });
  after(async () => t.cleanup());

  test('preview: column names, suggested mapping, row count, refused card columns — no values', async () => {
    const preview = await t.as('manager', 'customers.importPreview', { csv: `\uFEFF${CSV}` });
    assert.deepEqual(preview.columns, HEADER.split(','));
    assert.equal(preview.rowCount, ROWS.length);
    assert.deepEqual(preview.suggestedMapping, MAPPING);
    assert.deepEqual(preview.refusedColumns, ['Card Number', 'CVV']);
    assert.ok(preview.requiredFields.includes('email'));
    const text = JSON.stringify(preview);
    for (const value of ['Ann', 'Archer', 'ann@example.com', '4111', 'YO1']) assert.ok(!text.includes(value), value);
  });

  test('staff may not import (manager-only)', async () => {
    assert.match(expectError(await t.try('staff', 'customers.importPreview', { csv: CSV }), 'FORBIDDEN'), /not permitted/);
    expectError(await t.try('staff', 'customers.importRun', { taskId: randomUUID(), csv: CSV, mapping: MAPPING }), 'FORBIDDEN');
  });

  test('mapping errors are refused before anything is read', async () => {
    const run = (mapping: Record<string, string>) => t.try('manager', 'customers.importRun', { taskId: randomUUID(), csv: CSV, mapping });
    assert.match(expectError(await run({ ...MAPPING, email: 'Email Address' }), 'INVALID_INPUT'), /mapping\.email: no column/);
    assert.match(expectError(await run({ ...MAPPING, phone: 'Card Number' }), 'INVALID_INPUT'), /card data/);
    const { postalCode: _p, ...missing } = MAPPING;
    assert.match(expectError(await run(missing), 'INVALID_INPUT'), /map a column to postalCode/);
    assert.match(expectError(await run({ ...MAPPING, region: 'Town' }), 'INVALID_INPUT'), /already mapped/);
    expectError(await run({ ...MAPPING, cardNumber: 'Card Number' } as Record<string, string>), 'INVALID_INPUT');
    expectError(await t.try('manager', 'customers.importRun', { taskId: 'not-a-uuid', csv: CSV, mapping: MAPPING }), 'INVALID_INPUT');
  });

  test('dry run and requireAllValid write nothing', async () => {
    const before = await t.counts();
    const dry = await t.as('manager', 'customers.importRun', { taskId: randomUUID(), csv: CSV, mapping: MAPPING, dryRun: true });
    assert.equal(dry.imported, 0);
    assert.equal(dry.validRows, 2);
    assert.equal(dry.rejectedRows, 8);
    const strict = await t.as('manager', 'customers.importRun', { taskId: randomUUID(), csv: CSV, mapping: MAPPING, requireAllValid: true });
    assert.equal(strict.imported, 0);
    assert.deepEqual(await t.counts(), before);
  });

  test('valid rows land, invalid rows are listed by row and field with no values', async () => {
    const result = await t.as('manager', 'customers.importRun', { taskId: randomUUID(), csv: CSV, mapping: MAPPING });
    assert.equal(result.totalRows, 10);
    assert.equal(result.imported, 2);
    assert.equal(result.rejectedRows, 8);
    const byRow = new Map<number, string[]>();
    for (const p of result.rejected) byRow.set(p.row, [...(byRow.get(p.row) ?? []), p.field]);
    assert.deepEqual(Object.fromEntries(byRow), {
      3: ['email'],
      4: ['dateOfBirth'],
      5: ['postalCode'],
      6: ['givenName'],
      7: ['country'],
      8: ['email'],
      9: ['newsletter'],
      10: ['(row)'],
    });
    const minor = result.rejected.find((p: { row: number }) => p.row === 4);
    assert.match(minor.problem, /under 18 are not collected/);
    assert.match(result.rejected.find((p: { row: number }) => p.row === 6).problem, /control characters/);
    assert.match(result.rejected.find((p: { row: number }) => p.row === 8).problem, /row 2/);
    assert.equal(result.rejected.find((p: { row: number }) => p.row === 5).problem, 'Required');
    const text = JSON.stringify(result.rejected);
    for (const value of ['Bob', 'not-an-email', 'cat@', 'Britain', 'maybe', 'ANN@', `${year - 12}`, 'Eve']) assert.ok(!text.includes(value), value);

    assert.equal(await t.count('customers'), 2);
    const ann = await t.as('staff', 'customers.search', { by: 'email', value: 'ann@example.com' });
    const record = await t.as('staff', 'customers.open', { customerId: ann.rows[0].id, purpose: 'customer_support' });
    const newsletter = record.consents.find((c: { purpose: string }) => c.purpose === 'newsletter');
    assert.equal(newsletter.granted, true);
    assert.equal(newsletter.channel, 'import');
    assert.equal(record.consents.find((c: { purpose: string }) => c.purpose === 'thirdPartySharing').granted, false);
    const jo = await t.as('staff', 'customers.search', { by: 'postalCode', value: 'hu11aa' });
    const joRecord = await t.as('staff', 'customers.open', { customerId: jo.rows[0].id, purpose: 'correction' });
    assert.equal(joRecord.name.givenName, '<b>Jo</b>');
    assert.equal(joRecord.shippingAddress.country, 'GB');

    const events = await t.as('admin', 'audit.list', { action: 'customer.import', limit: 1 });
    const details = events.events[0].details;
    assert.equal(details.imported, 2);
    assert.equal(details.rejectedRows, 8);
    assert.equal(details.totalRows, 10);
  });

  test('re-importing the same list rejects every row as already existing', async () => {
    const again = await t.as('manager', 'customers.importRun', { taskId: randomUUID(), csv: CSV, mapping: MAPPING });
    assert.equal(again.imported, 0);
    assert.ok(again.rejected.some((p: { problem: string }) => /already exists/.test(p.problem)));
    assert.equal(await t.count('customers'), 2);
  });

  test('progress events go to the caller only, every N rows, ending at the total', async () => {
    const taskId = randomUUID();
    const seen: { senderId: string; done: number; total: number; taskId: string }[] = [];
    const off = t.core.onEvent((senderId, event, payload) => {
      if (event === 'progress') seen.push({ senderId, ...(payload as { done: number; total: number; taskId: string }) });
    });
    try {
      const result = await t.as('manager', 'customers.importRun', { taskId, csv: bigCsv(2500, 'prog'), mapping: BIG_MAPPING });
      assert.equal(result.imported, 2500);
    } finally {
      off();
    }
    assert.ok(seen.length >= 3, `got ${seen.length} progress events`);
    assert.ok(seen.every((e) => e.senderId === 'manager' && e.taskId === taskId && e.total === 2500));
    assert.deepEqual(seen.map((e) => e.done), [...seen.map((e) => e.done)].sort((a, b) => a - b));
    assert.equal(seen.at(-1)!.done, 2500);
  });

  test('cancel mid-run rolls everything back: nothing partial', async () => {
    const before = await t.counts();
    const taskId = randomUUID();
    let cancelled = false;
    let byOther: Promise<unknown> | null = null;
    const off = t.core.onEvent((_sender, event, payload) => {
      const p = payload as { done: number; taskId: string };
      if (event !== 'progress' || p.taskId !== taskId || p.done === 0 || cancelled) return;
      cancelled = true;
      // Another manager cannot cancel someone else's import; the owner can.
      byOther = t.try('manager2', 'customers.importCancel', { taskId }).then(() => t.as('manager', 'customers.importCancel', { taskId }));
    });
    let result;
    try {
      result = await t.try('manager', 'customers.importRun', { taskId, csv: bigCsv(6000, 'cancel'), mapping: BIG_MAPPING });
      await byOther;
    } finally {
      off();
    }
    assert.ok(cancelled, 'a progress event arrived while the import ran');
    assert.match(expectError(result, 'CANCELLED'), /cancelled\. Nothing was imported/);
    assert.deepEqual(await t.counts(), before);
    assert.equal((await t.as('manager', 'customers.list', { limit: 1 })).total, before.customers, 'the kept count rolled back too');
    const events = await t.as('admin', 'audit.list', { action: 'customer.import', limit: 1 });
    assert.equal(events.events[0].outcome, 'failed');
    assert.equal(events.events[0].details.taskId, taskId);
  });

  test('another user\'s cancel does not stop a running import', async () => {
    const taskId = randomUUID();
    let sent: Promise<unknown> | null = null;
    const off = t.core.onEvent((_sender, event, payload) => {
      const p = payload as { done: number; taskId: string };
      if (event === 'progress' && p.taskId === taskId && p.done > 0 && !sent) sent = t.as('manager2', 'customers.importCancel', { taskId });
    });
    try {
      const result = await t.as('manager', 'customers.importRun', { taskId, csv: bigCsv(3000, 'other'), mapping: BIG_MAPPING });
      assert.ok(sent, 'the cancel was sent during the run');
      await sent;
      assert.equal(result.imported, 3000);
    } finally {
      off();
    }
  });

  test('a cancel that arrives before its run starts still cancels it; someone else\'s does not', async () => {
    const taskId = randomUUID();
    await t.as('manager', 'customers.importCancel', { taskId });
    assert.match(expectError(await t.try('manager', 'customers.importRun', { taskId, csv: CSV, mapping: MAPPING, dryRun: true }), 'CANCELLED'), /cancelled/);
    const other = randomUUID();
    await t.as('manager2', 'customers.importCancel', { taskId: other });
    const ok = await t.as('manager', 'customers.importRun', { taskId: other, csv: CSV, mapping: MAPPING, dryRun: true });
    assert.equal(ok.dryRun, true);
  });

  test('files over 20 MB and empty files are refused', async () => {
    const huge = `${HEADER}\n${'x'.repeat(20 * 1024 * 1024)}`;
    assert.match(expectError(await t.try('manager', 'customers.importPreview', { csv: huge }), 'INVALID_INPUT'), /20 MB/);
    expectError(await t.try('manager', 'customers.importPreview', { csv: '' }), 'INVALID_INPUT');
    expectError(await t.try('manager', 'customers.importPreview', { csv: '\n\n' }), 'INVALID_INPUT');
  });
});
