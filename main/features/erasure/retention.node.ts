import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.std.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Role } from '../../platform/ipc/roles.std.ts';
import { UNFINISHED_JOB_STATES, type Job, type JobKind, type JobWork } from '../../platform/jobs/job.node.ts';
import type { JobRunner } from '../../platform/jobs/jobRunner.node.ts';
import type { Logger } from '../../platform/log/logger.node.ts';
import type { Db, Queryable } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { countRows, insertChunked } from '../../platform/store/queries.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import type { ApprovalKind, ApprovalService } from '../approvals/approvals.port.node.ts';
import type { CustomerDisplayNames } from '../customers/customers.port.node.ts';
import { afterCommit, type CustomerEraser } from './deletion.node.ts';
import {
  RETENTION_BATCH_KIND,
  RETENTION_BATCH_MAX,
  RETENTION_OUTCOMES,
  type RetentionBatchView,
  type RetentionOutcome,
  type RetentionSkip,
} from './erasure.contract.std.ts';
import type { LegalHolds } from './holds.node.ts';

export const BATCHES_TABLE = 'retention_batches';
export const ITEMS_TABLE = 'retention_batch_items';
export const RETENTION_JOB = 'retention-batch';
/** The review lists this many due customers (oldest closing first); the total is counted. */
const REVIEW_LIMIT = 500;
/** Customers deleted per job batch (one transaction each). */
const DEFAULT_JOB_BATCH = 50;
const DAY_MS = 24 * 60 * 60_000;

const batchPayload = z.object({ itemCount: z.number().int().min(1).max(RETENTION_BATCH_MAX) }).strict();

interface BatchDbRow {
  id: string;
  proposed_by: string;
  proposed_at: string;
  retention_days: number;
  closed_before: string;
  item_count: number;
  approval_id: string;
  job_id: string | null;
  finished_at: string | null;
}

/** Which customers have a request still open elsewhere (e.g. the access-request tracker): retention skips them. */
export type OpenRequestSource = (q: Queryable, customerIds: readonly string[]) => Promise<Set<string>>;

export interface RetentionDeps {
  db: Db;
  clock: Clock;
  approvals: ApprovalService;
  eraser: CustomerEraser;
  holds: LegalHolds;
  names: CustomerDisplayNames;
  staff: StaffDirectory;
  jobs: JobRunner;
  /** The office's retention period in days (office_settings.retentionDays). */
  retentionDays(q: Queryable): Promise<number>;
  /** Besides pending approvals about the customer (deletion requests among them). */
  openRequestSources?: readonly OpenRequestSource[];
  jobBatchSize?: number;
  logger?: Pick<Logger, 'error'>;
}

/**
 * Retention: closed customers past the office's retention period are proposed in a review, a manager files the
 * batch, another approves it, and a job deletes them in batches — each exactly as an approved deletion
 * (CustomerEraser.erase, tombstone reason `retention`). Holds and open requests are skipped, with the reason.
 */
export class Retention implements JobKind {
  readonly kind = RETENTION_JOB;

  constructor(private readonly deps: RetentionDeps) {}

  approvalKind(): ApprovalKind<typeof batchPayload> {
    return {
      name: RETENTION_BATCH_KIND,
      label: 'Delete closed customers past the retention period',
      permission: 'erasure.decide',
      payload: batchPayload,
      expiresInMs: 14 * DAY_MS,
      // The job starts once the approval has committed (and again at the next open if this process dies first).
      onApproved: async (q, request) => afterCommit(q, () => this.start(request.subjectId, request.deciderId)),
      subjectLabels: async (q, ids) => {
        const rows = await q<BatchDbRow>(BATCHES_TABLE).whereIn('id', ids).select('id', 'item_count');
        return new Map(rows.map((r) => [r.id, `${Number(r.item_count)} closed customers`]));
      },
    };
  }

  private dueQuery(q: Queryable, closedBefore: string): Knex.QueryBuilder {
    return q('customers').where({ status: 'closed' }).whereNull('import_job_id').whereNotNull('closed_at').where('closed_at', '<', closedBefore);
  }

  private async skipsAmong(q: Queryable, ids: readonly string[]): Promise<Map<string, RetentionSkip>> {
    const skips = new Map<string, RetentionSkip>();
    for (const id of await this.deps.approvals.pendingAbout(q, ids)) skips.set(id, 'open_request');
    for (const source of this.deps.openRequestSources ?? []) for (const id of await source(q, ids)) skips.set(id, 'open_request');
    for (const id of await this.deps.holds.heldAmong(q, ids)) skips.set(id, 'hold');
    return skips;
  }

