import type { Knex } from 'knex';
import type { AuditSink } from '../../platform/audit/auditSink.node.ts';
import type { Clock } from '../../platform/clock.std.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Logger } from '../../platform/log/logger.node.ts';
import type { Db, Queryable } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { inTransaction } from '../../platform/store/transaction.node.ts';
import type { ApprovalService } from '../approvals/approvals.port.node.ts';
import type { DeletionChannel, TombstoneReason } from './erasure.contract.std.ts';
import { heldMessage, type LegalHolds } from './holds.node.ts';

export const TOMBSTONES_TABLE = 'deletion_tombstones';
export const LEDGER_TABLE = 'deletion_ledger';
export const ALREADY_DELETED = 'This customer was already deleted.';
const NO_SUCH_CUSTOMER = 'No such customer.';

/** Destroys a customer's key after moving every record about it under that key (the keys feature implements it). */
export interface CustomerShredder {
  shredCustomer(q: Queryable, customerId: string): Promise<void>;
}

/**
 * Every table holding rows about a customer, deleted child first: `via` reaches rows through the customer's
 * orders. The customer's key row and the customer row itself go last (see `erase`). A feature that adds a table
 * about customers adds it here. Kept on purpose, as evidence holding ids, enums and dates only: tracked customer
 * requests, minor cases, retention batch items, disclosure requests' customer lists and the disclosure register
 * (append-only); their sealed texts die with the key.
 */
export const CUSTOMER_ROWS: readonly { table: string; column: string; via?: 'orders' }[] = [
  { table: 'licence_resends', column: 'order_id', via: 'orders' },
  { table: 'card_reveals', column: 'customer_id' },
  { table: 'order_items', column: 'order_id', via: 'orders' },
  { table: 'orders', column: 'customer_id' },
  { table: 'consent_events', column: 'customer_id' },
  { table: 'customer_consents', column: 'customer_id' },
  { table: 'customer_corrections', column: 'customer_id' },
  { table: 'break_glass_reviews', column: 'customer_id' },
  { table: 'legal_holds', column: 'customer_id' },
  { table: 'announcement_recipients', column: 'customer_id' },
];

/** What a tombstone records besides the id and the time of deletion. Ids, enums and times only. */
export interface TombstoneFacts {
  reason: TombstoneReason;
  channel: DeletionChannel | null;
  requesterId: string | null;
  approverId: string | null;
  approvalId: string | null;
  batchId: string | null;
  requestedAt: string | null;
  approvedAt: string | null;
}

export interface TombstoneRow {
  id: string;
  reason: TombstoneReason;
  channel: DeletionChannel | null;
  requester_id: string | null;
  approver_id: string | null;
  approval_id: string | null;
  batch_id: string | null;
  requested_at: string | null;
  approved_at: string | null;
  deleted_at: string;
}

/** One entry of the deletion ledger: which customer, when. What a restore re-applies. */
export interface LedgerEntry {
  customerId: string;
  deletedAt: string;
}

/**
 * Runs `work` once the transaction `q` has committed (at once when `q` is no transaction); nothing when it rolls
 * back. On PostgreSQL a retried transaction registers again from its new attempt, so it runs once.
 */
export function afterCommit(q: Queryable, work: () => Promise<void>): void {
  const done = q.isTransaction ? (q as Knex.Transaction).executionPromise : Promise.resolve();
  done.then(work, () => undefined).catch(() => undefined);
}

/**
 * The one way a customer is deleted — by an approved request, by the retention job, or by re-applying the
 * ledger after a restore: in the caller's transaction the customer's key is destroyed, every row about the
 * customer removed, the reasons of approvals about them dropped, and a tombstone and a ledger entry written. After
 * the commit the freed pages are reclaimed (SQLite: WAL checkpoint), so the files hold no trace.
 */
