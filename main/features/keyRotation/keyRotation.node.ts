import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.std.ts';
import { addDomainKeyVersion, rewrapDomainKeys } from '../../platform/crypto/domainKeys.node.ts';
import { kekName, kekNextName } from '../../platform/crypto/kek.node.ts';
import { KEK_BYTES, kekFacts } from '../../platform/crypto/keyRing.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { SecretVault } from '../../platform/keychain/vault.std.ts';
import type { Knex } from 'knex';
import type { AuditSink } from '../../platform/audit/auditSink.node.ts';
import type { Db, Queryable } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { inTransaction } from '../../platform/store/transaction.node.ts';
import type { JobWork } from '../../platform/jobs/job.node.ts';
import type { JobRunner } from '../../platform/jobs/jobRunner.node.ts';
import type { Logger } from '../../platform/log/logger.node.ts';
import type { KeyRingHolder } from './keyRingHolder.node.ts';

export const ROTATIONS_TABLE = 'key_rotations';

export interface RotationRow {
  id: string;
  target: 'kek' | 'dek-wrap' | 'audit' | 'blind-index';
  from_ref: string | null;
  to_ref: string;
  job_id: string | null;
  started_by: string | null;
  started_at: string;
  finished_at: string | null;
}

/**
 * The KEK of this database from the keychain, proven against the key check *inside* `q`: a transaction that
 * wraps anything under it conflicts with a KEK rotation committed meanwhile (another workstation), instead of
 * writing a row the new KEK cannot open.
 */
export async function provenKek(q: Queryable, vault: SecretVault, installId: string): Promise<Buffer> {
  const check = (await q('meta').where({ key: 'key_check' }).first<{ value: string } | undefined>('value'))?.value;
  const kek = await vault.get(kekName(installId));
  if (!kek || kek.length !== KEK_BYTES || kekFacts(kek).checkValue !== check) {
    kek?.fill(0);
    throw new AppError('CONFLICT', "This workstation's key no longer matches the database (was the key rotated on another workstation?). Nothing was changed.");
  }
  return kek;
}

/** Starts a rotation job; a second one of the same kind while one is unfinished is refused by the database. */
export async function startRotationJob(
  jobs: JobRunner,
  q: Queryable,
  spec: { kind: string; work: JobWork; startedBy: string; total: number; logger?: Pick<Logger, 'error'> },
): Promise<string> {
  let handle;
  try {
    handle = await jobs.start(spec.kind, spec.work, { startedBy: spec.startedBy, total: spec.total });
  } catch (error) {
    // jobs_one_key_rotation (migration 0016): another workstation or call started one first.
    if (dialectOf(q).classifyError(error) === 'unique_violation') throw new AppError('CONFLICT', 'A rotation of this key is already running. Nothing was started.');
    throw error;
  }
  handle.result.catch((error: unknown) => spec.logger?.error('keys.rotation_failed', error, { jobId: handle.id }));
  return handle.id;
}

export interface KeyRotationDeps {
  db: Db;
  vault: SecretVault;
  installId: string;
  clock: Clock;
  ring: KeyRingHolder;
  /** Queued for first in each transaction here, as every audited transaction is (the chain's head). */
  auditHead?: AuditSink;
}

/** A transaction that writes and appends to the audit chain: a writer from its first statement, queued for the head. */
export async function writerTransaction<T>(db: Db, auditHead: AuditSink | undefined, body: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return inTransaction(db, async (trx) => {
    await dialectOf(trx).claimWrite(trx);
    await auditHead?.reserve?.(trx);
    return body(trx);
  });
}

/** KEK rotation and audit-key rotation: both small, each one transaction (with the keychain around the KEK's). */
export class KeyRotation {
  /** The keychain has one parked slot per database: a second rotation here must not overwrite the first's key. */
  private rotatingKek = false;

  constructor(private readonly deps: KeyRotationDeps) {}

