import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Papa from 'papaparse';
import { quarantineCustomer } from '../../main/features/customers/customers.port.node.ts';
import { addDays, dayOf } from '../../main/features/policy/noticePeriod.std.ts';
import type { Db } from '../../main/platform/store/database.node.ts';
import { expectError, PASSWORD, sampleCustomer, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';

const DAY = 86_400_000;
let t: CustomerTestCore;
let db: Db;
let emails = 0;

interface Made {
  id: string;
  email: string;
}
async function customer(overrides: Record<string, unknown> = {}): Promise<Made> {
  const email = `announce.${(emails += 1)}@example.com`;
  const { customer: made } = await t.as('staff', 'customers.create', sampleCustomer({ email, ...overrides }));
  return { id: made.id, email };
}
async function consent(c: Made, purpose: string, granted: boolean): Promise<void> {
  await t.as('staff', 'customers.setConsent', { customerId: c.id, purpose, granted, channel: 'email' });
}
/** Closed, quarantined (a minor), erased (key shredded) and deleted (no row at all): none may be reached. */
async function unreachable(): Promise<{ closed: Made; minor: Made; erased: Made }> {
  const closed = await customer();
  await t.as('staff', 'customers.setStatus', { customerId: closed.id, status: 'closed' });
  const minor = await customer();
  await quarantineCustomer(db, { customerId: minor.id, reason: 'reported_minor', at: new Date(t.clock.now()).toISOString() });
  const erased = await customer();
  await db('customer_keys').where({ customer_id: erased.id }).update({ wrapped_key: null, shredded_at: new Date(t.clock.now()).toISOString() });
  return { closed, minor, erased };
}
const readCsv = (fileName: string) => Papa.parse<Record<string, string>>(readFileSync(join(t.dataDir, 'exports', fileName), 'utf8'), { header: true, skipEmptyLines: true }).data;

async function advanceDays(days: number): Promise<void> {
  t.clock.advance(days * DAY);
  for (const who of ['staff', 'manager', 'manager2'] as const) await t.as(who, 'session.unlock', { password: PASSWORD });
}

before(async () => {
  t = await startCustomerCore();
  db = t.openDb();
});
after(async () => {
  await db.destroy();
  await t.cleanup();
});

describe('announcements', () => {
  const v1: Made[] = [];
  const v2: Made[] = [];
  let excluded: { closed: Made; minor: Made; erased: Made };
  let version2 = '';
  let affected = '';

  test('a material change lists exactly the customers collected under earlier versions', async () => {
    for (let i = 0; i < 3; i += 1) v1.push(await customer());
    excluded = await unreachable();
    const { version } = await t.as('manager', 'policy.createDraft', {});
    await t.as('manager', 'policy.saveDraft', { id: version.id, revision: version.revision, title: 'Privacy Policy', body: `${version.body}\n\nResearch use.` });
    await t.reauth('manager');
    const today = dayOf(t.clock.now());
    await t.as('manager', 'policy.publish', { id: version.id, changeSummary: 'Research use of addresses', material: true, effectiveDate: addDays(today, 30) });
    version2 = version.id;
    await advanceDays(30);
    for (let i = 0; i < 2; i += 1) v2.push(await customer());

    const counts = await t.as('manager', 'announcements.audienceCounts', { policyVersionId: version2 });
    assert.deepEqual(counts, { allActive: 5, affectedOnly: 3, earlierVersions: ['1'] });
    const taskId = randomUUID();
    const progress: number[] = [];
    const stop = t.core.onEvent((_sender, event, payload) => {
      if (event === 'progress' && (payload as { taskId: string }).taskId === taskId) progress.push((payload as { done: number }).done);
    });
    const { announcement } = await t.as('manager', 'announcements.create', {
      taskId,
      policyVersionId: version2,
      title: 'We are changing how we use your address',
      summary: 'From next month we may use your address for research. Read the new policy.',
      audience: 'affected_only',
      channel: 'email_batch',
    });
    stop();
    affected = announcement.id;
    assert.equal(announcement.status, 'ready');
    assert.equal(announcement.recipientCount, 3);
    assert.deepEqual(progress.at(-1), 3);
    const { recipients } = await t.as('staff', 'announcements.recipients', { announcementId: affected, limit: 200 });
    assert.deepEqual(recipients.map((r: { customerId: string }) => r.customerId).sort(), v1.map((c) => c.id).sort());
    assert.ok(recipients.every((r: { status: string; displayName: string }) => r.status === 'queued' && r.displayName === 'Jane D.'));
    // One announcement per version.
    expectError(
      await t.try('manager', 'announcements.create', { taskId: randomUUID(), policyVersionId: version2, title: 'Again', summary: 'Again', audience: 'all_active', channel: 'letter_list' }),
      'CONFLICT',
    );
  });

  test('the mailing list holds the recipients’ addresses only, and leaves out anyone erased since', async () => {
    const { fileName, rows, saved } = await t.as('manager', 'announcements.exportMailingList', { announcementId: affected, taskId: randomUUID() });
    assert.equal(saved, true);
    assert.equal(rows, 3);
    const list = readCsv(fileName);
    assert.deepEqual(list.map((r) => r.email).sort(), v1.map((c) => c.email).sort());
    assert.deepEqual(Object.keys(list[0]!), ['recipient_id', 'email', 'given_name', 'family_name', 'organisation', 'policy_version']);
    for (const c of Object.values(excluded)) assert.equal(list.some((r) => r.email === c.email), false);
    // Erased after the list was prepared: not in the file written now.
    await db('customer_keys').where({ customer_id: v1[2]!.id }).update({ wrapped_key: null, shredded_at: new Date(t.clock.now()).toISOString() });
    const again = await t.as('manager', 'announcements.exportMailingList', { announcementId: affected, taskId: randomUUID() });
    assert.equal(again.rows, 2);
    assert.equal(readCsv(again.fileName).some((r) => r.email === v1[2]!.email), false);
  });

  test('the results import updates valid rows, reports unknown and malformed rows by line, and changes nothing else', async () => {
    const [a, b, c] = v1;
    const stranger = v2[0]!;
    const before = await db('announcement_recipients').where({ announcement_id: affected }).orderBy('customer_id');
    const csv = [
      'recipient_id,status,email',
      `${a!.id},delivered,${a!.email}`,
      `${b!.id},bounced,${b!.email}`,
      `${stranger.id},sent,${stranger.email}`,
      `not-an-id,sent,someone@example.com`,
      `${c!.id},opened-twice,${c!.email}`,
      `${c!.id},sent`,
      `${randomUUID()},sent,ghost@example.com`,
    ].join('\n');
    const result = await t.as('manager', 'announcements.importResults', { announcementId: affected, csv });
    assert.equal(result.updated, 2);
    assert.deepEqual(
      result.problems.map((p: { line: number }) => p.line),
      [4, 5, 6, 7, 8],
    );
    for (const p of result.problems as { problem: string }[]) assert.doesNotMatch(p.problem, /@|example|[0-9a-f]{8}-/i, 'no value is echoed');
    const afterRows = await db('announcement_recipients').where({ announcement_id: affected }).orderBy('customer_id');
    const status = new Map(afterRows.map((r: { customer_id: string; status: string }) => [r.customer_id, r.status]));
    assert.equal(status.get(a!.id), 'sent');
    assert.equal(status.get(b!.id), 'bounced');
    assert.equal(status.get(c!.id), 'queued');
    assert.equal(afterRows.length, before.length);
    expectError(await t.try('manager', 'announcements.importResults', { announcementId: affected, csv: 'email,outcome\nx@example.com,sent' }), 'INVALID_INPUT');
  });

  test('an acknowledgement is recorded once and is final', async () => {
    const [a] = v1;
    const { recipient } = await t.as('staff', 'announcements.acknowledge', { announcementId: affected, customerId: a!.id });
    assert.equal(recipient.status, 'acknowledged');
    expectError(await t.try('staff', 'announcements.acknowledge', { announcementId: affected, customerId: a!.id }), 'CONFLICT');
    expectError(await t.try('staff', 'announcements.acknowledge', { announcementId: affected, customerId: v2[0]!.id }), 'NOT_FOUND');
    await t.as('manager', 'announcements.importResults', { announcementId: affected, csv: `recipient_id,status\n${a!.id},bounced` });
    const row = await db('announcement_recipients').where({ announcement_id: affected, customer_id: a!.id }).first();
    assert.equal(row.status, 'acknowledged');
    assert.equal(row.acknowledged_by, t.userId.staff);
    const [listed] = (await t.as('manager', 'announcements.list', {})).announcements;
    assert.deepEqual(listed.counts, { queued: 1, sent: 0, bounced: 1, acknowledged: 1 });
  });
});

describe('marketing audiences', () => {
  test('the export holds only active adult customers with current consent to that purpose, and is audited', async () => {
    const yes = await customer();
    await consent(yes, 'newsletter', true);
    const withdrawn = await customer();
    await consent(withdrawn, 'newsletter', true);
    await consent(withdrawn, 'newsletter', false);
    const never = await customer();
    await consent(never, 'research', true);
    const { closed, minor, erased } = await unreachable();
    // Deleted outright (the erasure that leaves only a tombstone elsewhere): no customer row at all.
    const deleted = await customer();
    await consent(deleted, 'newsletter', true);
    for (const table of ['consent_events', 'customer_consents', 'customer_keys', 'customers']) await db(table).where(table === 'customers' ? { id: deleted.id } : { customer_id: deleted.id }).delete();
    for (const c of [closed, minor, erased]) await db('customer_consents').insert({ customer_id: c.id, purpose: 'newsletter', granted: true, channel: 'email', changed_at: new Date().toISOString(), policy_version: '1' });

    const { counts } = await t.as('manager', 'audiences.counts', {});
    const newsletter = counts.find((c: { purpose: string }) => c.purpose === 'newsletter').count;
    const exported = await t.as('manager', 'audiences.export', { purpose: 'newsletter', taskId: randomUUID() });
    assert.equal(exported.rows, newsletter);
    const emailsInFile = readCsv(exported.fileName).map((r) => r.email);
    assert.ok(emailsInFile.includes(yes.email));
    for (const c of [withdrawn, never, closed, minor, erased, deleted]) assert.equal(emailsInFile.includes(c.email), false, 'excluded');
    const event = await db('audit_events').where({ action: 'audience.exported' }).orderBy('seq', 'desc').first();
    assert.deepEqual(JSON.parse(event.details), { purpose: 'newsletter', saved: true, rows: newsletter });
    expectError(await t.try('staff', 'audiences.export', { purpose: 'newsletter', taskId: randomUUID() }), 'FORBIDDEN');
  });
});

describe('recipient listing after a restart', () => {
  test('a listing a dead process left running resumes from its cursor; a roll-back removes the announcement', async () => {
    const { JobRunner } = await import('../../main/platform/jobs/jobRunner.node.ts');
    const { recipientsJob, RECIPIENTS_JOB } = await import('../../main/features/announcements/recipientsJob.node.ts');
    const now = () => new Date(t.clock.now()).toISOString();
    const reachable = (await db('customers').where({ status: 'active' }).whereNull('quarantined_at').count<{ n: number }[]>('* as n'))[0]!.n;
    const { versions } = await t.as('manager', 'policy.list', {});
    const v1 = versions.find((v: { version: number }) => v.version === 1);
    const announcementId = randomUUID();
    const jobId = randomUUID();
    await db('announcements').insert({ id: announcementId, policy_version_id: v1.id, title: 'T', summary: 'S', audience: 'all_active', channel: 'letter_list', status: 'preparing', job_id: jobId, recipient_count: 0, created_by: null, created_at: now() });
    await db('jobs').insert({ id: jobId, kind: RECIPIENTS_JOB, state: 'running', done: 0, total: null, cursor: JSON.stringify({ announcementId, after: null, listed: 0 }), started_by: null, error_code: null, created_at: now(), updated_at: now(), finished_at: null, owner: null });
    const runner = new JobRunner(db, { now: () => t.clock.now(), nowIso: now }, { owner: 'test-workstation' });
    runner.register(recipientsJob(now));
    assert.deepEqual(await runner.recover(), { resumed: [jobId], rolledBack: [] });
    await runner.idle();
    const listed = await db('announcements').where({ id: announcementId }).first();
    assert.equal(listed.status, 'ready');
    assert.ok(Number(listed.recipient_count) > 0);
    assert.ok(Number(listed.recipient_count) <= Number(reachable));

    // Rolled back (killed while rolling back): recipients first, then the announcement itself.
    await db('jobs').where({ id: jobId }).update({ state: 'rolling_back', error_code: 'INTERRUPTED' });
    assert.deepEqual(await runner.recover(), { resumed: [], rolledBack: [jobId] });
    assert.equal(await db('announcements').where({ id: announcementId }).first(), undefined);
    assert.equal(Number((await db('announcement_recipients').where({ announcement_id: announcementId }).count<{ n: number }[]>('* as n'))[0]!.n), 0);
  });
});
