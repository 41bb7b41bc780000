import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.std.ts';
import type { ApiEvents } from '../../platform/ipc/events.std.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { JobRunner } from '../../platform/jobs/jobRunner.node.ts';
import type { Db, Queryable } from '../../platform/store/database.node.ts';
import { inTransaction } from '../../platform/store/transaction.node.ts';
import {
  countReachable,
  reachableCustomerIds,
  stillReachable,
  type CustomerContact,
  type CustomerContacts,
  type MarketingPurpose,
  type ReachableCursor,
} from '../customers/customers.port.node.ts';
import { policyLabelsBefore, publishedPolicyVersion } from '../policy/policy.port.node.ts';
import type { AnnouncementChannel, Audience, RecipientStatus } from './announcements.contract.std.ts';
import { announcementStore, type AnnouncementRecord, type RecipientRecord } from './announcementStore.node.ts';
import { CSV_EXPORT_JOB, CsvExportWork, type CsvSource } from './csvExportJob.node.ts';
import { RECIPIENTS_JOB, RecipientsWork } from './recipientsJob.node.ts';
import { parseResults, truncateProblems, type ResultProblem } from './resultsImport.node.ts';

export type ProgressEmitter = (senderId: string, payload: ApiEvents['progress']) => void;
const NO_SUCH_ANNOUNCEMENT = 'No such announcement.';

const EMAIL_HEADER = ['recipient_id', 'email', 'given_name', 'family_name', 'organisation', 'policy_version'] as const;
const LETTER_HEADER = ['recipient_id', 'name', 'organisation', 'street', 'city', 'region', 'postal_code', 'country', 'policy_version'] as const;
const AUDIENCE_HEADER = ['customer_id', 'email', 'given_name', 'family_name', 'organisation', 'purpose'] as const;

function mailingRow(channel: AnnouncementChannel, id: string, c: CustomerContact, version: number): string[] {
  const a = c.shippingAddress;
  return channel === 'email_batch'
    ? [id, c.email, c.givenName, c.familyName, c.organisationName ?? '', String(version)]
    : [id, `${c.givenName} ${c.familyName}`, c.organisationName ?? '', a.street, a.city, a.region ?? '', a.postalCode, a.country, String(version)];
}

/**
 * Announcements of policy changes (one per published version) and marketing audiences. Recipient lists and
 * files are jobs: batches with progress, so 100k recipients never hold the store for long. Addresses are opened
 * only into the file the user chose.
 */
