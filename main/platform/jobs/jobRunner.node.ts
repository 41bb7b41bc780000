import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.std.ts';
import { AppError } from '../ipc/errors.std.ts';
import type { Logger } from '../log/logger.node.ts';
import type { Db, Queryable } from '../store/database.node.ts';
import { UNFINISHED_JOB_STATES, type Job, type JobCursor, type JobKind, type JobState, type JobWork } from './job.node.ts';
import { inTransaction } from '../store/transaction.node.ts';

export const JOBS_TABLE = 'jobs';

/** Where the runner records what it did on its own (recovery at open): the audit log, seen through this. */
export interface JobAuditSink {
  append(
    q: Queryable,
    event: { actorId: string | null; action: string; outcome: 'ok' | 'failed'; details?: Record<string, string | number | boolean | null> },
  ): Promise<number>;
  /** Taken first in a transaction that will append, so it queues for the chain's head (see AuditSink.reserve). */
  reserve?(q: Queryable): Promise<void>;
}

export interface StartOptions {
  startedBy: string | null;
  total?: number;
  /** After every committed batch (progress events to the caller's window). */
  onProgress?: (job: Job) => void;
  /** What the job's result rejects with when cancelled (after its roll-back). */
  cancelError?: () => Error;
}

export interface JobHandle {
  id: string;
  /** The succeeded job; rejects with the job's error once its writes are rolled back. */
  result: Promise<Job>;
}

/** Error code recorded for a job that a killed or closed process left unfinished. */
export const INTERRUPTED = 'INTERRUPTED';

interface JobDbRow {
  id: string;
  kind: string;
  state: JobState;
  done: number;
  total: number | null;
  cursor: string | null;
  started_by: string | null;
  error_code: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  owner: string | null;
}

const toDb = (job: Job): JobDbRow => ({
  id: job.id,
  kind: job.kind,
  state: job.state,
  done: job.done,
  total: job.total,
  cursor: job.cursor === null ? null : JSON.stringify(job.cursor),
  started_by: job.startedBy,
  error_code: job.errorCode,
  created_at: job.createdAt,
  updated_at: job.updatedAt,
  finished_at: job.finishedAt,
  owner: job.owner,
});
const fromDb = (row: JobDbRow): Job => ({
  id: row.id,
  kind: row.kind,
  state: row.state,
  done: Number(row.done),
  total: row.total === null ? null : Number(row.total),
  cursor: row.cursor === null ? null : (JSON.parse(row.cursor) as JobCursor),
  startedBy: row.started_by,
  errorCode: row.error_code,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  finishedAt: row.finished_at,
  owner: row.owner,
});

const finalStateFor = (code: string): JobState => (code === INTERRUPTED ? 'rolled_back' : code === 'CANCELLED' ? 'cancelled' : 'failed');
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

class Stopped extends AppError {
  constructor() {
    super('CANCELLED', 'The app is closing; the job is finished or rolled back when it next opens.');
  }
}

/**
 * Runs jobs batch by batch. Each batch is one short transaction holding the batch's writes and the job's progress,
 * so other calls interleave between batches and a kill loses at most the batch in flight (which SQLite rolls
 * back). A failed or cancelled job is rolled back in batches too; `recover()` at open resumes or rolls back
 * whatever a killed process left running.
 */
