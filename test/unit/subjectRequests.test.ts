import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { quarantineCustomer } from '../../main/features/customers/customers.port.node.ts';
import { completeLinkedRequest, linkDeletionApproval, openRequest } from '../../main/features/subjectRequests/subjectRequests.port.node.ts';
import { addDays, latestReceivedOn, urgencyOf } from '../../main/features/subjectRequests/requestDates.std.ts';
import type { Db } from '../../main/platform/store/database.node.ts';
import { expectError, sampleCustomer, sampleOrder, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';
import { directoryFileSaver, type TestFileSaver } from '../support/fileSavers.ts';
import { tableCounts } from '../support/snapshot.ts';

const DAY = 86_400_000;
/** A fixed clock: 10:00 UTC on 10 March 2026. Tests move it by hand; nothing waits. */
const START = Date.parse('2026-03-10T10:00:00.000Z');
const TODAY = '2026-03-10';
const daysAgo = (n: number) => new Date(START - n * DAY).toISOString().slice(0, 10);

interface RequestView {
  id: string;
  customerId: string;
  customerName: string | null;
  customerPresent: boolean;
  type: string;
  status: string;
  receivedOn: string;
  originalDueOn: string;
  dueOn: string;
  urgency: string;
  daysLeft: number | null;
  extensionReason: string | null;
  refusalReason: string | null;
  hasExtensionReason: boolean;
  hasRefusalReason: boolean;
  closedVia: string | null;
  linkedApprovalId: string | null;
  linkedCorrectionId: string | null;
  linkedExportId: string | null;
}

describe('data-subject requests', () => {
  let t: CustomerTestCore;
  let db: Db;
  let files: TestFileSaver;
  let saveDir: string;
  let now = START;
  let jane: string;
  let ravi: string;

  const open = async (customerId: string, type: string, receivedOn: string, who: 'staff' | 'manager' = 'staff'): Promise<RequestView> =>
    (await t.as(who, 'subjectRequests.open', { customerId, type, channel: 'email', receivedOn })).request;

  before(async () => {
    saveDir = mkdtempSync(join(tmpdir(), 'itpc-saves-'));
    files = directoryFileSaver(saveDir);
    t = await startCustomerCore({ clock: { now: () => now }, fileSaver: files });
    db = t.openDb();
    jane = (await t.as('staff', 'customers.create', sampleCustomer({ consents: { newsletter: true }, consentChannel: 'web_form' }))).customer.id;
    ravi = (await t.as('staff', 'customers.create', sampleCustomer({ givenName: 'Ravi', familyName: 'Patel', email: 'ravi.patel@example.com' }))).customer.id;
    await t.as('staff', 'orders.create', sampleOrder(jane));
  });
  after(async () => {
    await db.destroy();
    await t.cleanup();
    rmSync(saveDir, { recursive: true, force: true });
  });

  describe('the tracker', () => {
    test('due date is the received date plus the office deadline (30 days by default, then the setting)', async () => {
      const first = await open(jane, 'correction', TODAY);
      assert.equal(first.receivedOn, TODAY);
      assert.equal(first.dueOn, '2026-04-09');
      assert.equal(first.originalDueOn, '2026-04-09');
      assert.equal(first.status, 'open');
      assert.equal(first.customerName, 'Jane D.');
      await t.as('admin', 'settings.update', { requestDeadlineDays: 45 });
      const second = await open(jane, 'access', daysAgo(5));
      assert.equal(second.dueOn, '2026-04-19', '5 March + 45 days');
      await t.as('admin', 'settings.update', { requestDeadlineDays: 30 });
    });

    test('a received date in the future, an unreal date or an unknown customer is refused and nothing is stored', async () => {
      const before = await tableCounts(t);
      const future = await t.try('staff', 'subjectRequests.open', { customerId: jane, type: 'access', channel: 'email', receivedOn: '2026-03-12' });
      assert.match(expectError(future, 'INVALID_INPUT'), /cannot be in the future/);
      expectError(await t.try('staff', 'subjectRequests.open', { customerId: jane, type: 'access', channel: 'email', receivedOn: '2026-02-30' }), 'INVALID_INPUT');
      expectError(await t.try('staff', 'subjectRequests.open', { customerId: jane, type: 'objection', channel: 'email', receivedOn: TODAY }), 'INVALID_INPUT');
      expectError(await t.try('staff', 'subjectRequests.open', { customerId: '00000000-0000-4000-8000-000000000000', type: 'access', channel: 'email', receivedOn: TODAY }), 'NOT_FOUND');
      assert.deepEqual({ ...(await tableCounts(t)), audit_events: 0 }, { ...before, audit_events: 0 });
    });

    test('overdue and due this week follow the clock; the home summary lists both', async () => {
      const late = await open(ravi, 'deletion', daysAgo(31));
      const dueToday = await open(ravi, 'access', daysAgo(30));
      const soon = await open(ravi, 'correction', daysAgo(25));
      const notYet = await open(ravi, 'correction', daysAgo(23));
      assert.deepEqual([late, dueToday, soon, notYet].map((r) => [r.urgency, r.daysLeft]), [
        ['overdue', -1],
        ['due_this_week', 0],
        ['due_this_week', 5],
        ['later', 7],
      ]);
      const summary = await t.as('staff', 'subjectRequests.summary', {});
      assert.equal(summary.today, TODAY);
      const ids = (rows: RequestView[]) => rows.map((r) => r.id);
      assert.ok(ids(summary.overdue).includes(late.id));
      assert.ok(ids(summary.dueThisWeek).includes(dueToday.id) && ids(summary.dueThisWeek).includes(soon.id));
      assert.ok(!ids(summary.dueThisWeek).includes(late.id) && !ids(summary.dueThisWeek).includes(notYet.id));
      // Auditors follow the tracker without customer names.
      const audited = await t.as('auditor', 'subjectRequests.summary', {});
      const seen = audited.overdue.find((r: RequestView) => r.id === late.id);
      assert.equal(seen.customerName, null);
      assert.equal(seen.customerPresent, true);
    });

    test('urgency moves with the date: due on the 15th is overdue on the 16th, never before', () => {
      assert.equal(urgencyOf('2026-03-15', false, '2026-03-15'), 'due_this_week');
      assert.equal(urgencyOf('2026-03-15', false, '2026-03-16'), 'overdue');
      assert.equal(urgencyOf('2026-03-15', false, '2026-03-08'), 'later');
      assert.equal(urgencyOf('2026-03-15', false, '2026-03-09'), 'due_this_week');
      assert.equal(urgencyOf('2026-03-01', true, '2026-03-16'), 'closed');
      assert.equal(addDays('2026-02-27', 30), '2026-03-29');
      assert.equal(latestReceivedOn(Date.parse('2026-03-10T12:00:00Z')), '2026-03-11', 'a workstation east of UTC may already be on the 11th');
    });

    test('one extension, by a manager, with a sealed reason; a second is refused', async () => {
      const request = await open(ravi, 'access', daysAgo(10));
      const reason = 'Archived orders sit with the Leeds warehouse';
      expectError(await t.try('staff', 'subjectRequests.extend', { requestId: request.id, extensionDays: 30, reason }), 'FORBIDDEN');
      expectError(await t.try('manager', 'subjectRequests.extend', { requestId: request.id, extensionDays: 61, reason }), 'INVALID_INPUT');
      expectError(await t.try('manager', 'subjectRequests.extend', { requestId: request.id, extensionDays: 14, reason: 'short' }), 'INVALID_INPUT');
      const extended = (await t.as('manager', 'subjectRequests.extend', { requestId: request.id, extensionDays: 30, reason })).request as RequestView;
      assert.equal(extended.status, 'extended');
      assert.equal(extended.originalDueOn, '2026-03-30');
      assert.equal(extended.dueOn, '2026-04-29');
      assert.equal(extended.extensionReason, reason);
      const again = await t.try('manager', 'subjectRequests.extend', { requestId: request.id, extensionDays: 5, reason });
      assert.match(expectError(again, 'CONFLICT'), /already extended once/);

      // The reason is ciphertext in the row, and the auditor sees only that one exists.
      const row = await db('subject_requests').where({ id: request.id }).first();
      assert.ok(!JSON.stringify(row).includes('Leeds warehouse'));
      assert.ok(!Buffer.from(row.extension_reason).toString('latin1').includes('Leeds'));
      const forAuditor = (await t.as('auditor', 'subjectRequests.list', {})).requests.find((r: RequestView) => r.id === request.id);
      assert.equal(forAuditor.extensionReason, null);
      assert.equal(forAuditor.hasExtensionReason, true);
      const events = await db('audit_events').where({ action: 'subject_request.extended', outcome: 'ok' }).select('details');
      assert.equal(events.length, 1);
      assert.ok(!events[0].details.includes('Leeds'), 'the reason is never audited');
    });

    test('two managers extending at once: exactly one wins', async () => {
      const request = await open(ravi, 'correction', TODAY);
      const reason = 'Waiting for the customer to send proof of address';
      const results = await Promise.all([
        t.try('manager', 'subjectRequests.extend', { requestId: request.id, extensionDays: 10, reason }),
        t.try('manager2', 'subjectRequests.extend', { requestId: request.id, extensionDays: 20, reason }),
      ]);
      assert.equal(results.filter((r) => r.ok).length, 1);
      assert.deepEqual(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.code)), ['CONFLICT']);
    });

    test('refusal needs a manager and a reason; a closed request cannot change again', async () => {
      const request = await open(ravi, 'correction', TODAY);
      const reason = 'The requester could not prove they are the customer';
      expectError(await t.try('staff', 'subjectRequests.refuse', { requestId: request.id, reason }), 'FORBIDDEN');
      expectError(await t.try('manager', 'subjectRequests.refuse', { requestId: request.id }), 'INVALID_INPUT');
      const refused = (await t.as('manager', 'subjectRequests.refuse', { requestId: request.id, reason })).request as RequestView;
      assert.equal(refused.status, 'refused');
      assert.equal(refused.refusalReason, reason);
      assert.equal(refused.urgency, 'closed');
      expectError(await t.try('staff', 'subjectRequests.start', { requestId: request.id }), 'CONFLICT');
      expectError(await t.try('staff', 'subjectRequests.complete', { requestId: request.id }), 'CONFLICT');
      const closed = (await t.as('staff', 'subjectRequests.list', { state: 'closed' })).requests as RequestView[];
      assert.ok(closed.some((r) => r.id === request.id));
    });

    test('completion: access needs an export, deletion closes only through its approval, a correction may name its correction', async () => {
      const access = await open(ravi, 'access', TODAY);
      assert.match(expectError(await t.try('staff', 'subjectRequests.complete', { requestId: access.id }), 'CONFLICT'), /Export/);
      const deletion = await open(ravi, 'deletion', TODAY);
      assert.match(expectError(await t.try('staff', 'subjectRequests.complete', { requestId: deletion.id }), 'CONFLICT'), /approval/);

      const correction = await open(jane, 'correction', TODAY);
      const started = (await t.as('staff', 'subjectRequests.start', { requestId: correction.id })).request as RequestView;
      assert.equal(started.status, 'in_progress');
      const ravisCorrection = await t.as('staff', 'customers.correct', { customerId: ravi, changes: { phone: '+44 20 7946 0999' }, reason: 'Customer called', source: 'customer_request' });
      expectError(await t.try('staff', 'subjectRequests.complete', { requestId: correction.id, correctionId: ravisCorrection.correctionId }), 'NOT_FOUND');
      const janesCorrection = await t.as('staff', 'customers.correct', { customerId: jane, changes: { phone: '+44 20 7946 0777' }, reason: 'Customer wrote in', source: 'customer_request' });
      const done = (await t.as('staff', 'subjectRequests.complete', { requestId: correction.id, correctionId: janesCorrection.correctionId })).request as RequestView;
      assert.equal(done.status, 'completed');
      assert.equal(done.closedVia, 'staff');
      assert.equal(done.linkedCorrectionId, janesCorrection.correctionId);
    });

    test('port: a deletion request linked to an approval closes when the approval is carried out or denied', async () => {
      const approvalId = '11111111-1111-4111-8111-111111111111';
      const deniedApproval = '22222222-2222-4222-8222-222222222222';
      const at = new Date(START).toISOString();
      const filed = await db.transaction((trx) => openRequest(trx, { customerId: ravi, type: 'deletion', channel: 'letter', receivedOn: TODAY, createdBy: t.userId.staff, at, linkedApprovalId: approvalId }));
      const linkedLater = await open(ravi, 'deletion', TODAY);
      await db.transaction((trx) => linkDeletionApproval(trx, linkedLater.id, deniedApproval, at));
      await assert.rejects(
        db.transaction(async (trx) => linkDeletionApproval(trx, (await openRequest(trx, { customerId: ravi, type: 'access', channel: 'email', receivedOn: TODAY, createdBy: null, at })), deniedApproval, at)),
        { code: 'CONFLICT' },
      );

      assert.deepEqual(await db.transaction((trx) => completeLinkedRequest(trx, approvalId, 'completed', { at, actorId: t.userId.manager })), [filed]);
      assert.deepEqual(await db.transaction((trx) => completeLinkedRequest(trx, approvalId, 'completed', { at, actorId: t.userId.manager })), [], 'already closed');
      assert.deepEqual(await db.transaction((trx) => completeLinkedRequest(trx, deniedApproval, 'refused', { at, actorId: t.userId.manager })), [linkedLater.id]);
      const closed = (await t.as('manager', 'subjectRequests.list', { state: 'closed', customerId: ravi })).requests as RequestView[];
      const byId = new Map(closed.map((r) => [r.id, r]));
      assert.equal(byId.get(filed)?.status, 'completed');
      assert.equal(byId.get(filed)?.closedVia, 'approval');
      assert.equal(byId.get(filed)?.linkedApprovalId, approvalId);
      assert.equal(byId.get(linkedLater.id)?.status, 'refused');
    });

    test('an entry outlives the customer’s deletion: ids, dates and status stay, the sealed reason is gone', async () => {
      const gone = (await t.as('staff', 'customers.create', sampleCustomer({ givenName: 'Gone', familyName: 'Person', email: 'gone.person@example.com' }))).customer.id;
      const request = await open(gone, 'deletion', TODAY);
      const refused = await t.as('manager', 'subjectRequests.refuse', { requestId: request.id, reason: 'Legal hold on the account for an open dispute' });
      assert.equal(refused.request.refusalReason, 'Legal hold on the account for an open dispute');

      // Deleted through an approved deletion request: the key destroyed, every row about the customer gone.
      const filed = (await t.as('staff', 'erasure.file', { customerId: gone, reason: 'no_longer_uses', channel: 'email' })).request;
      await t.reauth('manager');
      await t.as('manager', 'erasure.decide', { id: filed.id, decision: 'approve' });
      const deleted = ((await t.as('manager', 'subjectRequests.list', { state: 'closed', customerId: gone })).requests as RequestView[])[0]!;
      assert.equal(deleted.id, request.id);
      assert.equal(deleted.customerPresent, false);
      assert.equal(deleted.customerName, null);
      assert.match(deleted.refusalReason ?? '', /erased/);
      assert.equal(deleted.status, 'refused');
      expectError(await t.try('staff', 'subjectRequests.open', { customerId: gone, type: 'access', channel: 'email', receivedOn: TODAY }), 'NOT_FOUND');
      assert.equal(deleted.receivedOn, TODAY);
    });

    test('recipients to tell: empty, with a note, when the register shows no release about the customer', async () => {
      const answer = await t.as('auditor', 'subjectRequests.recipients', { customerId: jane });
      assert.deepEqual(answer.recipients, []);
      assert.match(answer.note, /shows no recipient/);
      expectError(await t.try('admin', 'subjectRequests.recipients', { customerId: jane }), 'FORBIDDEN');
    });
  });

  describe('access export', () => {
    const exportAs = (format: 'json' | 'pdf', customerId: string, requestId?: string) =>
      t.try('manager', 'subjectRequests.exportAccess', { customerId, format, ...(requestId ? { requestId } : {}) });

    before(async () => {
      // Six minutes on: every sign-in's password confirmation has lapsed (idle lock is ten); only 'manager' re-enters it.
      now = START + 6 * 60_000;
      await t.reauth('manager');
      // An opening for a stated purpose, to appear in the accounting of who viewed the record.
      await t.as('staff', 'customers.open', { customerId: jane, purpose: 'customer_support' });
    });

    test('staff may not export; a manager must re-enter the password', async () => {
      expectError(await t.try('staff', 'subjectRequests.exportAccess', { customerId: jane, format: 'json' }), 'FORBIDDEN');
      expectError(await t.try('manager2', 'subjectRequests.exportAccess', { customerId: jane, format: 'json' }), 'REAUTH_REQUIRED');
      assert.equal(files.requests.length, 0, 'no dialog was shown');
    });

    test('JSON: everything held, the card masked, the viewings with purposes, disclosures noted; linked to the request', async () => {
      const request = await open(jane, 'access', TODAY);
      const result = await exportAs('json', jane, request.id);
      assert.ok(result.ok, JSON.stringify(result));
      const { fileName, exportId, saved } = result.value as { fileName: string; exportId: string; saved: boolean };
      assert.equal(saved, true);
      assert.equal(files.requests.at(-1)!.filter.extensions[0], 'json');
      const path = files.chosen.at(-1)!;
      assert.equal(fileName, path.split('/').at(-1));
      const text = readFileSync(path, 'utf8');
      const body = JSON.parse(text);
      assert.equal(body.format, 'itpc-access-export/1');
      assert.equal(body.exportId, exportId);
      assert.equal(body.profile.givenName, 'Jane');
      assert.equal(body.profile.email, 'jane.doe@example.com');
      assert.equal(body.orders.length, 1);
      assert.equal(body.orders[0].card.last4, '1111');
      assert.ok(!text.includes('4111111111111111') && !text.includes('411111'), 'no full card number and no issuer digits');
      assert.ok(body.orders[0].items.some((i: { name: string }) => i.name === 'iTechno Suite licence'));
      assert.equal(body.consents.states.find((s: { purpose: string }) => s.purpose === 'newsletter').granted, true);
      assert.equal(body.consents.history.length, 1);
      assert.ok(body.corrections.length >= 1, 'the earlier phone correction is there');
      const viewing = body.recordAccess.find((r: { purpose: string | null }) => r.purpose === 'customer_support');
      assert.equal(viewing.viewedBy, 'Sam Staff');
      assert.deepEqual(body.disclosures, []);
      assert.match(body.notes.disclosures, /shows nothing released/);
      if (process.platform !== 'win32') assert.equal(readFileSync(path).length > 0 && (await import('node:fs')).statSync(path).mode & 0o777, 0o600);

      const linked = ((await t.as('staff', 'subjectRequests.list', { customerId: jane })).requests as RequestView[]).find((r) => r.id === request.id)!;
      assert.equal(linked.linkedExportId, exportId);
      assert.equal(linked.status, 'in_progress');
      const done = await t.as('staff', 'subjectRequests.complete', { requestId: request.id });
      assert.equal(done.request.status, 'completed');

      // Audited with ids only.
      const event = await db('audit_events').where({ action: 'subject_request.access_exported' }).orderBy('seq', 'desc').first();
      const details = JSON.parse(event.details);
      assert.deepEqual({ customerId: details.customerId, exportId: details.exportId, saved: details.saved, format: details.format }, { customerId: jane, exportId, saved: true, format: 'json' });
      assert.ok(!event.details.includes('Jane') && !event.details.includes('example.com') && !event.details.includes(saveDir));
      // The next export lists this one in the accounting.
      const second = await exportAs('json', jane);
      assert.ok(second.ok);
      const again = JSON.parse(readFileSync(files.chosen.at(-1)!, 'utf8'));
      assert.ok(again.recordAccess.some((r: { action: string }) => r.action === 'subject_request.access_exported'));
    });

    test('PDF: pdftotext finds the name, the orders, the masked card and the disclosure note', async (ctx) => {
      if (!existsSync('/usr/bin/pdftotext')) return ctx.skip('pdftotext (poppler-utils) is not installed: run scripts/setup.sh');
      const result = await exportAs('pdf', jane);
      assert.ok(result.ok, JSON.stringify(result));
      const path = files.chosen.at(-1)!;
      assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-');
      const text = execFileSync('/usr/bin/pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
      assert.match(text, /Jane Doe/);
      assert.match(text, /jane\.doe@example\.com/);
      assert.match(text, /iTechno Suite licence/);
      assert.match(text, /Installation USB key/);
      assert.match(text, /ending 1111/);
      assert.match(text, /Customer support/);
      assert.match(text, /shows nothing released/);
      assert.doesNotMatch(text, /4111 ?1111 ?1111 ?1111|411111/);
    });

    test('cancelling the dialog writes nothing and records the cancel', async () => {
      const before = readdirSync(saveDir).length;
      files.answer = 'cancel';
      try {
        const result = await exportAs('pdf', jane);
        assert.deepEqual(result, { ok: true, value: { saved: false, fileName: null, exportId: null } });
      } finally {
        files.answer = 'save';
      }
      assert.equal(readdirSync(saveDir).length, before);
      const event = await db('audit_events').where({ action: 'subject_request.access_exported' }).orderBy('seq', 'desc').first();
      assert.equal(JSON.parse(event.details).saved, false);
    });

    test('a write that fails leaves no file, no link and an audited failure', async () => {
      const request = await open(jane, 'access', TODAY);
      files.overrideDir = join(saveDir, 'no-such-folder');
      try {
        const result = await exportAs('json', jane, request.id);
        assert.equal(result.ok, false);
      } finally {
        files.overrideDir = null;
      }
      const row = await db('subject_requests').where({ id: request.id }).first();
      assert.equal(row.linked_export_id, null);
      assert.equal(row.status, 'open');
      const event = await db('audit_events').where({ action: 'subject_request.access_exported' }).orderBy('seq', 'desc').first();
      assert.equal(event.outcome, 'failed');
    });

    test('a quarantined (minor’s) record is refused before any dialog, and no file is written', async () => {
      const minor = (await t.as('staff', 'customers.create', sampleCustomer({ givenName: 'Young', familyName: 'Person', email: 'young.person@example.com' }))).customer.id;
      await db.transaction((trx) => quarantineCustomer(trx, { customerId: minor, reason: 'reported_minor', at: new Date(START).toISOString() }));
      const request = await open(minor, 'deletion', TODAY);
      const listed = ((await t.as('manager', 'subjectRequests.list', { customerId: minor })).requests as (RequestView & { customerQuarantined: boolean })[])[0]!;
      assert.equal(listed.id, request.id);
      assert.equal(listed.customerQuarantined, true);
      assert.equal(listed.customerName, null, 'a quarantined record is never named in the tracker');
      const asked = files.requests.length;
      const files0 = readdirSync(saveDir).length;
      const result = await exportAs('pdf', minor);
      assert.match(expectError(result, 'FORBIDDEN'), /quarantined/);
      assert.equal(files.requests.length, asked, 'the save dialog was never shown');
      assert.equal(readdirSync(saveDir).length, files0);
      const event = await db('audit_events').where({ action: 'subject_request.access_exported' }).orderBy('seq', 'desc').first();
      assert.equal(event.outcome, 'failed');
      assert.equal(JSON.parse(event.details).customerId, minor);
    });

    test('an export for a request of another type or customer is refused', async () => {
      const correction = await open(jane, 'correction', TODAY);
      expectError(await exportAs('json', jane, correction.id), 'INVALID_INPUT');
      const ravisAccess = await open(ravi, 'access', TODAY);
      expectError(await exportAs('json', jane, ravisAccess.id), 'INVALID_INPUT');
    });

    test('the exported data reaches no log', async () => {
      const logs = readdirSync(join(t.dataDir, 'logs')).map((f) => readFileSync(join(t.dataDir, 'logs', f), 'utf8')).join('\n');
      assert.ok(!logs.includes('Jane') && !logs.includes('jane.doe'), 'no name or email in the logs');
    });
  });
});