export class AnnouncementService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly jobs: JobRunner,
    private readonly contacts: CustomerContacts,
    private readonly progress: ProgressEmitter,
  ) {}

  async list(q: Queryable): Promise<{ announcement: AnnouncementRecord; counts: Record<RecipientStatus, number> }[]> {
    const all = await announcementStore.list(q);
    const counts = await announcementStore.statusCounts(q, all.map((a) => a.id));
    return all.map((announcement) => ({ announcement, counts: counts.get(announcement.id)! }));
  }

  async get(q: Queryable, id: string): Promise<{ announcement: AnnouncementRecord; counts: Record<RecipientStatus, number> }> {
    const announcement = await announcementStore.get(q, id);
    if (!announcement) throw new AppError('NOT_FOUND', NO_SUCH_ANNOUNCEMENT);
    return { announcement, counts: (await announcementStore.statusCounts(q, [id])).get(id)! };
  }

  /** How many each audience would reach now, and which earlier versions "affected" means. */
  async audienceCounts(q: Queryable, policyVersionId: string): Promise<{ allActive: number; affectedOnly: number; earlierVersions: string[] }> {
    const version = await publishedPolicyVersion(q, policyVersionId);
    if (!version) throw new AppError('NOT_FOUND', 'No such published policy version.');
    const earlierVersions = await policyLabelsBefore(q, version.version);
    return { allActive: await countReachable(q, {}), affectedOnly: await countReachable(q, { collectedUnder: earlierVersions }), earlierVersions };
  }

  /**
   * Creates the announcement (one per published version) and lists its recipients in a job; resolves once the
   * list is complete. A failed or interrupted listing removes the announcement again, so it can be retried.
   */
  async create(
    input: { taskId: string; policyVersionId: string; title: string; summary: string; audience: Audience; channel: AnnouncementChannel },
    caller: { userId: string; senderId: string },
    audit: (q: Queryable, announcementId: string) => Promise<void>,
  ): Promise<AnnouncementRecord> {
    const id = randomUUID();
    const total = await inTransaction(this.db, async (trx) => {
      const version = await publishedPolicyVersion(trx, input.policyVersionId);
      if (!version) throw new AppError('NOT_FOUND', 'Only a published policy version can be announced.');
      if (await announcementStore.forVersion(trx, version.id)) throw new AppError('CONFLICT', `Version ${version.version} already has its announcement.`);
      await announcementStore.insert(trx, {
        id,
        policyVersionId: version.id,
        title: input.title,
        summary: input.summary,
        audience: input.audience,
        channel: input.channel,
        status: 'preparing',
        jobId: null,
        recipientCount: 0,
        createdBy: caller.userId,
        createdAt: this.clock.nowIso(),
      });
      await audit(trx, id);
      return input.audience === 'all_active' ? countReachable(trx, {}) : countReachable(trx, { collectedUnder: await policyLabelsBefore(trx, version.version) });
    });
    const handle = await this.jobs.start(RECIPIENTS_JOB, new RecipientsWork(id, () => this.clock.nowIso()), {
      startedBy: caller.userId,
      total,
      onProgress: (job) => this.progress(caller.senderId, { taskId: input.taskId, done: job.done, total: Math.max(total, job.done) }),
    });
    await announcementStore.setJob(this.db, id, handle.id);
    await handle.result;
    return (await this.get(this.db, id)).announcement;
  }

  async recipients(
    q: Queryable,
    input: { announcementId: string; status?: RecipientStatus; offset: number; limit: number },
  ): Promise<{ recipients: RecipientRecord[]; total: number }> {
    await this.get(q, input.announcementId);
    return announcementStore.listRecipients(q, input);
  }

  /** Writes the mailing list to `path` in a job; customers no longer reachable (erased, closed, quarantined) are skipped. */
  async exportMailingList(input: { announcementId: string; taskId: string }, caller: { userId: string; senderId: string }, path: string): Promise<number> {
    const { announcement } = await this.get(this.db, input.announcementId);
    if (announcement.status !== 'ready') throw new AppError('CONFLICT', 'The recipients are still being listed; export once the list is ready.');
    const version = await publishedPolicyVersion(this.db, announcement.policyVersionId);
    const source: CsvSource = {
      header: announcement.channel === 'email_batch' ? EMAIL_HEADER : LETTER_HEADER,
      page: async (trx, after, limit) => {
        const page = await announcementStore.recipientPage(trx, announcement.id, typeof after === 'string' ? after : null, limit);
        const ids = page.map((r) => r.customerId);
        const reachable = await stillReachable(trx, ids);
        const contacts = await this.contacts.contactsOf(trx, ids.filter((i) => reachable.has(i)));
        const rows = ids.filter((i) => contacts.has(i)).map((i) => mailingRow(announcement.channel, i, contacts.get(i)!, version?.version ?? 0));
        return { rows, after: ids.at(-1) ?? after, exhausted: page.length < limit };
      },
    };
    return this.runExport(source, path, announcement.recipientCount, input.taskId, caller);
  }

  private async runExport(source: CsvSource, path: string, total: number, taskId: string, caller: { userId: string; senderId: string }): Promise<number> {
    const handle = await this.jobs.start(CSV_EXPORT_JOB, new CsvExportWork(source, path), {
      startedBy: caller.userId,
      total,
      onProgress: (job) => this.progress(caller.senderId, { taskId, done: job.done, total: Math.max(total, job.done) }),
    });
    return (await handle.result).done;
  }

  /**
   * Applies the mail system's results: valid rows about this announcement's recipients set sent / bounced (an
   * acknowledgement is final and stays); every other row is reported by line and changes nothing.
   */
  async importResults(
    q: Queryable,
    input: { announcementId: string; csv: string },
  ): Promise<{ rows: number; updated: number; unchanged: number; problemRows: number; problems: ResultProblem[]; problemsTruncated: boolean }> {
    await this.get(q, input.announcementId);
    const parsed = parseResults(input.csv);
    if (parsed.fileProblem) throw new AppError('INVALID_INPUT', `${parsed.fileProblem} Nothing was changed.`);
    const problems = [...parsed.problems];
    const known = await announcementStore.statusesOf(q, input.announcementId, parsed.rows.map((r) => r.recipientId));
    const byStatus: Record<'sent' | 'bounced', string[]> = { sent: [], bounced: [] };
    let unchanged = 0;
    for (const row of parsed.rows) {
      const current = known.get(row.recipientId);
      if (!current) problems.push({ line: row.line, problem: 'Not a recipient of this announcement' });
      else if (current === row.status || current === 'acknowledged') unchanged += 1;
      else byStatus[row.status].push(row.recipientId);
    }
    const at = this.clock.nowIso();
    let updated = 0;
    for (const status of ['sent', 'bounced'] as const) updated += await announcementStore.setStatus(q, input.announcementId, byStatus[status], status, at);
    const rowCount = parsed.rows.length + parsed.problems.length;
    return { rows: rowCount, updated, unchanged, problemRows: problems.length, ...truncateProblems(problems) };
  }

  async acknowledge(q: Queryable, input: { announcementId: string; customerId: string }, staffId: string): Promise<RecipientRecord> {
    await this.get(q, input.announcementId);
    const current = (await announcementStore.statusesOf(q, input.announcementId, [input.customerId])).get(input.customerId);
    if (!current) throw new AppError('NOT_FOUND', 'This customer is not a recipient of this announcement.');
    if (current === 'acknowledged') throw new AppError('CONFLICT', 'This acknowledgement is already recorded.');
    const at = this.clock.nowIso();
    await announcementStore.setStatus(q, input.announcementId, [input.customerId], 'acknowledged', at, staffId);
    return { customerId: input.customerId, status: 'acknowledged', statusAt: at };
  }

  /** Active adult customers currently consenting to each marketing purpose. */
  async audienceCountsByPurpose(q: Queryable, purposes: readonly MarketingPurpose[]): Promise<{ purpose: MarketingPurpose; count: number }[]> {
    const out: { purpose: MarketingPurpose; count: number }[] = [];
    for (const purpose of purposes) out.push({ purpose, count: await countReachable(q, { consentTo: purpose }) });
    return out;
  }

  /** Writes a marketing audience (current consent to `purpose`, reachable customers only) to `path` in a job. */
  async exportAudience(input: { purpose: MarketingPurpose; taskId: string }, caller: { userId: string; senderId: string }, path: string): Promise<number> {
    const filter = { consentTo: input.purpose };
    const total = await countReachable(this.db, filter);
    const source: CsvSource = {
      header: AUDIENCE_HEADER,
      page: async (trx, after, limit) => {
        const { ids, last } = await reachableCustomerIds(trx, filter, { after: (after as ReachableCursor | null) ?? null, limit });
        const contacts = await this.contacts.contactsOf(trx, ids);
        const rows = ids
          .filter((i) => contacts.has(i))
          .map((i) => {
            const c = contacts.get(i)!;
            return [i, c.email, c.givenName, c.familyName, c.organisationName ?? '', input.purpose];
          });
        return { rows, after: last ? { ...last } : after, exhausted: ids.length < limit };
      },
    };
    return this.runExport(source, path, total, input.taskId, caller);
  }
}
