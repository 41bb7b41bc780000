import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../../platform/clock.std.ts';
import { DOMAIN_WRAP_BYTE, domainWrapPrefix, domainWrapperAt, LEGACY_WRAP_BYTE } from '../../platform/crypto/dataKeys.node.ts';
import { addDomainKeyVersion, retireDomainKeyVersion } from '../../platform/crypto/domainKeys.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { SecretVault } from '../../platform/keychain/vault.std.ts';
import type { Logger } from '../../platform/log/logger.node.ts';
import type { Job, JobCursor, JobKind, JobWork } from '../../platform/jobs/job.node.ts';
import type { JobAuditSink, JobRunner } from '../../platform/jobs/jobRunner.node.ts';
import { asBuffer, type Queryable } from '../../platform/store/database.node.ts';
import type { KeyRingHolder } from './keyRingHolder.node.ts';
import { provenKek, ROTATIONS_TABLE, startRotationJob, type RotationRow } from './keyRotation.node.ts';

export const DEK_WRAP_ROTATION_JOB = 'key-rotation.dek-wrap';

/**
 * The rows whose data key (or customer key) the dek-wrap domain key wraps and that may be rewritten, with the
 * row binding each wrap was made under. Copied here (as the customer-key migration does) so the job keeps its
 * meaning when the features change; `keyRotation.test.ts` proves every record still opens after a rotation.
 */
interface MovableTable {
  table: string;
  key: string;
  column: string;
  select: readonly string[];
  rowId(row: Record<string, unknown>): string;
}
const MOVABLE: readonly MovableTable[] = [
  { table: 'customer_keys', key: 'customer_id', column: 'wrapped_key', select: [], rowId: (r) => String(r.customer_id) },
  { table: 'disclosure_request_keys', key: 'request_id', column: 'wrapped_key', select: [], rowId: (r) => String(r.request_id) },
  { table: 'users', key: 'id', column: 'dek', select: [], rowId: (r) => String(r.id) },
  {
    table: 'approvals',
    key: 'id',
    column: 'dek',
    select: ['kind', 'subject_id', 'payload'],
    // approvalService's `sealedAs`: the reason's binding names the request's clear facts.
    rowId: (r) => `${String(r.id)}/${String(r.kind)}/${String(r.subject_id)}/${createHash('sha256').update(String(r.payload)).digest('base64url')}`,
  },
];

/** Rows whose wrap is domain-made but not by `target` (legacy 0x01, or 0x02 with another version). */
function underOtherVersions(qb: Knex.QueryBuilder, column: string, target: number): Knex.QueryBuilder {
  return qb.where((w) => {
    void w.whereRaw('substr(??, 1, 1) = ?', [column, LEGACY_WRAP_BYTE]).orWhereRaw('(substr(??, 1, 1) = ? and substr(??, 1, 3) <> ?)', [column, DOMAIN_WRAP_BYTE, column, domainWrapPrefix(target)]);
  });
}

async function count(qb: Knex.QueryBuilder): Promise<number> {
  const row = (await qb.count<{ n: number | string }[]>('* as n'))[0];
  return Number(row?.n ?? 0);
}

interface Cursor {
  [key: string]: JobCursor;
  target: number;
  /** The versions being moved off (current before the rotation). */
  from: number[];
  addedAt: string;
  table: number;
  after: string;
  pass: number;
  moved: number;
}

export interface DekWrapRotationDeps {
  vault: SecretVault;
  installId: string;
  clock: Clock;
  ring: KeyRingHolder;
  audit: JobAuditSink;
  logger?: Pick<Logger, 'warn' | 'error'>;
  /** Rows per batch (each batch its own transaction). */
  batchSize?: number;
  /**
   * How long the new version must exist before the old one is retired: other workstations sharing the database
   * reload their key ring within one sweep (5 s), and a row one of them wrapped under the old version meanwhile
   * is moved by another pass.
   */
  graceMs?: number;
}

/**
 * DEK-wrap rotation as a job: batch 1 adds the next dek-wrap version (new wraps use it once the ring reloads);
 * then every customer key, request key, staff record and approval wrapped under an older version is rewrapped,
 * a batch per transaction, resumable from the last key done; a final pass finds rows another workstation wrapped
 * under the old version meanwhile; the last batch retires the old version (and destroys its material when no
 * row anywhere needs it) with the `keys.rotated` audit event. Every batch leaves rows under one version or the
 * other, both keys present: there is never anything to roll back.
 */
export class DekWrapRotation implements JobKind {
  readonly kind = DEK_WRAP_ROTATION_JOB;

  constructor(private readonly deps: DekWrapRotationDeps) {}

  /** Rows still to move off the current version (the progress total when a rotation starts). */
  async pending(q: Queryable): Promise<number> {
    const target = this.deps.ring.current().dekWrap.version + 1;
    let n = 0;
    for (const spec of MOVABLE) n += await count(underOtherVersions(q(spec.table), spec.column, target));
    return n;
  }

