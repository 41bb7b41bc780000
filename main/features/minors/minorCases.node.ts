import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.std.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import type { ApprovalStatus } from '../approvals/approvals.contract.std.ts';
import {
  customerStatus,
  quarantineCustomer,
  releaseQuarantine,
  type MinorFinding,
  type QuarantineReason,
  type RecordedAges,
} from '../customers/customers.port.node.ts';
import type { MinorCase, MinorCaseState, RELEASE_REASONS } from './minors.contract.std.ts';

type ReleaseReason = (typeof RELEASE_REASONS)[number];
const CASES = 'minor_cases';

/** How a minor's case reaches the deletion workflow (implemented over the erasure feature in the composition root). */
export interface MinorDeletions {
  /**
   * Files the request to delete the record, by the person who found the minor (so someone else decides it).
   * Null when the record cannot be deleted now (a legal hold): the case then waits for a manager's decision.
   */
  request(q: Queryable, input: { customerId: string; requesterId: string | null }): Promise<string | null>;
  /** The current status of these deletion requests. */
  statuses(q: Queryable, requestIds: readonly string[]): Promise<ReadonlyMap<string, ApprovalStatus>>;
  /** When each of these customers was erased (from the deletion ledger); absent when not erased. */
  erasedAt(q: Queryable, customerIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

interface CaseRow {
  id: string;
  customer_id: string;
  reason: QuarantineReason;
  found_at: string;
  found_by: string | null;
  deletion_request_id: string | null;
  outcome: 'released' | null;
  closed_at: string | null;
  closed_by: string | null;
  release_reason: ReleaseReason | null;
}

export interface CaseCounts {
  awaitingDeletion: number;
  needsDecision: number;
  erased: number;
  released: number;
}

/**
 * Records found to belong to a minor (policy: "personal information received from a minor ... will be deleted").
 * Finding one quarantines the record and requests its deletion in the same transaction; the case (ids, enums,
 * times only) outlives the record, so the minors report shows pending and completed cases without any PII.
 */
export class MinorCases implements MinorFinding {
  constructor(
    private readonly clock: Clock,
    private readonly ages: RecordedAges,
    private readonly deletions: MinorDeletions,
    private readonly staff: StaffDirectory,
  ) {}

  /** A corrected date of birth shows a minor (called by corrections): quarantine, unless a case is already open. */
  async minorFound(q: Queryable, input: { customerId: string; reason: QuarantineReason; foundBy: string | null }): Promise<void> {
    if (!(await this.openCaseOf(q, input.customerId))) await this.open(q, input);
  }

  /** Staff were told the customer is a minor. */
  async report(q: Queryable, customerId: string, foundBy: string): Promise<MinorCase> {
    await dialectOf(q).claimWrite(q);
    if (!(await customerStatus(q, customerId))) throw new AppError('NOT_FOUND', 'No such customer.');
    if (await this.openCaseOf(q, customerId)) {
      throw new AppError('CONFLICT', "This record is already set apart as a minor's; its case is in the minors report.");
    }
    const row = await this.open(q, { customerId, reason: 'reported_minor', foundBy });
    return (await this.describe(q, [row]))[0]!;
  }

  async list(q: Queryable, filter: { open?: boolean | undefined; offset: number; limit: number }): Promise<{ cases: MinorCase[]; total: number; counts: CaseCounts }> {
    // Minors' records are rare (intake refuses them), so every case is read and described at once.
    const rows = await q<CaseRow>(CASES).orderBy([{ column: 'found_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
    const all = await this.describe(q, rows);
    const counts: CaseCounts = { awaitingDeletion: 0, needsDecision: 0, erased: 0, released: 0 };
    const key: Record<MinorCaseState, keyof CaseCounts> = {
      awaiting_deletion: 'awaitingDeletion',
      needs_decision: 'needsDecision',
      erased: 'erased',
      released: 'released',
    };
    for (const c of all) counts[key[c.state]] += 1;
    const isOpen = (c: MinorCase) => c.state === 'awaiting_deletion' || c.state === 'needs_decision';
    const chosen = (filter.open === undefined ? all : all.filter((c) => isOpen(c) === filter.open)).sort((a, b) => Number(isOpen(b)) - Number(isOpen(a)));
    return { cases: chosen.slice(filter.offset, filter.offset + filter.limit), total: chosen.length, counts };
  }

  /** Lifts a quarantine found to be wrong; see the channel for who may, and when. */
  async release(q: Queryable, caseId: string, reason: ReleaseReason, managerId: string): Promise<MinorCase> {
    await dialectOf(q).claimWrite(q);
    const row = await q<CaseRow>(CASES).where({ id: caseId }).first();
    if (!row) throw new AppError('NOT_FOUND', 'No such minor case.');
    const [current] = await this.describe(q, [row]);
    if (current!.state === 'erased' || current!.state === 'released') throw new AppError('CONFLICT', `This case is closed (${current!.state}).`);
    if (row.found_by === managerId) throw new AppError('FORBIDDEN', 'You raised this case: another manager must release it.');
    if (current!.state === 'awaiting_deletion') {
      throw new AppError('CONFLICT', 'A deletion request for this record is waiting: deny it (with your reason) before releasing the record.');
    }
    if (await this.ages.recordedAsMinor(q, row.customer_id)) {
      throw new AppError('CONFLICT', "The date of birth on record is a minor's: correct it first if it is wrong.");
    }
    await releaseQuarantine(q, row.customer_id);
    const closed = { outcome: 'released' as const, closed_at: this.clock.nowIso(), closed_by: managerId, release_reason: reason };
    await q(CASES).where({ id: caseId }).update(closed);
    return (await this.describe(q, [{ ...row, ...closed }]))[0]!;
  }

  private async open(q: Queryable, input: { customerId: string; reason: QuarantineReason; foundBy: string | null }): Promise<CaseRow> {
    const at = this.clock.nowIso();
    await quarantineCustomer(q, { customerId: input.customerId, reason: input.reason, at });
    const row: CaseRow = {
      id: randomUUID(),
      customer_id: input.customerId,
      reason: input.reason,
      found_at: at,
      found_by: input.foundBy,
      deletion_request_id: await this.deletions.request(q, { customerId: input.customerId, requesterId: input.foundBy }),
      outcome: null,
      closed_at: null,
      closed_by: null,
      release_reason: null,
    };
    await q(CASES).insert(row);
    return row;
  }

  private async openCaseOf(q: Queryable, customerId: string): Promise<boolean> {
    const row = await q(CASES).where({ customer_id: customerId }).whereNull('outcome').first('id');
    return row !== undefined && (await customerStatus(q, customerId)) !== null;
  }

  private async describe(q: Queryable, rows: readonly CaseRow[]): Promise<MinorCase[]> {
    const requestIds = rows.flatMap((r) => (r.deletion_request_id ? [r.deletion_request_id] : []));
    const statuses = await this.deletions.statuses(q, requestIds);
    const erased = await this.deletions.erasedAt(q, rows.filter((r) => !r.outcome).map((r) => r.customer_id));
    const nameOf = await staffNameResolver(this.staff, q);
    return rows.map((r) => {
      const status = r.deletion_request_id ? (statuses.get(r.deletion_request_id) ?? null) : null;
      const erasedAt = erased.get(r.customer_id) ?? null;
      const state: MinorCaseState = r.outcome ? 'released' : erasedAt ? 'erased' : status === 'pending' ? 'awaiting_deletion' : 'needs_decision';
      return {
        id: r.id,
        customerId: r.customer_id,
        reason: r.reason,
        foundAt: r.found_at,
        foundBy: r.found_by,
        foundByName: nameOf(r.found_by),
        state,
        deletionRequestId: r.deletion_request_id,
        deletionRequestStatus: status,
        closedAt: r.closed_at ?? erasedAt,
        closedByName: nameOf(r.closed_by),
        releaseReason: r.release_reason,
      };
    });
  }
}
