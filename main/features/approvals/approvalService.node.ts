import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.std.ts';
import type { KeyRing } from '../../platform/crypto/keyRing.node.ts';
import { domainWrapper, isShredded, type DataKeyWrapper } from '../../platform/crypto/dataKeys.node.ts';
import type { SubjectKeys } from '../../platform/crypto/subjectKeys.node.ts';
import { RecordCipher } from '../../platform/crypto/recordCipher.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Role } from '../../platform/ipc/roles.std.ts';
import { id as idSchema } from '../../platform/ipc/schemas.std.ts';
import { describeIssues } from '../../platform/ipc/validation.std.ts';
import { asBuffer, type Db, type Queryable } from '../../platform/store/database.node.ts';
import { inTransaction } from '../../platform/store/transaction.node.ts';
import type { ApprovalKind, ApprovalKinds, ApprovalRequest } from './approvalKinds.node.ts';
import { approvalReason, type ApprovalDecision, type ApprovalPayload, type ApprovalStatus } from './approvals.contract.std.ts';

export const APPROVALS_TABLE = 'approvals';

interface ApprovalDbRow {
  id: string;
  kind: string;
  subject_id: string;
  status: ApprovalStatus;
  requester_id: string;
  decider_id: string | null;
  requested_at: string;
  decided_at: string | null;
  expires_at: string;
  payload: string;
  dek: Buffer;
  request_reason: Buffer;
  decision_reason: Buffer | null;
}

/** A request with its reasons opened; staff names and subject labels are resolved by the caller. */
export interface ApprovalRecord extends ApprovalRequest {
  kindLabel: string;
  requestReason: string;
  decisionReason: string | null;
}

export interface NewApprovalRequest {
  kind: string;
  subjectId: string;
  requesterId: string;
  reason: string;
  payload: unknown;
}

export interface ApprovalDecisionInput {
  id: string;
  deciderId: string;
  deciderRole: Role;
  decision: ApprovalDecision;
  reason?: string | null;
}

function parseOrRefuse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('INVALID_INPUT', describeIssues(parsed.error.issues));
  return parsed.data;
}

const requestShape = z.object({ subjectId: idSchema, requesterId: idSchema, reason: approvalReason });
const decisionShape = z.object({ id: idSchema, deciderId: idSchema, reason: approvalReason.nullable() });

const ERASED_TEXT = '(erased with the customer’s records)';

/**
 * The row binding of a request's sealed reasons: its id, kind, subject and payload. A database writer who
 * re-points a pending request at another subject or payload makes it unreadable, so it cannot be decided.
 */
function sealedAs(row: Pick<ApprovalDbRow, 'id' | 'kind' | 'subject_id' | 'payload'>): string {
  return `${row.id}/${row.kind}/${row.subject_id}/${createHash('sha256').update(row.payload).digest('base64url')}`;
}

/**
 * Four-eyes approvals for every kind the app registers. The decision is one conditional UPDATE as the
 * transaction's first statement: it takes SQLite's write lock (or the row lock elsewhere) before anything is
 * read, so of two managers deciding at once exactly one changes the row and the other sees CONFLICT.
 * Reasons are sealed with the row's own data key and never leave this service except to the screens that show them.
 */
export class ApprovalService {
  private readonly cipher: RecordCipher;

  constructor(
    private readonly ring: () => KeyRing,
    private readonly clock: Clock,
    readonly kinds: ApprovalKinds,
    private readonly customerKeys: SubjectKeys,
  ) {
    this.cipher = new RecordCipher(APPROVALS_TABLE);
  }

  private aboutCustomer(row: Pick<ApprovalDbRow, 'kind'>): boolean {
    return this.kinds.find(row.kind)?.subjectIsCustomer === true;
  }

  /** Reasons about a customer are under the customer's key; others under the dek-wrap domain key. */
  private async keysFor(q: Queryable, row: Pick<ApprovalDbRow, 'kind' | 'subject_id'>): Promise<DataKeyWrapper> {
    return this.aboutCustomer(row) ? this.customerKeys.wrapperFor(q, row.subject_id) : domainWrapper(this.ring());
  }

  private kind(name: string): ApprovalKind {
    const kind = this.kinds.find(name);
    if (!kind) throw new AppError('INVALID_INPUT', 'Unknown approval kind.');
    return kind;
  }

