import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dayOf, addDays } from '../../main/features/policy/noticePeriod.std.ts';
import { renderPolicyHtml } from '../../main/features/policy/policyMarkdown.node.ts';
import { renderPolicyPreview } from '../../renderer/src/features/policy/markdown.ts';
import { PRIVACY_POLICY_VERSION_1 } from '../../main/platform/store/migrations/seed/privacyPolicy1.std.ts';
import { expectError, PASSWORD, sampleCustomer, startCustomerCore, type CustomerTestCore } from '../support/customers.ts';

const SEED = '/work/shared/seed/privacy-policy.txt';
const DAY = 86_400_000;
const hasPdfToText = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

interface Version {
  id: string;
  version: number;
  status: string;
  body: string;
  revision: number;
  material: boolean | null;
  effectiveDate: string | null;
  approvalId: string | null;
  inForce: boolean;
}
interface Notice {
  versionId: string;
  version: number;
  daysRemaining: number;
  effectiveDate: string;
}

let t: CustomerTestCore;
let emails = 0;
const today = () => dayOf(t.clock.now());
const newCustomer = async () => (await t.as('staff', 'customers.create', sampleCustomer({ email: `policy.${(emails += 1)}@example.com` }))).customer.id as string;
const policyOf = async (customerId: string) => (await t.as('staff', 'customers.open', { customerId, purpose: 'customer_support' })).policyVersion as string;
const notices = async (): Promise<Notice[]> => (await t.as('auditor', 'policy.notices', {})).notices;
const versions = async (): Promise<Version[]> => (await t.as('staff', 'policy.list', {})).versions;

/** Moves the clock on by whole days; the idle lock has locked every window meanwhile, so each unlocks again. */
async function advanceDays(days: number): Promise<void> {
  t.clock.advance(days * DAY);
  for (const who of ['staff', 'staff2', 'manager', 'manager2', 'auditor'] as const) await t.as(who, 'session.unlock', { password: PASSWORD });
}

/** Drafts the next version with `body` as `who`; returns it. */
async function draft(who: 'staff' | 'manager', body: string): Promise<Version> {
  const { version } = await t.as(who, 'policy.createDraft', {});
  return (await t.as(who, 'policy.saveDraft', { id: version.id, revision: version.revision, title: 'Privacy Policy', body })).version;
}

async function publish(id: string, material: boolean, effectiveDate: string): Promise<Version> {
  await t.reauth('manager');
  return (await t.as('manager', 'policy.publish', { id, changeSummary: 'What changed and why', material, effectiveDate })).version;
}

before(async () => {
  t = await startCustomerCore();
});
after(() => t.cleanup());

