import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../../platform/clock.std.ts';
import type { BlindIndexedRows } from '../../platform/crypto/blindIndexedRows.node.ts';
import { addDomainKeyVersion, blindIndexVersions, destroyBlindIndexVersion } from '../../platform/crypto/domainKeys.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { SecretVault } from '../../platform/keychain/vault.std.ts';
import type { Logger } from '../../platform/log/logger.node.ts';
import type { Job, JobCursor, JobKind, JobWork } from '../../platform/jobs/job.node.ts';
import type { JobAuditSink, JobRunner } from '../../platform/jobs/jobRunner.node.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import type { KeyRingHolder } from './keyRingHolder.node.ts';
import { provenKek, ROTATIONS_TABLE, startRotationJob, type RotationRow } from './keyRotation.node.ts';

export const BLIND_INDEX_ROTATION_JOB = 'key-rotation.blind-index';

interface Cursor {
  [key: string]: JobCursor;
  target: number;
  /** The versions being moved off (every one present before the rotation). */
  from: number[];
  addedAt: string;
  table: number;
  after: string;
  pass: number;
  moved: number;
}

export interface BlindIndexRotationDeps {
  vault: SecretVault;
  installId: string;
  clock: Clock;
  ring: KeyRingHolder;
  audit: JobAuditSink;
  /** Every table holding blind indexes, from the features that own them. */
  tables: readonly BlindIndexedRows[];
  logger?: Pick<Logger, 'warn' | 'error'>;
  /** Rows per batch (each batch its own transaction). */
  batchSize?: number;
  /**
   * How long the new version must exist before the first row moves to it: other workstations reload their ring
   * within one sweep (5 s), and until then their searches would probe the old version only. (Their writes cannot
   * lag: every write that indexes reloads the ring in its own transaction when the versions differ.)
   */
  graceMs?: number;
}

/**
 * Blind-index rotation as a job (issue #11). Batch 1 adds the next blind-index version: from then on every write
 * indexes under it, and every lookup probes both versions. After the grace, each table's rows not under it are
 * re-indexed (the owning feature opens them and computes their indexes again), a batch per transaction, resumable
 * from the last key done; a last pass catches rows written under the old version meanwhile (an import batch sealed
 * just before). The final batch, in one transaction with the check that no row is left under an old version,
 * destroys the old versions' material (an HMAC key wraps nothing: once unused it only helps an attacker who has
 * it) and drops unknown-name sign-in counters under them (their names are never stored, so they cannot move), with
 * the `keys.rotated` event. Each batch leaves every row under one version or the other with both keys present, so
 * search finds every record throughout and a killed job has nothing to roll back.
 */
export class BlindIndexRotation implements JobKind {
  readonly kind = BLIND_INDEX_ROTATION_JOB;

  constructor(private readonly deps: BlindIndexRotationDeps) {}

  /** Rows not under the version a rotation would add (the progress total when it starts). */
  async pending(q: Queryable): Promise<number> {
    const target = this.deps.ring.current().indexVersion + 1;
    let n = 0;
    for (const table of this.deps.tables) n += await table.countNotUnder(q, target);
    return n;
  }

  /** Starts the rotation; a second one while one is unfinished is refused by the database (CONFLICT). */
  async start(jobs: JobRunner, q: Queryable, startedBy: string): Promise<string> {
    return startRotationJob(jobs, q, { kind: BLIND_INDEX_ROTATION_JOB, work: this.work(), startedBy, total: await this.pending(q), logger: this.deps.logger });
  }

  resume(): JobWork {
    return this.work();
  }

  async rollbackBatch(): Promise<boolean> {
    return true;
  }

  onSucceeded(): void {
    this.deps.ring.reload().catch((error: unknown) => this.deps.logger?.error('keys.ring_reload_failed', error));
  }

  private graceLeft(c: Cursor): number {
    return Date.parse(c.addedAt) + (this.deps.graceMs ?? 15_000) - this.deps.clock.now();
  }

  private work(): JobWork {
    const batch = this.deps.batchSize ?? 200;
    let seen: Cursor | null = null;
    return {
      prepare: async (job: Job) => {
        const c = job.cursor as Cursor | null;
        seen = c;
        if (!c) return;
        if (!this.deps.ring.current().indexVersions.includes(c.target)) await this.deps.ring.reload();
        const wait = this.graceLeft(c);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1_000)));
      },
      appendsAudit: () => seen !== null && seen.table >= this.deps.tables.length,
      step: async (trx, job) => {
        const c = job.cursor as Cursor | null;
        if (!c) return this.addVersion(trx, job);
        if (this.graceLeft(c) > 0) return { done: job.done, cursor: c };
        if (c.table < this.deps.tables.length) return this.moveBatch(trx, job, c, batch);
        return this.finish(trx, job, c);
      },
    };
  }

  private async addVersion(trx: Knex.Transaction, job: Job) {
    const kek = await provenKek(trx, this.deps.vault, this.deps.installId);
    try {
      const from = await blindIndexVersions(trx);
      const now = this.deps.clock.nowIso();
      const target = await addDomainKeyVersion(trx, kek, 'blind-index', now);
      await trx(ROTATIONS_TABLE).insert({ id: randomUUID(), target: 'blind-index', from_ref: String(Math.max(...from)), to_ref: String(target), job_id: job.id, started_by: job.startedBy, started_at: now, finished_at: null } satisfies RotationRow);
      const cursor: Cursor = { target, from, addedAt: now, table: 0, after: '', pass: 1, moved: 0 };
      return { done: 0, cursor };
    } finally {
      kek.fill(0);
    }
  }

  private async moveBatch(trx: Knex.Transaction, job: Job, c: Cursor, batch: number) {
    const { moved, last } = await this.deps.tables[c.table]!.reindex(trx, c.target, c.after, batch);
    const next: Cursor = last === null ? { ...c, table: c.table + 1, after: '' } : { ...c, after: last };
    next.moved = c.moved + moved;
    return { done: job.done + moved, cursor: next };
  }

  private async finish(trx: Knex.Transaction, job: Job, c: Cursor) {
    let left = 0;
    for (const table of this.deps.tables) left += await table.countNotUnder(trx, c.target);
    if (left > 0) {
      // Written meanwhile under the old version (a batch sealed before the rotation), or changed under the job's
      // read: one more pass.
      if (c.pass >= 5) throw new AppError('CONFLICT', 'Rows keep being written under the old index key; the rotation stopped and can be run again.');
      return { done: job.done, cursor: { ...c, table: 0, after: '', pass: c.pass + 1 } };
    }
    const now = this.deps.clock.nowIso();
    const dropped = await trx('login_failures').whereNot('index_version', c.target).delete();
    for (const version of c.from) await destroyBlindIndexVersion(trx, version);
    await trx(ROTATIONS_TABLE).where({ job_id: job.id }).update({ finished_at: now });
    await this.deps.audit.append(trx, {
      actorId: job.startedBy,
      action: 'keys.rotated',
      outcome: 'ok',
      details: { purpose: 'blind-index', jobId: job.id, fromVersion: Math.max(...c.from), toVersion: c.target, moved: c.moved, passes: c.pass, destroyed: c.from.length, unknownNameCountersDropped: dropped },
    });
    return { done: job.done, cursor: c, finished: true };
  }
}