  /** Files a request. The caller's own channel audits it (approval id and kind). */
  async request(q: Queryable, input: NewApprovalRequest): Promise<ApprovalRecord> {
    const kind = this.kind(input.kind);
    const { subjectId, requesterId, reason } = parseOrRefuse(requestShape, input);
    const payload = parseOrRefuse(kind.payload, input.payload) as ApprovalPayload;
    const id = randomUUID();
    const now = this.clock.now();
    const facts = { id, kind: kind.name, subject_id: subjectId, payload: JSON.stringify(payload) };
    const keys = kind.subjectIsCustomer ? await this.customerKeys.ensure(q, subjectId, this.clock.nowIso()) : domainWrapper(this.ring());
    const sealed = this.cipher.sealNew(keys, sealedAs(facts), { request_reason: reason });
    const row: ApprovalDbRow = {
      ...facts,
      status: 'pending',
      requester_id: requesterId,
      decider_id: null,
      requested_at: new Date(now).toISOString(),
      decided_at: null,
      expires_at: new Date(now + kind.expiresInMs).toISOString(),
      dek: sealed.dek,
      request_reason: sealed.columns.request_reason!,
      decision_reason: null,
    };
    await q(APPROVALS_TABLE).insert(row);
    return this.toRecord(row, keys);
  }

  /**
   * Approves or denies. Runs the kind's `onApproved` in the same transaction, so a failing hook leaves the
   * request pending. Refusals: NOT_FOUND, FORBIDDEN (own request, missing permission), CONFLICT (already
   * decided, withdrawn or expired), INVALID_INPUT (a denial without a reason).
   */
  async decide(q: Queryable, input: ApprovalDecisionInput): Promise<ApprovalRecord> {
    if (!q.isTransaction) return inTransaction(q as Db, (trx) => this.decide(trx, input));
    const { id, deciderId, reason } = parseOrRefuse(decisionShape, { id: input.id, deciderId: input.deciderId, reason: input.reason ?? null });
    if (input.decision === 'deny' && reason === null) throw new AppError('INVALID_INPUT', 'reason: A denial needs a reason');
    const now = this.clock.nowIso();
    const status: ApprovalStatus = input.decision === 'approve' ? 'approved' : 'denied';
    const changed = await q(APPROVALS_TABLE)
      .where({ id, status: 'pending' })
      .where('expires_at', '>', now)
      .whereNot('requester_id', deciderId)
      .whereIn('kind', this.kinds.decidableBy(input.deciderRole))
      .update({ status, decider_id: deciderId, decided_at: now });
    const row = await q<ApprovalDbRow>(APPROVALS_TABLE).where({ id }).first();
    if (changed === 0) throw this.whyNot(row, deciderId, input.deciderRole, now);
    if (!row) throw new AppError('NOT_FOUND', 'No such approval request.');
    const keys = await this.keysFor(q, row);
    if (reason !== null) {
      const columns = this.cipher.reseal(keys, sealedAs(row), asBuffer(row.dek), { decision_reason: reason });
      row.decision_reason = columns.decision_reason!;
      await q(APPROVALS_TABLE).where({ id }).update({ decision_reason: row.decision_reason });
    }
    const record = this.toRecord(row, keys);
    const { kindLabel: _label, requestReason: _request, decisionReason: _decision, ...request } = record;
    if (status === 'approved') await this.kind(row.kind).onApproved?.(q, request);
    else await this.kind(row.kind).onDenied?.(q, request);
    return record;
  }

  /** The reason a conditional decision changed nothing, most specific first. */
  private whyNot(row: ApprovalDbRow | undefined, deciderId: string, role: Role, now: string): AppError {
    if (!row) return new AppError('NOT_FOUND', 'No such approval request.');
    if (row.requester_id === deciderId) return new AppError('FORBIDDEN', 'You cannot decide your own request: someone else must approve or deny it.');
    if (!this.kinds.decidableBy(role).includes(row.kind)) return new AppError('FORBIDDEN', 'Your role is not permitted to decide this kind of request.');
    if (row.status === 'pending' && row.expires_at <= now) return new AppError('CONFLICT', 'This request has expired and can no longer be decided.');
    return new AppError('CONFLICT', `This request was already ${row.status === 'pending' ? 'decided' : row.status}: it can no longer be decided.`);
  }