  /** Starts the rotation; a second one while one is unfinished is refused by the database (CONFLICT). */
  async start(jobs: JobRunner, q: Queryable, startedBy: string): Promise<string> {
    return startRotationJob(jobs, q, { kind: DEK_WRAP_ROTATION_JOB, work: this.work(), startedBy, total: await this.pending(q), logger: this.deps.logger });
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

  private work(): JobWork {
    const batch = this.deps.batchSize ?? 100;
    let seen: Cursor | null = null;
    const ringHas = (version: number) => {
      try {
        this.deps.ring.current().domainKey('dek-wrap', version);
        return true;
      } catch {
        return false;
      }
    };
    return {
      prepare: async (job: Job) => {
        const c = job.cursor as Cursor | null;
        seen = c;
        if (!c) return;
        if (!ringHas(c.target)) await this.deps.ring.reload();
        if (c.table >= MOVABLE.length) {
          const wait = Date.parse(c.addedAt) + (this.deps.graceMs ?? 15_000) - this.deps.clock.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1_000)));
        }
      },
      appendsAudit: () => seen !== null && seen.table >= MOVABLE.length,
      step: async (trx, job) => {
        const c = job.cursor as Cursor | null;
        if (!c) return this.addVersion(trx, job);
        if (c.table < MOVABLE.length) return this.moveBatch(trx, job, c, batch);
        return this.finish(trx, job, c);
      },
    };
  }

  private async addVersion(trx: Knex.Transaction, job: Job) {
    const kek = await provenKek(trx, this.deps.vault, this.deps.installId);
    try {
      const from = (await trx('domain_keys').where({ purpose: 'dek-wrap' }).whereNull('retired_at').pluck<number[]>('version')).map(Number);
      const now = this.deps.clock.nowIso();
      const target = await addDomainKeyVersion(trx, kek, 'dek-wrap', now);
      await trx(ROTATIONS_TABLE).insert({ id: randomUUID(), target: 'dek-wrap', from_ref: String(Math.max(...from)), to_ref: String(target), job_id: job.id, started_by: job.startedBy, started_at: now, finished_at: null } satisfies RotationRow);
      const cursor: Cursor = { target, from, addedAt: now, table: 0, after: '', pass: 1, moved: 0 };
      return { done: 0, cursor };
    } finally {
      kek.fill(0);
    }
  }

  private async moveBatch(trx: Knex.Transaction, job: Job, c: Cursor, batch: number) {
    const spec = MOVABLE[c.table]!;
    const ring = this.deps.ring.current();
    const wrapper = domainWrapperAt(ring, () => ring.domainKey('dek-wrap', c.target));
    // No lower bound at the start of a table: '' is not a uuid to PostgreSQL.
    const from = c.after ? trx(spec.table).where(spec.key, '>', c.after) : trx(spec.table);
    const rows = await underOtherVersions(from, spec.column, c.target)
      .orderBy(spec.key)
      .limit(batch)
      .select<Record<string, unknown>[]>(spec.key, spec.column, ...spec.select);
    for (const row of rows) {
      const rowId = spec.rowId(row);
      const rewrapped = wrapper.wrap(wrapper.unwrap(asBuffer(row[spec.column] as Buffer), spec.table, rowId), spec.table, rowId);
      await trx(spec.table).where(spec.key, row[spec.key] as string).update({ [spec.column]: rewrapped });
    }
    const next: Cursor = rows.length < batch ? { ...c, table: c.table + 1, after: '' } : { ...c, after: String(rows.at(-1)![spec.key]) };
    next.moved = c.moved + rows.length;
    return { done: job.done + rows.length, cursor: next };
  }

  private async finish(trx: Knex.Transaction, job: Job, c: Cursor) {
    let left = 0;
    for (const spec of MOVABLE) left += await count(underOtherVersions(trx(spec.table), spec.column, c.target));
    if (left > 0) {
      // Wrapped meanwhile by a workstation whose ring had not seen the new version yet: one more pass.
      if (c.pass >= 5) throw new AppError('CONFLICT', 'Rows keep being written under the old key version; the rotation stopped and can be run again.');
      return { done: job.done, cursor: { ...c, table: 0, after: '', pass: c.pass + 1 } };
    }
    const now = this.deps.clock.nowIso();
    if (Date.parse(c.addedAt) + (this.deps.graceMs ?? 15_000) > this.deps.clock.now()) return { done: job.done, cursor: c };
    // Retired, never destroyed here: a workstation whose ring has not reloaded yet (a failed reload, or one still on
    // a KEK rotated elsewhere) may wrap a new customer key under the old version after this check; destroying the
    // material would make that customer unreadable everywhere.
    for (const version of c.from) await retireDomainKeyVersion(trx, 'dek-wrap', version, now);
    await trx(ROTATIONS_TABLE).where({ job_id: job.id }).update({ finished_at: now });
    await this.deps.audit.append(trx, {
      actorId: job.startedBy,
      action: 'keys.rotated',
      outcome: 'ok',
      details: { purpose: 'dek-wrap', jobId: job.id, fromVersion: Math.max(...c.from), toVersion: c.target, moved: c.moved, passes: c.pass, retired: c.from.length },
    });
    return { done: job.done, cursor: c, finished: true };
  }
}
