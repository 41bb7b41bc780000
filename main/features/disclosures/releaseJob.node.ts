import type { Knex } from 'knex';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import type { Job, JobKind, JobWork, StepResult } from '../../platform/jobs/job.node.ts';
import type { CustomerPersonalData } from '../customers/customers.port.node.ts';
import { assertCustomersDisclosable } from './disclosureChecks.node.ts';
import type { DisclosureRegister } from './disclosureRegister.node.ts';
import type { DisclosureRequests, StoredRequest } from './disclosureRequests.node.ts';
import type { ReleaseFormat } from './disclosureRules.std.ts';
import { encodeRelease, encryptWithPassphrase, releaseRow, removeIfPresent, sha256Hex, writeWhole, type ReleaseRow } from './releaseFile.node.ts';

export const RELEASE_JOB = 'disclosures.release';
/** Customers read and opened per batch transaction. */
export const RELEASE_BATCH = 200;

interface ReleaseCursor {
  requestId: string;
  after: string | null;
}

/**
 * A release that did not finish (failed, cancelled, killed) gives its claim back, so the request can be released
 * again. It cannot resume: the rows were only ever held in memory (no PII staged on disk) and the passphrase
 * was never shown. A job killed before its claim committed has no cursor and nothing to undo.
 */
export function releaseJobKind(requests: DisclosureRequests): JobKind {
  return {
    kind: RELEASE_JOB,
    async rollbackBatch(trx: Knex.Transaction, job: Job): Promise<boolean> {
      const cursor = job.cursor as ReleaseCursor | null;
      if (cursor?.requestId) await requests.unclaim(trx, cursor.requestId);
      return true;
    },
  };
}

export interface ReleaseOutcome {
  entryId: string;
  fileSha256: string;
  rows: number;
}

/**
 * One release: claims the request (first batch), reads and checks its customers batch by batch, then in the
 * last batch's transaction checks every rule once more, writes the file, and appends the register entry and the
 * audit event. If that transaction does not commit, the file it wrote is removed by the caller (`discard`).
 */
export class ReleaseWork implements JobWork {
  private claimed = false;
  private after: string | null = null;
  private readonly rows: ReleaseRow[] = [];
  private pending: { claimed?: true; after?: string; rows?: ReleaseRow[] } | null = null;
  private wrote = false;
  outcome: ReleaseOutcome | null = null;

  constructor(
    private readonly deps: { requests: DisclosureRequests; register: DisclosureRegister; customers: CustomerPersonalData },
    private readonly request: StoredRequest,
    private readonly opts: {
      releaserId: string;
      format: ReleaseFormat;
      /** Null: written in clear. */
      passphrase: string | null;
      destination: string;
      batch?: number;
      /** Writes the release's audit event in the registering transaction. */
      publish: (trx: Knex.Transaction, outcome: ReleaseOutcome) => Promise<void>;
    },
  ) {}

  private get batch(): number {
    return this.opts.batch ?? RELEASE_BATCH;
  }

  private done = 0;

  async step(trx: Knex.Transaction): Promise<StepResult> {
    this.pending = null;
    // Every batch writes (the claim, its progress, the register): a writer from its first statement, so on SQLite
    // another workstation's commit makes it wait instead of failing with BUSY when it upgrades after reading.
    await dialectOf(trx).claimWrite(trx);
    const { requests } = this.deps;
    const { row } = this.request;
    if (!this.claimed) {
      await requests.claim(trx, row.id, this.opts.releaserId);
      await requests.recheck(trx, this.request, 'release');
      this.pending = { claimed: true };
      return { done: 0, total: Number(row.customer_count), cursor: { requestId: row.id, after: null } };
    }
    const ids = await requests.customerIds(trx, row.id, this.after, this.batch);
    if (ids.length > 0) {
      await assertCustomersDisclosable(trx, 'release', row.kind, ids);
      const data = await this.deps.customers.personalData(trx, ids);
      if (data.size !== ids.length) throw new AppError('CONFLICT', `${ids.length - data.size} of the customers no longer exist or were erased. Nothing was released.`);
      this.pending = { after: ids.at(-1)!, rows: ids.map((id) => releaseRow(data.get(id)!, this.request.fields)) };
      return { done: this.done + ids.length, cursor: { requestId: row.id, after: ids.at(-1)! } };
    }
    return this.finish(trx);
  }

  /** The last batch: every rule once more (consent may have been withdrawn meanwhile), then file, register, audit. */
  private async finish(trx: Knex.Transaction): Promise<StepResult> {
    const { requests, register } = this.deps;
    const { row, approval } = this.request;
    await requests.recheck(trx, this.request, 'release');
    const all = await requests.customerIds(trx, row.id);
    for (let i = 0; i < all.length; i += this.batch) await assertCustomersDisclosable(trx, 'release', row.kind, all.slice(i, i + this.batch));
    if (this.rows.length !== all.length) throw new AppError('CONFLICT', 'The request changed while it was released. Nothing was released.');
    const plain = encodeRelease(this.opts.format, this.request.fields, this.rows);
    const bytes = this.opts.passphrase ? await encryptWithPassphrase(plain, this.opts.passphrase) : plain;
    const fileSha256 = sha256Hex(bytes);
    writeWhole(this.opts.destination, bytes);
    this.wrote = true;
    const texts = row.kind === 'legal' ? await requests.texts(trx, row) : null;
    const entryId = await register.appendRelease(trx, {
      requestId: row.id,
      approvalId: approval.id,
      requestedBy: row.requester_id,
      approvedBy: approval.deciderId!,
      approvedAt: approval.decidedAt!,
      releasedBy: this.opts.releaserId,
      recipientId: row.recipient_id,
      recipientVersion: Number(row.recipient_version),
      kind: row.kind,
      fields: this.request.fields,
      customerIds: all,
      legal: texts?.legal ?? null,
      fileFormat: this.opts.format,
      encrypted: this.opts.passphrase !== null,
      fileSha256,
    });
    await requests.markReleased(trx, row.id, entryId);
    const outcome = { entryId, fileSha256, rows: this.rows.length };
    await this.opts.publish(trx, outcome);
    this.pending = null;
    this.outcome = outcome;
    return { done: all.length, finished: true };
  }

  appendsAudit(): boolean {
    return this.claimed && this.after !== null && this.rows.length >= Number(this.request.row.customer_count);
  }

  committed(): void {
    if (!this.pending) return;
    if (this.pending.claimed) this.claimed = true;
    if (this.pending.after !== undefined) this.after = this.pending.after;
    if (this.pending.rows) {
      this.rows.push(...this.pending.rows);
      this.done += this.pending.rows.length;
    }
    this.pending = null;
  }

  /** After a release that did not commit: the file it may have written goes too. */
  discard(): void {
    if (this.wrote) removeIfPresent(this.opts.destination);
    this.rows.length = 0;
  }
}