  /** The requester takes back their own pending request. */
  async withdraw(q: Queryable, input: { id: string; requesterId: string }): Promise<ApprovalRecord> {
    const { id, requesterId } = parseOrRefuse(z.object({ id: idSchema, requesterId: idSchema }), input);
    const now = this.clock.nowIso();
    const changed = await q(APPROVALS_TABLE)
      .where({ id, status: 'pending', requester_id: requesterId })
      .where('expires_at', '>', now)
      .update({ status: 'withdrawn', decided_at: now });
    const row = await q<ApprovalDbRow>(APPROVALS_TABLE).where({ id }).first();
    if (!row) throw new AppError('NOT_FOUND', 'No such approval request.');
    if (changed === 0) {
      if (row.requester_id !== requesterId) throw new AppError('FORBIDDEN', 'Only the person who made a request can withdraw it.');
      if (row.status === 'pending') throw new AppError('CONFLICT', 'This request has expired and can no longer be withdrawn.');
      throw new AppError('CONFLICT', `This request was already ${row.status}: it can no longer be withdrawn.`);
    }
    return this.toRecord(row, await this.keysFor(q, row));
  }

  /** Marks pending requests past their expiry as expired; returns their ids. */
  async expireDue(q: Queryable): Promise<string[]> {
    const now = this.clock.nowIso();
    const due = await q<ApprovalDbRow>(APPROVALS_TABLE).where({ status: 'pending' }).where('expires_at', '<=', now).select('id');
    if (due.length === 0) return [];
    const ids = due.map((r) => r.id);
    await q(APPROVALS_TABLE).whereIn('id', ids).where({ status: 'pending' }).update({ status: 'expired', decided_at: now });
    return ids;
  }

  async get(q: Queryable, id: string): Promise<ApprovalRecord> {
    const row = await q<ApprovalDbRow>(APPROVALS_TABLE).where({ id: parseOrRefuse(idSchema, id) }).first();
    if (!row) throw new AppError('NOT_FOUND', 'No such approval request.');
    return this.toRecord(row, await this.keysFor(q, row));
  }

  /**
   * What a viewer may see: requests of kinds their role may decide, and their own. Pending oldest first (the
   * queue), then the most recent decisions.
   */
  async list(q: Queryable, opts: { viewerId: string; viewerRole: Role; recentLimit: number }): Promise<{ pending: ApprovalRecord[]; recent: ApprovalRecord[] }> {
    const decidable = this.kinds.decidableBy(opts.viewerRole);
    const visible = () => q<ApprovalDbRow>(APPROVALS_TABLE).where((w) => void w.whereIn('kind', decidable).orWhere('requester_id', opts.viewerId));
    const pending = await visible().where({ status: 'pending' }).orderBy('requested_at').orderBy('id');
    const recent =
      opts.recentLimit === 0 ? [] : await visible().whereNot({ status: 'pending' }).orderBy('decided_at', 'desc').orderBy('id').limit(opts.recentLimit);
    const customerKeys = await this.customerKeys.wrappersFor(q, [...pending, ...recent].filter((r) => this.aboutCustomer(r)).map((r) => r.subject_id));
    const keysOf = (r: ApprovalDbRow) => (this.aboutCustomer(r) ? customerKeys.get(r.subject_id)! : domainWrapper(this.ring()));
    return { pending: pending.map((r) => this.toRecord(r, keysOf(r))), recent: recent.map((r) => this.toRecord(r, keysOf(r))) };
  }

  /** Requests of one kind, newest first: every one, or only those `requesterId` filed. */
  async listKind(q: Queryable, opts: { kind: string; requesterId?: string; limit: number }): Promise<ApprovalRecord[]> {
    const rows: ApprovalDbRow[] = await q<ApprovalDbRow>(APPROVALS_TABLE)
      .where({ kind: opts.kind })
      .modify((b) => void (opts.requesterId && b.where({ requester_id: opts.requesterId })))
      .orderBy('requested_at', 'desc')
      .orderBy('id')
      .limit(opts.limit);
    const customerKeys = await this.customerKeys.wrappersFor(q, rows.filter((r) => this.aboutCustomer(r)).map((r) => r.subject_id));
    return rows.map((r) => this.toRecord(r, this.aboutCustomer(r) ? customerKeys.get(r.subject_id)! : domainWrapper(this.ring())));
  }

