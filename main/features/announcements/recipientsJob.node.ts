import type { Knex } from 'knex';
import type { Job, JobKind, JobWork, StepResult } from '../../platform/jobs/job.node.ts';
import { reachableCustomerIds, type ReachableCursor, type ReachableFilter } from '../customers/customers.port.node.ts';
import { policyLabelsBefore, publishedPolicyVersion } from '../policy/policy.port.node.ts';
import type { AnnouncementRecord } from './announcementStore.node.ts';
import { announcementStore } from './announcementStore.node.ts';

export const RECIPIENTS_JOB = 'announcements.recipients';
/** Customers listed per batch transaction: 100k recipients in 100 short transactions. */
export const RECIPIENTS_BATCH = 1000;
const ROLLBACK_BATCH = 2000;

/** The stored cursor: ids and a count only (the jobs table is clear text). */
interface RecipientsCursor {
  announcementId: string;
  after: ReachableCursor | null;
  listed: number;
}

/** Who an announcement reaches: everyone reachable, or only those collected under earlier versions. */
export async function audienceFilter(q: Knex | Knex.Transaction, announcement: Pick<AnnouncementRecord, 'audience' | 'policyVersionId'>): Promise<ReachableFilter> {
  if (announcement.audience === 'all_active') return {};
  const version = await publishedPolicyVersion(q, announcement.policyVersionId);
  return { collectedUnder: version ? await policyLabelsBefore(q, version.version) : [] };
}

/**
 * Lists an announcement's recipients batch by batch, in creation order, so a resumed job continues after the
 * last committed batch. The final batch marks the announcement ready with its count.
 */
export class RecipientsWork implements JobWork {
  private readonly start: RecipientsCursor;

  constructor(
    announcementId: string,
    private readonly now: () => string,
  ) {
    this.start = { announcementId, after: null, listed: 0 };
  }

  /** Reads only the committed cursor, so a retried transaction repeats the same batch. */
  async step(trx: Knex.Transaction, job: Job): Promise<StepResult> {
    const stored = (job.cursor as RecipientsCursor | null) ?? this.start;
    const announcement = await announcementStore.get(trx, stored.announcementId);
    if (!announcement) throw new Error('The announcement being prepared is gone');
    const { ids, last } = await reachableCustomerIds(trx, await audienceFilter(trx, announcement), { after: stored.after, limit: RECIPIENTS_BATCH });
    await announcementStore.addRecipients(trx, announcement.id, ids, this.now());
    const next: RecipientsCursor = { announcementId: announcement.id, after: last ?? stored.after, listed: stored.listed + ids.length };
    const finished = ids.length < RECIPIENTS_BATCH;
    if (finished) await announcementStore.markReady(trx, announcement.id, next.listed);
    return { done: next.listed, cursor: { announcementId: next.announcementId, after: next.after ? { ...next.after } : null, listed: next.listed }, finished };
  }
}

export function recipientsJob(now: () => string): JobKind {
  return {
    kind: RECIPIENTS_JOB,
    // Nothing personal is needed to continue: the cursor names the announcement and the last customer id listed.
    resume(job) {
      const cursor = job.cursor as RecipientsCursor | null;
      return cursor ? new RecipientsWork(cursor.announcementId, now) : null;
    },
    /** Removes what was listed, then the announcement itself, so it can be prepared again. */
    async rollbackBatch(trx, job) {
      const cursor = job.cursor as RecipientsCursor | null;
      const announcementId = cursor?.announcementId ?? (await announcementStore.byJob(trx, job.id))?.id;
      if (!announcementId) return true;
      if ((await announcementStore.deleteRecipients(trx, announcementId, ROLLBACK_BATCH)) > 0) return false;
      await announcementStore.delete(trx, announcementId);
      return true;
    },
  };
}