  async review(q: Queryable, viewer: { userId: string; role: Role }) {
    const retentionDays = await this.deps.retentionDays(q);
    const closedBefore = new Date(this.deps.clock.now() - retentionDays * DAY_MS).toISOString();
    const due = await this.dueQuery(q, closedBefore).orderBy('closed_at').orderBy('id').limit(REVIEW_LIMIT).select<{ id: string; closed_at: string }[]>('id', 'closed_at');
    const ids = due.map((r) => r.id);
    const [labels, skips, totalDue] = [await this.deps.names.displayNames(q, ids), await this.skipsAmong(q, ids), await countRows(this.dueQuery(q, closedBefore))];
    const candidates = due.map((r) => ({ customerId: r.id, customerLabel: labels.get(r.id) ?? '', closedAt: r.closed_at, skip: skips.get(r.id) ?? null }));
    return { retentionDays, closedBefore, candidates, totalDue, batches: await this.batches(q, viewer) };
  }

  /** Files every due customer that is not skipped (oldest first, at most RETENTION_BATCH_MAX) as one batch. */
  async propose(q: Queryable, proposer: { userId: string; role: Role }): Promise<RetentionBatchView> {
    await dialectOf(q).claimWrite(q);
    const pendingBatch = await this.deps.approvals.listKind(q, { kind: RETENTION_BATCH_KIND, limit: 20 });
    if (pendingBatch.some((a) => a.status === 'pending' && a.expiresAt > this.deps.clock.nowIso())) {
      throw new AppError('CONFLICT', 'A retention batch is already waiting for a decision. Decide or withdraw it first.');
    }
    const retentionDays = await this.deps.retentionDays(q);
    const closedBefore = new Date(this.deps.clock.now() - retentionDays * DAY_MS).toISOString();
    const chosen: string[] = [];
    let after: { closed_at: string; id: string } | null = null;
    while (chosen.length < RETENTION_BATCH_MAX) {
      const page: { id: string; closed_at: string }[] = await this.dueQuery(q, closedBefore)
        .modify((b) => {
          if (after) b.where((w) => void w.where('closed_at', '>', after!.closed_at).orWhere((x) => void x.where('closed_at', after!.closed_at).where('id', '>', after!.id)));
        })
        .orderBy('closed_at')
        .orderBy('id')
        .limit(2000)
        .select('id', 'closed_at');
      if (page.length === 0) break;
      const skips = await this.skipsAmong(q, page.map((r) => r.id));
      chosen.push(...page.filter((r) => !skips.has(r.id)).map((r) => r.id));
      after = page.at(-1)!;
    }
    const items = chosen.slice(0, RETENTION_BATCH_MAX);
    if (items.length === 0) throw new AppError('CONFLICT', 'No closed customer is due for deletion (held ones and those with an open request are skipped).');
    const id = randomUUID();
    const approval = await this.deps.approvals.request(q, {
      kind: RETENTION_BATCH_KIND,
      subjectId: id,
      requesterId: proposer.userId,
      reason: `Retention: ${items.length} customers closed for more than ${retentionDays} days.`,
      payload: { itemCount: items.length },
    });
    const row: BatchDbRow = {
      id,
      proposed_by: proposer.userId,
      proposed_at: this.deps.clock.nowIso(),
      retention_days: retentionDays,
      closed_before: closedBefore,
      item_count: items.length,
      approval_id: approval.id,
      job_id: null,
      finished_at: null,
    };
    await q(BATCHES_TABLE).insert(row);
    await insertChunked(q, ITEMS_TABLE, items.map((customerId) => ({ batch_id: id, customer_id: customerId, outcome: null, done_at: null })));
    return (await this.present(q, proposer, [row]))[0]!;
  }

  async batches(q: Queryable, viewer: { userId: string; role: Role }): Promise<RetentionBatchView[]> {
    const rows = await q<BatchDbRow>(BATCHES_TABLE).orderBy('proposed_at', 'desc').orderBy('id').limit(20);
    return this.present(q, viewer, rows);
  }

  private async present(q: Queryable, viewer: { userId: string; role: Role }, rows: readonly BatchDbRow[]): Promise<RetentionBatchView[]> {
    const nameOf = await staffNameResolver(this.deps.staff, q);
    const decides = this.deps.approvals.kinds.decidableBy(viewer.role).includes(RETENTION_BATCH_KIND);
    const views: RetentionBatchView[] = [];
    for (const row of rows) {
      const approval = await this.deps.approvals.get(q, row.approval_id);
      const job = row.job_id ? await this.deps.jobs.get(row.job_id, q) : null;
      const counted = await q(ITEMS_TABLE).where({ batch_id: row.id }).whereNotNull('outcome').groupBy('outcome').select<{ outcome: RetentionOutcome; n: number }[]>('outcome', q.raw('count(*) as n'));
      const outcomes = Object.fromEntries(RETENTION_OUTCOMES.map((o) => [o, Number(counted.find((c) => c.outcome === o)?.n ?? 0)])) as Record<RetentionOutcome, number>;
      views.push({
        id: row.id,
        approvalId: row.approval_id,
        status: approval.status,
        proposedBy: row.proposed_by,
        proposedByName: nameOf(row.proposed_by),
        proposedAt: row.proposed_at,
        deciderName: nameOf(approval.deciderId),
        decidedAt: approval.decidedAt,
        decisionReason: approval.decisionReason,
        retentionDays: Number(row.retention_days),
        closedBefore: row.closed_before,
        itemCount: Number(row.item_count),
        job: job ? { state: job.state, done: job.done, total: job.total } : null,
        outcomes,
        finishedAt: row.finished_at,
        canDecide: approval.status === 'pending' && approval.requesterId !== viewer.userId && decides && approval.expiresAt > this.deps.clock.nowIso(),
      });
    }
    return views;
  }

