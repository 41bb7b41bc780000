import type { Knex } from 'knex';

/**
 * Long work (import, key rotation, re-indexing, retention sweeps…) runs as a job: batches, each in its own
 * transaction, with its progress and resume cursor recorded in the same transaction as the batch's writes.
 *
 *   queued → running → succeeded
 *                    ↘ rolling_back → failed | cancelled | rolled_back (after a restart)
 */
export const JOB_STATES = ['queued', 'running', 'rolling_back', 'succeeded', 'failed', 'cancelled', 'rolled_back'] as const;
export type JobState = (typeof JOB_STATES)[number];
/** States a killed process can leave behind; recovery at core open finishes each of them. */
export const UNFINISHED_JOB_STATES: readonly JobState[] = ['queued', 'running', 'rolling_back'];

/** JSON the job kind defines. Never PII: the jobs table is clear text. */
export type JobCursor = null | boolean | number | string | JobCursor[] | { [key: string]: JobCursor };

export interface Job {
  id: string;
  kind: string;
  state: JobState;
  done: number;
  total: number | null;
  cursor: JobCursor;
  startedBy: string | null;
  errorCode: string | null;
  createdAt: string;
  /** The workstation whose process runs (or last ran) the job. */
  owner: string | null;
  updatedAt: string;
  finishedAt: string | null;
}

export interface StepResult {
  /** Units of work done so far (rows, records…), for progress. */
  done: number;
  total?: number;
  /** Where a resumed job would continue; stored with this batch. */
  cursor?: JobCursor;
  /** True in the batch that completes the job: its transaction also marks the job succeeded. */
  finished?: boolean;
}

/** The work of one job while it runs: the runner calls `step` until it reports `finished`. */
export interface JobWork {
  /**
   * CPU work for the next batch (sealing…), run outside any transaction before each `step` so the store is not
   * held meanwhile; it should yield to the event loop in slices (see `timeSlicer`).
   */
  prepare?(job: Job): Promise<void>;
  /**
   * One batch, inside `trx` (its own transaction, which the runner also uses to record progress). On PostgreSQL
   * the transaction may run again after a serialization failure or deadlock, so `step` must be safe to re-run:
   * it keeps what it changed in memory aside and applies it in `committed`.
   */
  step(trx: Knex.Transaction, job: Job): Promise<StepResult>;
  /** Called once after the batch's transaction committed. */
  committed?(): void;
  /**
   * True when the next `step` appends to the audit log (e.g. an import's publishing batch): the runner then
   * queues that transaction for the audit chain's head first (PostgreSQL), instead of risking serialization
   * failures at the append.
   */
  appendsAudit?(): boolean;
}

/** What a kind of job must provide so a killed process can be cleaned up after. Registered with the runner. */
export interface JobKind {
  readonly kind: string;
  /**
   * Rebuilds the work from the stored cursor after a restart. Absent, or returning null, means the job cannot
   * continue (e.g. its input was never stored) and is rolled back instead.
   */
  resume?(job: Job): JobWork | null;
  /**
   * Undoes one batch of what the job wrote, inside `trx`; returns true once nothing is left. Works from the
   * stored job alone (the process that started it may be gone) and must be safe to call again after a kill.
   */
  rollbackBatch(trx: Knex.Transaction, job: Job): Promise<boolean>;
  /** After the batch that finished the job has committed (in whichever process ran it, resumed or not). */
  onSucceeded?(job: Job): void;
}

/**
 * For long CPU loops on the main process: `await slicer()` yields to the event loop once `budgetMs` have passed
 * since the last yield, so other calls are never held for more than about that long.
 */
export function timeSlicer(budgetMs = 8): () => Promise<void> | undefined {
  let last = performance.now();
  return () => {
    if (performance.now() - last < budgetMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        last = performance.now();
        resolve();
      }),
    );
  };
}