  /**
   * 1. the new KEK is parked in the keychain (`kek-next/…`); 2. one transaction rewraps the domain-key rows and
   * moves the key check — conditionally on the old check, so of two workstations rotating at once exactly one
   * wins — with the rotation's audit event; 3. the new KEK replaces the old one in the keychain (the old one is
   * gone: retired). A kill between 2 and 3 is finished at the next open (kek.node.ts), a kill before 2 forgotten.
   */
  async rotateKek(startedBy: string, audit: (q: Queryable, details: Record<string, string | number>) => Promise<void>): Promise<{ fromKekId: string; toKekId: string; rewrapped: number }> {
    if (this.rotatingKek) throw new AppError('CONFLICT', 'A rotation of the key-encryption key is already running on this workstation. Nothing was changed.');
    this.rotatingKek = true;
    try {
      return await this.rotateKekOnce(startedBy, audit);
    } finally {
      this.rotatingKek = false;
    }
  }

  private async rotateKekOnce(startedBy: string, audit: (q: Queryable, details: Record<string, string | number>) => Promise<void>): Promise<{ fromKekId: string; toKekId: string; rewrapped: number }> {
    const { db, vault, installId, clock } = this.deps;
    const old = await provenKek(db, vault, installId);
    const oldFacts = kekFacts(old);
    const fresh = randomBytes(KEK_BYTES);
    const newFacts = kekFacts(fresh);
    await vault.set(kekNextName(installId), fresh);
    let rewrapped: number;
    try {
      rewrapped = await writerTransaction(db, this.deps.auditHead, async (trx) => {
        const claimed = await trx('meta').where({ key: 'key_check', value: oldFacts.checkValue }).update({ value: newFacts.checkValue });
        if (claimed !== 1) throw new AppError('CONFLICT', 'The key was rotated on another workstation meanwhile. Nothing was changed.');
        const count = await rewrapDomainKeys(trx, old, fresh);
        const now = clock.nowIso();
        await trx(ROTATIONS_TABLE).insert({ id: randomUUID(), target: 'kek', from_ref: oldFacts.kekId, to_ref: newFacts.kekId, job_id: null, started_by: startedBy, started_at: now, finished_at: now } satisfies RotationRow);
        await audit(trx, { fromKekId: oldFacts.kekId, toKekId: newFacts.kekId, rewrapped: count });
        return count;
      });
    } catch (error) {
      await vault.delete(kekNextName(installId)).catch(() => undefined);
      old.fill(0);
      fresh.fill(0);
      throw error;
    }
    await vault.set(kekName(installId), fresh);
    await vault.delete(kekNextName(installId));
    old.fill(0);
    fresh.fill(0);
    await this.deps.ring.reload();
    return { fromKekId: oldFacts.kekId, toKekId: newFacts.kekId, rewrapped };
  }

  /** A new audit-key version: every event from the next one on is hashed with it; older events keep theirs. */
  async rotateAudit(startedBy: string, audit: (q: Queryable, details: Record<string, string | number>) => Promise<void>): Promise<number> {
    const { db, vault, installId, clock } = this.deps;
    const version = await writerTransaction(db, this.deps.auditHead, async (trx) => {
      const kek = await provenKek(trx, vault, installId);
      try {
        const from = this.deps.ring.current().audit.version;
        const added = await addDomainKeyVersion(trx, kek, 'audit', clock.nowIso());
        const now = clock.nowIso();
        await trx(ROTATIONS_TABLE).insert({ id: randomUUID(), target: 'audit', from_ref: String(from), to_ref: String(added), job_id: null, started_by: startedBy, started_at: now, finished_at: now } satisfies RotationRow);
        await audit(trx, { purpose: 'audit', fromVersion: from, toVersion: added });
        return added;
      } finally {
        kek.fill(0);
      }
    });
    await this.deps.ring.reload();
    return version;
  }
}
