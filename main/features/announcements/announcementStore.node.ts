import type { Queryable } from '../../platform/store/database.node.ts';
import { countRows, insertChunked } from '../../platform/store/queries.node.ts';
import type { AnnouncementChannel, Audience, RecipientStatus } from './announcements.contract.std.ts';

export const ANNOUNCEMENTS_TABLE = 'announcements';
export const RECIPIENTS_TABLE = 'announcement_recipients';

/** One announcement: ids, enums, counts and the text sent to everyone (no personal data). */
export interface AnnouncementRecord {
  id: string;
  policyVersionId: string;
  title: string;
  summary: string;
  audience: Audience;
  channel: AnnouncementChannel;
  status: 'preparing' | 'ready';
  jobId: string | null;
  recipientCount: number;
  createdBy: string | null;
  createdAt: string;
}

interface AnnouncementDbRow {
  id: string;
  policy_version_id: string;
  title: string;
  summary: string;
  audience: Audience;
  channel: AnnouncementChannel;
  status: 'preparing' | 'ready';
  job_id: string | null;
  recipient_count: number;
  created_by: string | null;
  created_at: string;
}

export interface RecipientRecord {
  customerId: string;
  status: RecipientStatus;
  statusAt: string;
}

const fromDb = (r: AnnouncementDbRow): AnnouncementRecord => ({
  id: r.id,
  policyVersionId: r.policy_version_id,
  title: r.title,
  summary: r.summary,
  audience: r.audience,
  channel: r.channel,
  status: r.status,
  jobId: r.job_id,
  recipientCount: Number(r.recipient_count),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** Announcements and their per-recipient status. Small functions over a Queryable, one table pair. */
export const announcementStore = {
  async insert(q: Queryable, a: AnnouncementRecord): Promise<void> {
    await q(ANNOUNCEMENTS_TABLE).insert({
      id: a.id,
      policy_version_id: a.policyVersionId,
      title: a.title,
      summary: a.summary,
      audience: a.audience,
      channel: a.channel,
      status: a.status,
      job_id: a.jobId,
      recipient_count: a.recipientCount,
      created_by: a.createdBy,
      created_at: a.createdAt,
    } satisfies AnnouncementDbRow);
  },

  async get(q: Queryable, id: string): Promise<AnnouncementRecord | null> {
    const row = await q<AnnouncementDbRow>(ANNOUNCEMENTS_TABLE).where({ id }).first();
    return row ? fromDb(row) : null;
  },

  async forVersion(q: Queryable, policyVersionId: string): Promise<AnnouncementRecord | null> {
    const row = await q<AnnouncementDbRow>(ANNOUNCEMENTS_TABLE).where({ policy_version_id: policyVersionId }).first();
    return row ? fromDb(row) : null;
  },

  async byJob(q: Queryable, jobId: string): Promise<AnnouncementRecord | null> {
    const row = await q<AnnouncementDbRow>(ANNOUNCEMENTS_TABLE).where({ job_id: jobId }).first();
    return row ? fromDb(row) : null;
  },

  async list(q: Queryable): Promise<AnnouncementRecord[]> {
    return (await q<AnnouncementDbRow>(ANNOUNCEMENTS_TABLE).orderBy('created_at', 'desc').orderBy('id')).map(fromDb);
  },

  async setJob(q: Queryable, id: string, jobId: string): Promise<void> {
    await q(ANNOUNCEMENTS_TABLE).where({ id }).update({ job_id: jobId });
  },

  async markReady(q: Queryable, id: string, recipientCount: number): Promise<void> {
    await q(ANNOUNCEMENTS_TABLE).where({ id }).update({ status: 'ready', recipient_count: recipientCount });
  },

  async delete(q: Queryable, id: string): Promise<void> {
    await q(ANNOUNCEMENTS_TABLE).where({ id }).delete();
  },

  async addRecipients(q: Queryable, announcementId: string, customerIds: readonly string[], at: string): Promise<void> {
    const rows = customerIds.map((customerId) => ({ announcement_id: announcementId, customer_id: customerId, status: 'queued', status_at: at, acknowledged_by: null }));
    await insertChunked(q, RECIPIENTS_TABLE, rows, 200);
  },

  /** Deletes up to `limit` recipients; the number deleted. */
  async deleteRecipients(q: Queryable, announcementId: string, limit: number): Promise<number> {
    const ids = (await q(RECIPIENTS_TABLE).where({ announcement_id: announcementId }).limit(limit).select<{ customer_id: string }[]>('customer_id')).map((r) => r.customer_id);
    if (ids.length === 0) return 0;
    return q(RECIPIENTS_TABLE).where({ announcement_id: announcementId }).whereIn('customer_id', ids).delete();
  },

  async countRecipients(q: Queryable, announcementId: string): Promise<number> {
    return countRows(q(RECIPIENTS_TABLE).where({ announcement_id: announcementId }));
  },

  async statusCounts(q: Queryable, announcementIds: readonly string[]): Promise<Map<string, Record<RecipientStatus, number>>> {
    const out = new Map<string, Record<RecipientStatus, number>>();
    for (const id of announcementIds) out.set(id, { queued: 0, sent: 0, bounced: 0, acknowledged: 0 });
    if (announcementIds.length === 0) return out;
    const rows = await q(RECIPIENTS_TABLE)
      .whereIn('announcement_id', announcementIds)
      .groupBy('announcement_id', 'status')
      .select<{ announcement_id: string; status: RecipientStatus; n: number | string }[]>('announcement_id', 'status', q.raw('count(*) as n'));
    for (const row of rows) out.get(row.announcement_id)![row.status] = Number(row.n);
    return out;
  },

  /** A page of recipients in customer-id order after `after` (the mailing-list job's cursor). */
  async recipientPage(q: Queryable, announcementId: string, after: string | null, limit: number): Promise<RecipientRecord[]> {
    const rows = await q(RECIPIENTS_TABLE)
      .where({ announcement_id: announcementId })
      .modify((b) => {
        if (after) b.where('customer_id', '>', after);
      })
      .orderBy('customer_id')
      .limit(limit)
      .select<{ customer_id: string; status: RecipientStatus; status_at: string }[]>('customer_id', 'status', 'status_at');
    return rows.map((r) => ({ customerId: r.customer_id, status: r.status, statusAt: r.status_at }));
  },

  async listRecipients(
    q: Queryable,
    input: { announcementId: string; status?: RecipientStatus; offset: number; limit: number },
  ): Promise<{ recipients: RecipientRecord[]; total: number }> {
    const base = () =>
      q(RECIPIENTS_TABLE)
        .where({ announcement_id: input.announcementId })
        .modify((b) => {
          if (input.status) b.where({ status: input.status });
        });
    const total = await countRows(base());
    const rows = await base()
      .orderBy('status_at', 'desc')
      .orderBy('customer_id')
      .offset(input.offset)
      .limit(input.limit)
      .select<{ customer_id: string; status: RecipientStatus; status_at: string }[]>('customer_id', 'status', 'status_at');
    return { recipients: rows.map((r) => ({ customerId: r.customer_id, status: r.status, statusAt: r.status_at })), total };
  },

  /** Which of these customers are recipients of the announcement, with their status. */
  async statusesOf(q: Queryable, announcementId: string, customerIds: readonly string[]): Promise<Map<string, RecipientStatus>> {
    const out = new Map<string, RecipientStatus>();
    for (let i = 0; i < customerIds.length; i += 500) {
      const rows = await q(RECIPIENTS_TABLE)
        .where({ announcement_id: announcementId })
        .whereIn('customer_id', customerIds.slice(i, i + 500))
        .select<{ customer_id: string; status: RecipientStatus }[]>('customer_id', 'status');
      for (const row of rows) out.set(row.customer_id, row.status);
    }
    return out;
  },

  /** Sets the status of these recipients, except those already acknowledged (an acknowledgement is final). */
  async setStatus(q: Queryable, announcementId: string, customerIds: readonly string[], status: RecipientStatus, at: string, by: string | null = null): Promise<number> {
    let changed = 0;
    for (let i = 0; i < customerIds.length; i += 500) {
      changed += await q(RECIPIENTS_TABLE)
        .where({ announcement_id: announcementId })
        .whereIn('customer_id', customerIds.slice(i, i + 500))
        .whereNot({ status: 'acknowledged' })
        .update({ status, status_at: at, acknowledged_by: status === 'acknowledged' ? by : null });
    }
    return changed;
  },
};