describe('policy versions', () => {
  test('version 1 is the company’s text, byte for byte, published and in force; existing records carry it', async (ctx) => {
    const [v1] = await versions();
    assert.equal(v1!.version, 1);
    assert.equal(v1!.status, 'published');
    assert.equal(v1!.inForce, true);
    const { version } = await t.as('auditor', 'policy.get', { id: v1!.id });
    assert.equal(version.body, PRIVACY_POLICY_VERSION_1);
    if (!existsSync(SEED)) return ctx.skip(`the seed file ${SEED} is not present on this machine`);
    assert.equal(Buffer.compare(Buffer.from(PRIVACY_POLICY_VERSION_1, 'utf8'), readFileSync(SEED)), 0);
  });

  test('a new customer, its order and its consents are stamped with the version in force', async () => {
    const customerId = await newCustomer();
    assert.equal(await policyOf(customerId), '1');
    const { order } = await t.as('staff', 'orders.create', {
      customerId,
      items: [{ sku: 'ITP-SUITE', name: 'iTechno Suite licence', kind: 'licence', quantity: 1 }],
      billing: { name: 'Jane Doe', address: { street: '1 Example Street', city: 'Leeds', postalCode: 'LS1 4AB', country: 'GB' } },
      card: { number: '4111 1111 1111 1111', expiryMonth: 12, expiryYear: new Date().getUTCFullYear() + 2 },
    });
    assert.equal(order.policyVersion, '1');
    const { consent } = await t.as('staff', 'customers.setConsent', { customerId, purpose: 'newsletter', granted: true, channel: 'phone' });
    assert.equal(consent.policyVersion, '1');
  });

  test('one open draft at a time; a save from a stale revision is refused; staff cannot publish directly', async () => {
    const mine = await draft('staff', '# Privacy Policy\n\nDraft text.');
    expectError(await t.try('manager', 'policy.createDraft', {}), 'CONFLICT');
    expectError(await t.try('staff2', 'policy.saveDraft', { id: mine.id, revision: mine.revision - 1, title: 'Privacy Policy', body: 'Other' }), 'CONFLICT');
    expectError(await t.try('staff', 'policy.publish', { id: mine.id, changeSummary: 'Wording', material: false, effectiveDate: today() }), 'FORBIDDEN');
    await t.as('manager', 'policy.archive', { id: mine.id });
    assert.equal((await t.as('staff', 'policy.get', { id: mine.id })).version.status, 'archived');
  });

  test('a material change with an effective date under 30 days is refused and nothing changes', async () => {
    const next = await draft('manager', `${PRIVACY_POLICY_VERSION_1}\n\nWe will also use your address for research.`);
    await t.reauth('manager');
    for (const days of [0, 1, 29]) {
      const refused = await t.try('manager', 'policy.publish', { id: next.id, changeSummary: 'New use', material: true, effectiveDate: addDays(today(), days) });
      assert.match(expectError(refused, 'INVALID_INPUT'), /at least 30 days/);
    }
    const still = (await t.as('manager', 'policy.get', { id: next.id })).version;
    assert.equal(still.status, 'draft');
    assert.equal(still.revision, next.revision);
    assert.deepEqual(await notices(), []);
    await t.as('manager', 'policy.archive', { id: next.id });
  });

  test('the notice is posted from publication until the effective date, counting down; records follow the version in force', async () => {
    const before = await newCustomer();
    const next = await draft('manager', `${PRIVACY_POLICY_VERSION_1}\n\nWe will also share your name with research partners.`);
    const published = await publish(next.id, true, addDays(today(), 30));
    assert.equal(published.status, 'published');
    assert.equal(published.inForce, false);
    assert.deepEqual((await notices()).map((n) => [n.version, n.daysRemaining]), [[published.version, 30]]);
    // During the notice period the previous version still applies to new data.
    assert.equal(await policyOf(await newCustomer()), '1');
    await advanceDays(29);
    assert.deepEqual((await notices()).map((n) => n.daysRemaining), [1]);
    await advanceDays(1);
    assert.deepEqual(await notices(), []);
    assert.equal((await t.as('staff', 'policy.get', { id: next.id })).version.inForce, true);
    const afterwards = await newCustomer();
    assert.equal(await policyOf(afterwards), String(published.version));
    assert.equal(await policyOf(before), '1');
    // Published text never changes.
    expectError(await t.try('manager', 'policy.saveDraft', { id: next.id, revision: published.revision, title: 'Privacy Policy', body: 'Rewritten' }), 'CONFLICT');
  });

  test('a drafter who is not a manager asks; another manager publishes through approvals; nobody approves their own request', async () => {
    const next = await draft('staff', `${PRIVACY_POLICY_VERSION_1}\n\nClarified wording.`);
    const requested = (
      await t.as('staff', 'policy.requestPublication', {
        id: next.id,
        changeSummary: 'Clarified wording only',
        material: false,
        effectiveDate: today(),
        reason: 'Legal asked for clearer wording in section 2',
      })
    ).version;
    assert.equal(requested.status, 'in_review');
    expectError(await t.try('staff', 'policy.saveDraft', { id: next.id, revision: requested.revision, title: 'Privacy Policy', body: 'Sneaky' }), 'CONFLICT');
    await t.reauth('manager');
    await t.as('manager', 'approvals.decide', { id: requested.approvalId, decision: 'approve' });
    const published = (await t.as('staff', 'policy.get', { id: next.id })).version;
    assert.equal(published.status, 'published');
    assert.equal(published.inForce, true);

    // A manager who files a request still cannot approve it.
    const own = await draft('manager', `${published.body}\n\nAnother clarification.`);
    const filed = (
      await t.as('manager', 'policy.requestPublication', { id: own.id, changeSummary: 'Wording', material: false, effectiveDate: today(), reason: 'Asking a colleague to check it' })
    ).version;
    expectError(await t.try('manager', 'approvals.decide', { id: filed.approvalId, decision: 'approve' }), 'FORBIDDEN');
    await t.as('manager', 'approvals.withdraw', { id: filed.approvalId });
    assert.equal((await t.as('manager', 'policy.reopenDraft', { id: own.id })).version.status, 'draft');
    await t.as('manager', 'policy.archive', { id: own.id });
  });

  test('a material request approved too late for its 30 days is refused and stays pending', async () => {
    const next = await draft('staff', `${PRIVACY_POLICY_VERSION_1}\n\nA later material change.`);
    const requested = (
      await t.as('staff', 'policy.requestPublication', {
        id: next.id,
        changeSummary: 'New use of addresses',
        material: true,
        effectiveDate: addDays(today(), 30),
        reason: 'Marketing wants to use addresses for research',
      })
    ).version;
    await advanceDays(1);
    await t.reauth('manager');
    assert.match(expectError(await t.try('manager', 'approvals.decide', { id: requested.approvalId, decision: 'approve' }), 'INVALID_INPUT'), /at least 30 days/);
    assert.equal((await t.as('staff', 'policy.get', { id: next.id })).version.status, 'in_review');
    const { pending } = await t.as('manager', 'approvals.list', {});
    assert.ok(pending.some((a: { id: string }) => a.id === requested.approvalId));
    await t.as('manager', 'approvals.decide', { id: requested.approvalId, decision: 'deny', reason: 'The notice would be shorter than 30 days' });
    assert.equal((await t.as('staff', 'policy.reopenDraft', { id: next.id })).version.status, 'draft');
    await t.as('manager', 'policy.archive', { id: next.id });
  });

  test('the latest published version exports as PDF and HTML with its version and effective date', async (ctx) => {
    const latest = (await versions()).find((v) => v.status === 'published' && v.inForce)!;
    const html = await t.as('staff', 'policy.export', { format: 'html' });
    assert.equal(html.saved, true);
    assert.equal(html.version, latest.version);
    const page = readFileSync(join(t.dataDir, 'exports', html.fileName), 'utf8');
    assert.match(page, new RegExp(`Version ${latest.version} · Effective ${latest.effectiveDate}`));
    assert.match(page, /Minors’ Information/);
    assert.doesNotMatch(page, /<script/i);
    const pdf = await t.as('auditor', 'policy.export', { format: 'pdf' });
    const file = join(t.dataDir, 'exports', pdf.fileName);
    assert.equal(readFileSync(file).subarray(0, 5).toString(), '%PDF-');
    if (!hasPdfToText) return ctx.skip('pdftotext (poppler-utils) is not installed');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.match(text, new RegExp(`Version ${latest.version} · Effective ${latest.effectiveDate}`));
    assert.match(text, /Minors’ Information/);
    assert.match(text, /Unenforceability/);
  });
});

describe('policy Markdown', () => {
  test('the editor preview renders exactly as the export', () => {
    const sample = `# Title\n\n- one\n- two\n\n${PRIVACY_POLICY_VERSION_1}\n\n<b>bold?</b> [x](javascript:alert(1))`;
    assert.equal(renderPolicyPreview(sample), renderPolicyHtml(sample));
  });

  test('raw HTML in a draft renders as text, never as markup', () => {
    const html = renderPolicyPreview('Hello <script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[link](javascript:alert(3))');
    assert.doesNotMatch(html, /<script|<img/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /&lt;img src=x onerror=&quot;alert\(2\)&quot;&gt;/);
    assert.doesNotMatch(html, /href="javascript:/);
  });
});