  /** Starts the deletion job of an approved batch (idempotent: items already done are not redone). */
  async start(batchId: string, startedBy: string | null): Promise<void> {
    const row = await this.deps.db<BatchDbRow>(BATCHES_TABLE).where({ id: batchId }).first();
    if (!row || row.finished_at) return;
    const handle = await this.deps.jobs.start(RETENTION_JOB, this.work(batchId), { startedBy, total: Number(row.item_count) });
    await this.deps.db(BATCHES_TABLE).where({ id: batchId }).update({ job_id: handle.id });
    handle.result.catch((error: unknown) => this.deps.logger?.error('retention.job_failed', error, { batchId }));
  }

  /**
   * At open, after the job runner's recovery: an approved batch with no job running (the process died after the
   * approval, or before its job's first batch) starts again; items already done are skipped.
   */
  async startApproved(): Promise<void> {
    const open = await this.deps.db<BatchDbRow>(BATCHES_TABLE).whereNull('finished_at').select('id', 'approval_id', 'job_id');
    for (const row of open) {
      const job = row.job_id ? await this.deps.jobs.get(row.job_id) : null;
      if (job && UNFINISHED_JOB_STATES.includes(job.state)) continue;
      const approval = await this.deps.approvals.get(this.deps.db, row.approval_id);
      if (approval.status === 'approved') await this.start(row.id, approval.deciderId);
    }
  }

  resume(job: Job): JobWork | null {
    const cursor = job.cursor as { batchId?: unknown } | null;
    return typeof cursor?.batchId === 'string' ? this.work(cursor.batchId) : null;
  }

  /** Every committed batch holds whole deletions: nothing to undo (the items left are picked up by the next run). */
  async rollbackBatch(): Promise<boolean> {
    return true;
  }

  private work(batchId: string): JobWork {
    const size = this.deps.jobBatchSize ?? DEFAULT_JOB_BATCH;
    return {
      appendsAudit: () => true,
      step: async (trx) => {
        await dialectOf(trx).claimWrite(trx);
        const batch = await trx<BatchDbRow>(BATCHES_TABLE).where({ id: batchId }).first();
        if (!batch) throw new AppError('NOT_FOUND', 'No such retention batch.');
        const approval = await this.deps.approvals.get(trx, batch.approval_id);
        if (approval.status !== 'approved') throw new AppError('CONFLICT', 'This retention batch is not approved.');
        const ids = (await trx(ITEMS_TABLE).where({ batch_id: batchId }).whereNull('outcome').orderBy('customer_id').limit(size).select<{ customer_id: string }[]>('customer_id')).map((r) => r.customer_id);
        const present = new Map(
          (await trx('customers').whereIn('id', ids).select<{ id: string; status: string }[]>('id', 'status')).map((r) => [r.id, r.status]),
        );
        const skips = await this.skipsAmong(trx, ids);
        const now = this.deps.clock.nowIso();
        for (const customerId of ids) {
          let outcome: RetentionOutcome;
          if (!present.has(customerId)) outcome = 'already_deleted';
          else if (present.get(customerId) !== 'closed') outcome = 'skipped_reopened';
          else if (skips.get(customerId) === 'hold') outcome = 'skipped_hold';
          else if (skips.get(customerId) === 'open_request') outcome = 'skipped_open_request';
          else {
            await this.deps.eraser.erase(
              trx,
              customerId,
              {
                reason: 'retention',
                channel: null,
                requesterId: batch.proposed_by,
                approverId: approval.deciderId,
                approvalId: approval.id,
                batchId,
                requestedAt: batch.proposed_at,
                approvedAt: approval.decidedAt,
              },
              approval.deciderId,
            );
            outcome = 'deleted';
          }
          await trx(ITEMS_TABLE).where({ batch_id: batchId, customer_id: customerId }).update({ outcome, done_at: now });
        }
        const left = await countRows(trx(ITEMS_TABLE).where({ batch_id: batchId }).whereNull('outcome'));
        const finished = left === 0;
        if (finished) await trx(BATCHES_TABLE).where({ id: batchId }).update({ finished_at: now });
        return { done: Number(batch.item_count) - left, total: Number(batch.item_count), cursor: { batchId }, finished };
      },
    };
  }
}