  /** The status of each of these requests (clear columns only: no reason is opened). Unknown ids are left out. */
  async statusesOf(q: Queryable, ids: readonly string[]): Promise<Map<string, ApprovalStatus>> {
    const statuses = new Map<string, ApprovalStatus>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await q(APPROVALS_TABLE).whereIn('id', ids.slice(i, i + 500)).select<{ id: string; status: ApprovalStatus }[]>('id', 'status');
      for (const row of rows) statuses.set(row.id, row.status);
    }
    return statuses;
  }

  /** Those of these requests still waiting for a decision (not decided, withdrawn or expired); clear columns only. */
  async pendingAmong(q: Queryable, ids: readonly string[]): Promise<Set<string>> {
    const pending = new Set<string>();
    const now = this.clock.nowIso();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await q(APPROVALS_TABLE).whereIn('id', ids.slice(i, i + 500)).where({ status: 'pending' }).where('expires_at', '>', now).select<{ id: string }[]>('id');
      for (const row of rows) pending.add(row.id);
    }
    return pending;
  }

  /** The request of `kind` about `subjectId` still waiting for a decision, or null. */
  async pendingRequestAbout(q: Queryable, subjectId: string, kind: string): Promise<string | null> {
    const row = await q(APPROVALS_TABLE)
      .where({ subject_id: subjectId, kind, status: 'pending' })
      .where('expires_at', '>', this.clock.nowIso())
      .first<{ id: string } | undefined>('id');
    return row?.id ?? null;
  }

  /** Which of these subjects have a request still pending (of any kind, or of the kinds named). */
  async pendingAbout(q: Queryable, subjectIds: readonly string[], kinds?: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const now = this.clock.nowIso();
    for (let i = 0; i < subjectIds.length; i += 500) {
      const rows = await q(APPROVALS_TABLE)
        .whereIn('subject_id', subjectIds.slice(i, i + 500))
        .where({ status: 'pending' })
        .where('expires_at', '>', now)
        .modify((b) => void (kinds && b.whereIn('kind', kinds)))
        .select<{ subject_id: string }[]>('subject_id');
      for (const row of rows) found.add(row.subject_id);
    }
    return found;
  }

  /**
   * A customer was deleted: the reasons of requests about them go (already unreadable, their key destroyed); the
   * clear facts — kind, status, who asked and decided, when — stay as evidence. Pending ones are withdrawn.
   */
  async forgetCustomer(q: Queryable, customerId: string): Promise<void> {
    const kinds = this.kinds.names.filter((name) => this.kinds.find(name)?.subjectIsCustomer);
    const about = () => q(APPROVALS_TABLE).where({ subject_id: customerId }).whereIn('kind', kinds);
    await about().where({ status: 'pending' }).update({ status: 'withdrawn', decided_at: this.clock.nowIso() });
    await about().update({ request_reason: Buffer.alloc(0), decision_reason: null });
  }

  private toRecord(row: ApprovalDbRow, keys: DataKeyWrapper): ApprovalRecord {
    const blobs: Record<string, Buffer> = { request_reason: asBuffer(row.request_reason) };
    if (row.decision_reason) blobs.decision_reason = asBuffer(row.decision_reason);
    // A request about an erased customer stays as evidence (who asked, who decided, when); its reasons do not.
    const erased = isShredded(keys, asBuffer(row.dek));
    const opened = erased
      ? { request_reason: ERASED_TEXT, decision_reason: row.decision_reason ? ERASED_TEXT : undefined }
      : this.cipher.openMany(keys, sealedAs(row), asBuffer(row.dek), blobs);
    return {
      id: row.id,
      kind: row.kind,
      kindLabel: this.kinds.find(row.kind)?.label ?? row.kind,
      subjectId: row.subject_id,
      status: row.status,
      requesterId: row.requester_id,
      deciderId: row.decider_id,
      requestedAt: row.requested_at,
      decidedAt: row.decided_at,
      expiresAt: row.expires_at,
      payload: JSON.parse(row.payload) as ApprovalPayload,
      requestReason: opened.request_reason as string,
      decisionReason: (opened.decision_reason as string | undefined) ?? null,
    };
  }
}