export class CustomerEraser {
  /** Resolves once every reclaim started so far has finished (tests, and the bench, wait on it). */
  private reclaiming: Promise<void> = Promise.resolve();
  private reclaimQueued = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly shredder: CustomerShredder,
    private readonly holds: LegalHolds,
    private readonly approvals: ApprovalService,
    private readonly audit: AuditSink,
    private readonly logger?: Pick<Logger, 'error'>,
  ) {}

  async isDeleted(q: Queryable, customerId: string): Promise<boolean> {
    return Boolean(await q(LEDGER_TABLE).where({ customer_id: customerId }).first('customer_id'));
  }

  /**
   * Deletes the customer. Refused (nothing changed): NOT_FOUND for no such customer, CONFLICT when already
   * deleted or under a legal hold. The caller's transaction must have claimed the write (claimWrite) first.
   */
  async erase(q: Queryable, customerId: string, facts: TombstoneFacts, actorId: string | null): Promise<void> {
    const found = await dialectOf(q).forUpdate(q('customers').where({ id: customerId }).select('id')).first();
    if (!found) throw (await this.isDeleted(q, customerId)) ? new AppError('CONFLICT', ALREADY_DELETED) : new AppError('NOT_FOUND', NO_SUCH_CUSTOMER);
    const hold = await this.holds.activeHold(q, customerId);
    if (hold) throw new AppError('CONFLICT', heldMessage(hold));

    await this.shredder.shredCustomer(q, customerId);
    const orderIds = (await q('orders').where({ customer_id: customerId }).select<{ id: string }[]>('id')).map((r) => r.id);
    for (const spec of CUSTOMER_ROWS) {
      if (spec.via === 'orders') {
        for (let i = 0; i < orderIds.length; i += 500) await q(spec.table).whereIn(spec.column, orderIds.slice(i, i + 500)).delete();
      } else {
        await q(spec.table).where({ [spec.column]: customerId }).delete();
      }
    }
    await this.approvals.forgetCustomer(q, customerId);
    await q('customers').where({ id: customerId }).delete();

    const now = this.clock.nowIso();
    const row: TombstoneRow = {
      id: customerId,
      reason: facts.reason,
      channel: facts.channel,
      requester_id: facts.requesterId,
      approver_id: facts.approverId,
      approval_id: facts.approvalId,
      batch_id: facts.batchId,
      requested_at: facts.requestedAt,
      approved_at: facts.approvedAt,
      deleted_at: now,
    };
    await q(TOMBSTONES_TABLE).insert(row);
    await q(LEDGER_TABLE).insert({ customer_id: customerId, deleted_at: now }).onConflict('customer_id').ignore();
    await this.audit.append(q, {
      actorId,
      action: 'customer.deleted',
      outcome: 'ok',
      details: { customerId, reason: facts.reason, approvalId: facts.approvalId, batchId: facts.batchId, orders: orderIds.length },
    });
    afterCommit(q, () => this.reclaim());
  }

  /**
   * Checkpoints the WAL (SQLite) so the pages secure_delete overwrote replace the old ones in the main file. The
   * deletions of one commit (a retention batch holds many) share one reclaim.
   */
  reclaim(): Promise<void> {
    if (this.reclaimQueued) return this.reclaiming;
    this.reclaimQueued = true;
    this.reclaiming = this.reclaiming
      .then(() => {
        this.reclaimQueued = false;
        return dialectOf(this.db).reclaimFreedSpace(this.db);
      })
      .catch((error: unknown) => this.logger?.error('erasure.reclaim_failed', error));
    return this.reclaiming;
  }

  /** Waits for reclaims started so far. */
  settled(): Promise<void> {
    return this.reclaiming;
  }

  async tombstones(q: Queryable, page: { offset: number; limit: number }): Promise<{ rows: TombstoneRow[]; total: number }> {
    const rows = await q<TombstoneRow>(TOMBSTONES_TABLE).orderBy('deleted_at', 'desc').orderBy('id').offset(page.offset).limit(page.limit);
    const total = Number((await q(TOMBSTONES_TABLE).count<{ n: number }[]>('* as n'))[0]?.n ?? 0);
    return { rows, total };
  }

  /** When each of these customers was deleted; customers never deleted are left out. */
  async deletedAt(q: Queryable, customerIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < customerIds.length; i += 500) {
      const rows = await q(LEDGER_TABLE).whereIn('customer_id', customerIds.slice(i, i + 500)).select<{ customer_id: string; deleted_at: string }[]>('customer_id', 'deleted_at');
      for (const row of rows) found.set(row.customer_id, row.deleted_at);
    }
    return found;
  }

  async ledger(q: Queryable): Promise<LedgerEntry[]> {
    const rows = await q(LEDGER_TABLE).orderBy('deleted_at').orderBy('customer_id').select<{ customer_id: string; deleted_at: string }[]>('customer_id', 'deleted_at');
    return rows.map((r) => ({ customerId: r.customer_id, deletedAt: r.deleted_at }));
  }

  /**
   * Ledger entries whose customer the database still holds: a database restored outside the console (PostgreSQL:
   * `scripts/pg-backup.sh restore --ledger-from`) with the replaced database's ledger carried into it. The core
   * deletes them again at open.
   */
  async stillPresent(q: Queryable): Promise<LedgerEntry[]> {
    const rows = await q(LEDGER_TABLE)
      .join('customers', 'customers.id', `${LEDGER_TABLE}.customer_id`)
      .orderBy(`${LEDGER_TABLE}.deleted_at`)
      .select<{ customer_id: string; deleted_at: string }[]>(`${LEDGER_TABLE}.customer_id`, `${LEDGER_TABLE}.deleted_at`);
    return rows.map((r) => ({ customerId: r.customer_id, deletedAt: r.deleted_at }));
  }

  /**
   * After a restore of an older backup: every customer in `entries` still present in this database is deleted
   * again (tombstone reason `restore`), each in its own transaction, and every entry is recorded in this
   * database's ledger. Idempotent: a second run finds nothing to delete. A customer under a legal hold in the
   * restored database is deleted all the same — the hold was released before the deletion it re-applies.
   */
  async reapply(db: Db, entries: readonly LedgerEntry[]): Promise<{ deleted: number }> {
    let deleted = 0;
    for (const entry of entries) {
      const removed = await inTransaction(db, async (trx) => {
        await dialectOf(trx).claimWrite(trx);
        await this.audit.reserve?.(trx);
        const present = await trx('customers').where({ id: entry.customerId }).first('id');
        if (present) {
          await trx('legal_holds').where({ customer_id: entry.customerId }).delete();
          const facts = { reason: 'restore', channel: null, requesterId: null, approverId: null, approvalId: null, batchId: null, requestedAt: null, approvedAt: entry.deletedAt } as const;
          await this.erase(trx, entry.customerId, facts, null);
        }
        await trx(LEDGER_TABLE).insert({ customer_id: entry.customerId, deleted_at: entry.deletedAt }).onConflict('customer_id').ignore();
        return Boolean(present);
      });
      if (removed) deleted += 1;
    }
    if (db !== this.db) await dialectOf(db).reclaimFreedSpace(db);
    return { deleted };
  }
}