export class JobRunner {
  private readonly kinds = new Map<string, JobKind>();
  private readonly active = new Map<string, { cancelled: boolean; loop: Promise<unknown> }>();
  private stopping = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: {
      audit?: JobAuditSink;
      logger?: Logger;
      /** This workstation (one process at a time: the app's single-instance lock). */
      owner?: string;
      /** How long another workstation's job may go without a committed batch before it counts as abandoned. */
      leaseMs?: number;
    } = {},
  ) {}

  private get owner(): string | null {
    return this.deps.owner ?? null;
  }


  register(kind: JobKind): void {
    if (this.kinds.has(kind.kind)) throw new Error(`Job kind registered twice: ${kind.kind}`);
    this.kinds.set(kind.kind, kind);
  }

  async get(id: string, q: Queryable = this.db): Promise<Job | null> {
    const row = await q<JobDbRow>(JOBS_TABLE).where({ id }).first();
    return row ? fromDb(row) : null;
  }

  /** Jobs newest first: all of them, or only those `startedBy` started (the task list scopes by caller). */
  async list(q: Queryable, opts: { startedBy?: string; limit: number }): Promise<Job[]> {
    const rows = await q<JobDbRow>(JOBS_TABLE)
      .modify((b) => void (opts.startedBy !== undefined && b.where({ started_by: opts.startedBy })))
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(opts.limit);
    return rows.map(fromDb);
  }

  /** Jobs per state since `sinceIso` (created or finished since then; unfinished ones whenever they started). */
  async countByState(q: Queryable, sinceIso: string): Promise<Partial<Record<JobState, number>>> {
    const rows = await q(JOBS_TABLE)
      .where((w) => void w.whereIn('state', UNFINISHED_JOB_STATES).orWhere('finished_at', '>=', sinceIso))
      .groupBy('state')
      .select<{ state: JobState; n: number | string }[]>('state', q.raw('count(*) as n'));
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  /** Records the job and starts its batches in the background. */
  async start(kindName: string, work: JobWork, options: StartOptions): Promise<JobHandle> {
    if (this.stopping) throw new Stopped();
    const kind = this.kinds.get(kindName);
    if (!kind) throw new Error(`Unknown job kind: ${kindName}`);
    const now = this.clock.nowIso();
    const job: Job = {
      id: randomUUID(),
      kind: kindName,
      state: 'running',
      done: 0,
      total: options.total ?? null,
      cursor: null,
      startedBy: options.startedBy,
      errorCode: null,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
      owner: this.owner,
    };
    await this.db(JOBS_TABLE).insert(toDb(job));
    return { id: job.id, result: this.launch(job, kind, work, options) };
  }

  /** Asks a running job to stop after its current batch and roll back. False when no such job runs here. */
  cancel(id: string): boolean {
    const entry = this.active.get(id);
    if (!entry) return false;
    entry.cancelled = true;
    return true;
  }

  /**
   * Every job a dead process left unfinished is resumed from its cursor when its kind can, else rolled back
   * (awaited, so at open the store is clean before the first call). Resumed jobs run in the background. A job is
   * dead when this workstation ran it (its previous process is gone: one process per workstation) or when another
   * workstation's job has committed no batch for the lease; a live job elsewhere is left alone. Two workstations
   * recovering at once: the job goes to whichever claims it first (a conditional update).
   */
  async recover(): Promise<{ resumed: string[]; rolledBack: string[] }> {
    const rows = await this.db<JobDbRow>(JOBS_TABLE).whereIn('state', UNFINISHED_JOB_STATES).orderBy('created_at');
    const resumed: string[] = [];
    const rolledBack: string[] = [];
    const staleBefore = new Date(this.clock.now() - (this.deps.leaseMs ?? 60_000)).toISOString();
    for (const found of rows.map(fromDb)) {
      if (this.active.has(found.id)) continue;
      const abandoned = found.owner === null || found.owner === this.owner || found.updatedAt < staleBefore;
      if (!abandoned) continue;
      const claimedAt = this.clock.nowIso();
      const claimed = await this.db(JOBS_TABLE).where({ id: found.id, updated_at: found.updatedAt }).update({ owner: this.owner, updated_at: claimedAt });
      if (claimed === 0) continue;
      const job: Job = { ...found, owner: this.owner, updatedAt: claimedAt };
      const kind = this.kinds.get(job.kind);
      if (!kind) {
        this.deps.logger?.warn('job.unknown_kind', { jobId: job.id, kind: job.kind });
        continue;
      }
      const work = job.state !== 'rolling_back' ? (kind.resume?.(job) ?? null) : null;
      if (work) {
        const running = { ...job, state: 'running' as const, updatedAt: this.clock.nowIso() };
        await inTransaction(this.db, async (trx) => {
          await this.deps.audit?.reserve?.(trx);
          await trx(JOBS_TABLE).where({ id: job.id }).update({ state: 'running', updated_at: running.updatedAt });
          await this.deps.audit?.append(trx, { actorId: null, action: 'job.resumed', outcome: 'ok', details: { jobId: job.id, kind: job.kind, done: job.done } });
        });
        const result = this.launch(running, kind, work, { startedBy: job.startedBy });
        result.catch((error: unknown) => this.deps.logger?.error('job.resumed_failed', error, { jobId: job.id, kind: job.kind }));
        resumed.push(job.id);
      } else {
        await this.rollBack(job, kind, job.state === 'rolling_back' && job.errorCode ? job.errorCode : INTERRUPTED);
        rolledBack.push(job.id);
      }
    }
    return { resumed, rolledBack };
  }

  /** True while a job runs in this process (a restore waits for none). */
  get busy(): boolean {
    return this.active.size > 0;
  }

  /** Resolves once no job runs in this process (tests, and jobs resumed by `recover`). */
  async idle(): Promise<void> {
    while (this.active.size) await Promise.all([...this.active.values()].map((entry) => entry.loop));
  }

  /** Stops every job after its current batch and waits; unfinished jobs are recovered at the next open. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.active.values()].map((entry) => entry.loop));
  }

  private launch(job: Job, kind: JobKind, work: JobWork, options: StartOptions): Promise<Job> {
    const entry = { cancelled: false, loop: Promise.resolve() as Promise<unknown> };
    this.active.set(job.id, entry);
    const result = this.drive(job, kind, work, entry, options).finally(() => this.active.delete(job.id));
    entry.loop = result.catch(() => undefined);
    return result;
  }

  private async drive(job: Job, kind: JobKind, work: JobWork, entry: { cancelled: boolean }, options: StartOptions): Promise<Job> {
    let current = job;
    try {
      for (;;) {
        if (this.stopping) throw new Stopped();
        if (entry.cancelled) throw options.cancelError?.() ?? new AppError('CANCELLED', 'The job was cancelled.');
        await work.prepare?.(current);
        if (entry.cancelled) throw options.cancelError?.() ?? new AppError('CANCELLED', 'The job was cancelled.');
        current = await inTransaction(this.db, async (trx) => {
          if (work.appendsAudit?.()) await this.deps.audit?.reserve?.(trx);
          const step = await work.step(trx, current);
          const now = this.clock.nowIso();
          const next: Job = {
            ...current,
            done: step.done,
            total: step.total ?? current.total,
            cursor: step.cursor === undefined ? current.cursor : step.cursor,
            state: step.finished ? 'succeeded' : 'running',
            updatedAt: now,
            finishedAt: step.finished ? now : null,
          };
          const { id: _id, created_at: _c, ...patch } = toDb(next);
          await trx(JOBS_TABLE).where({ id: current.id }).update(patch);
          return next;
        });
        // Committed: only now does the work keep the batch's in-memory effects (a retried batch ran step again).
        work.committed?.();
        options.onProgress?.(current);
        if (current.state === 'succeeded') {
          kind.onSucceeded?.(current);
          return current;
        }
        await yieldToEventLoop();
      }
    } catch (error) {
      if (error instanceof Stopped) throw error; // left 'running' for recovery at the next open
      const code = error instanceof AppError ? error.code : 'INTERNAL';
      if (!(error instanceof AppError)) this.deps.logger?.error('job.failed', error, { jobId: job.id, kind: job.kind });
      try {
        await this.rollBack(current, kind, entry.cancelled && code === 'CANCELLED' ? 'CANCELLED' : code);
      } catch (rollbackError) {
        // Left 'rolling_back': recovery at the next open finishes it.
        this.deps.logger?.error('job.rollback_failed', rollbackError, { jobId: job.id, kind: job.kind });
      }
      throw error;
    }
  }

  /** Marks the job rolling back, undoes its writes batch by batch (each its own transaction), then ends it. */
  private async rollBack(job: Job, kind: JobKind, code: string): Promise<void> {
    const marked: Job = { ...job, state: 'rolling_back', errorCode: code, updatedAt: this.clock.nowIso() };
    await this.db(JOBS_TABLE).where({ id: job.id }).update({ state: marked.state, error_code: code, updated_at: marked.updatedAt });
    for (;;) {
      if (await inTransaction(this.db, (trx) => kind.rollbackBatch(trx, marked))) break;
      await yieldToEventLoop();
    }
    const state = finalStateFor(code);
    await inTransaction(this.db, async (trx) => {
      if (state === 'rolled_back') await this.deps.audit?.reserve?.(trx);
      const now = this.clock.nowIso();
      await trx(JOBS_TABLE).where({ id: job.id }).update({ state, updated_at: now, finished_at: now });
      if (state === 'rolled_back') {
        await this.deps.audit?.append(trx, { actorId: null, action: 'job.rolled_back', outcome: 'ok', details: { jobId: job.id, kind: job.kind, reason: 'interrupted' } });
      }
    });
  }
}
