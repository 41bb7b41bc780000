import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.std.ts';
import { isShredded, type DataKeyWrapper } from '../../platform/crypto/dataKeys.node.ts';
import { RecordCipher } from '../../platform/crypto/recordCipher.node.ts';
import type { SubjectKeys } from '../../platform/crypto/subjectKeys.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { asBuffer, type Queryable } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import { customerStatus, isCorrectionOf, NO_SUCH_CUSTOMER, quarantinedAmong, type CustomerDisplayNames } from '../customers/customers.port.node.ts';
import { officeSettingsIn } from '../settings/settings.port.node.ts';
import { addDays, dateOf, daysBetween, latestReceivedOn, urgencyOf } from './requestDates.std.ts';
import {
  CLOSED_STATUSES,
  type RequestChannel,
  type RequestStatus,
  type RequestType,
  type SubjectRequestView,
} from './subjectRequests.contract.std.ts';

export const SUBJECT_REQUESTS_TABLE = 'subject_requests';
const NO_SUCH_REQUEST = 'No such request.';
const ERASED_TEXT = '(erased with the customer’s records)';
export const OPEN_STATUSES: readonly RequestStatus[] = ['open', 'in_progress', 'extended'];

export interface SubjectRequestDbRow {
  id: string;
  customer_id: string;
  type: RequestType;
  channel: RequestChannel;
  received_on: string;
  original_due_on: string;
  due_on: string;
  status: RequestStatus;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  extended_by: string | null;
  extended_at: string | null;
  closed_by: string | null;
  closed_at: string | null;
  closed_via: 'staff' | 'approval' | null;
  dek: Buffer | null;
  extension_reason: Buffer | null;
  refusal_reason: Buffer | null;
  linked_approval_id: string | null;
  linked_correction_id: string | null;
  linked_export_id: string | null;
  exported_at: string | null;
}

export interface NewSubjectRequest {
  customerId: string;
  type: RequestType;
  channel: RequestChannel;
  receivedOn: string;
  createdBy: string | null;
  /** When it was logged (ISO time). */
  at: string;
  /** The deletion approval that will fulfil it, when one already exists. */
  linkedApprovalId?: string | null;
}

/** Who is looking: names and free text are shown only to roles that may read customer records. */
export interface Viewer {
  readsCustomers: boolean;
}

/**
 * Logs a request, its due date being the received date plus the office's deadline. The customer must exist and
 * not be erased; the received date may be in the past but not in the future. Used by the channel and the port.
 */
export async function insertRequest(q: Queryable, input: NewSubjectRequest): Promise<SubjectRequestDbRow> {
  if (input.receivedOn > latestReceivedOn(Date.parse(input.at))) {
    throw new AppError('INVALID_INPUT', 'Invalid request — receivedOn: The received date cannot be in the future. Nothing was saved.');
  }
  if (!(await customerStatus(q, input.customerId))) throw new AppError('NOT_FOUND', NO_SUCH_CUSTOMER);
  const { requestDeadlineDays } = await officeSettingsIn(q);
  const dueOn = addDays(input.receivedOn, requestDeadlineDays);
  const row: SubjectRequestDbRow = {
    id: randomUUID(),
    customer_id: input.customerId,
    type: input.type,
    channel: input.channel,
    received_on: input.receivedOn,
    original_due_on: dueOn,
    due_on: dueOn,
    status: 'open',
    created_by: input.createdBy,
    created_at: input.at,
    updated_at: input.at,
    extended_by: null,
    extended_at: null,
    closed_by: null,
    closed_at: null,
    closed_via: null,
    dek: null,
    extension_reason: null,
    refusal_reason: null,
    linked_approval_id: input.linkedApprovalId ?? null,
    linked_correction_id: null,
    linked_export_id: null,
    exported_at: null,
  };
  await q(SUBJECT_REQUESTS_TABLE).insert(row);
  return row;
}

/**
 * Closes the open requests linked to a deletion approval: completed when the deletion was carried out, refused
 * when the approval was denied. Returns the ids closed. The reason for a refusal stays on the approval itself.
 */
export async function closeLinkedRequests(q: Queryable, approvalId: string, outcome: 'completed' | 'refused', at: string, actorId: string | null): Promise<string[]> {
  const rows = await q<SubjectRequestDbRow>(SUBJECT_REQUESTS_TABLE).where({ linked_approval_id: approvalId }).whereIn('status', OPEN_STATUSES).select('id');
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  await q(SUBJECT_REQUESTS_TABLE)
    .whereIn('id', ids)
    .whereIn('status', OPEN_STATUSES)
    .update({ status: outcome, closed_at: at, closed_by: actorId, closed_via: 'approval', updated_at: at });
  return ids;
}

/**
 * Links the customer's oldest open deletion request to the approval filed for it; false when none is open. A
 * request whose earlier approval lapsed or was withdrawn is linked again to the new one.
 */
export async function linkOpenDeletionRequest(q: Queryable, customerId: string, approvalId: string, at: string): Promise<boolean> {
  const open = await q<SubjectRequestDbRow>(SUBJECT_REQUESTS_TABLE)
    .where({ customer_id: customerId, type: 'deletion' })
    .whereIn('status', OPEN_STATUSES)
    .orderBy('received_on')
    .orderBy('id')
    .first('id');
  if (!open) return false;
  await linkApprovalTo(q, open.id, approvalId, at);
  return true;
}

/** The customers among `customerIds` with a request still open (retention leaves them alone until it is answered). */
export async function withOpenRequests(q: Queryable, customerIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < customerIds.length; i += 500) {
    const rows = await q(SUBJECT_REQUESTS_TABLE).whereIn('customer_id', customerIds.slice(i, i + 500)).whereIn('status', OPEN_STATUSES).distinct<{ customer_id: string }[]>('customer_id');
    for (const row of rows) found.add(row.customer_id);
  }
  return found;
}

/** Links an open deletion request to the approval that will carry it out. */
export async function linkApprovalTo(q: Queryable, requestId: string, approvalId: string, at: string): Promise<void> {
  const changed = await q(SUBJECT_REQUESTS_TABLE)
    .where({ id: requestId, type: 'deletion' })
    .whereIn('status', OPEN_STATUSES)
    .update({ linked_approval_id: approvalId, updated_at: at });
  if (!changed) throw new AppError('CONFLICT', 'Only an open deletion request can be linked to a deletion approval.');
}

/**
 * The request tracker: statuses move by conditional UPDATEs (of two workstations acting at once exactly one
 * wins, the other gets CONFLICT), reasons are sealed under the customer's own key, and overdue is computed from
 * the injected clock.
 */
export class SubjectRequestTracker {
  private readonly cipher = new RecordCipher(SUBJECT_REQUESTS_TABLE);

  constructor(
    private readonly clock: Pick<Clock, 'now' | 'nowIso'>,
    private readonly customerKeys: SubjectKeys,
    private readonly names: CustomerDisplayNames,
    private readonly staff: StaffDirectory,
  ) {}

  today(): string {
    return dateOf(this.clock.now());
  }

  async open(q: Queryable, input: Omit<NewSubjectRequest, 'at'>, viewer: Viewer): Promise<SubjectRequestView> {
    await dialectOf(q).claimWrite(q);
    if (!(await customerStatus(q, input.customerId))) throw new AppError('NOT_FOUND', NO_SUCH_CUSTOMER);
    // A customer whose records were erased cannot make a new request under the old id.
    await this.customerKeys.ensure(q, input.customerId, this.clock.nowIso());
    const row = await insertRequest(q, { ...input, at: this.clock.nowIso() });
    return (await this.views(q, [row], viewer))[0]!;
  }

  async start(q: Queryable, requestId: string, viewer: Viewer): Promise<SubjectRequestView> {
    return this.transition(q, requestId, ['open'], { status: 'in_progress' }, 'Only an open request can be started.', viewer);
  }

  async extend(q: Queryable, input: { requestId: string; extensionDays: number; reason: string; actorId: string }, viewer: Viewer): Promise<SubjectRequestView> {
    await dialectOf(q).claimWrite(q);
    const row = await this.load(q, input.requestId);
    if (row.extended_at) throw new AppError('CONFLICT', 'This request was already extended once: it cannot be extended again.');
    if (!OPEN_STATUSES.includes(row.status)) throw new AppError('CONFLICT', `This request is ${row.status}: it can no longer be extended.`);
    const sealed = await this.seal(q, row, { extension_reason: input.reason });
    const now = this.clock.nowIso();
    const changed = await q(SUBJECT_REQUESTS_TABLE)
      .where({ id: row.id })
      .whereNull('extended_at')
      .whereIn('status', OPEN_STATUSES)
      .update({ ...sealed, status: 'extended', due_on: addDays(row.due_on, input.extensionDays), extended_at: now, extended_by: input.actorId, updated_at: now });
    if (!changed) throw new AppError('CONFLICT', 'This request changed meanwhile: reload it and try again.');
    return this.view(q, row.id, viewer);
  }

  async complete(q: Queryable, input: { requestId: string; correctionId?: string | undefined; actorId: string }, viewer: Viewer): Promise<SubjectRequestView> {
    await dialectOf(q).claimWrite(q);
    const row = await this.load(q, input.requestId);
    if (row.type === 'deletion') {
      throw new AppError('CONFLICT', 'A deletion request is completed when its deletion approval is carried out, not by hand.');
    }
    if (row.type === 'access' && !row.linked_export_id) {
      throw new AppError('CONFLICT', 'Export the customer’s data for this request first: an access request is answered with that export.');
    }
    if (input.correctionId && row.type !== 'correction') throw new AppError('INVALID_INPUT', 'Only a correction request can name a correction.');
    if (input.correctionId && !(await isCorrectionOf(q, input.correctionId, row.customer_id))) {
      throw new AppError('NOT_FOUND', 'No such correction of this customer’s record.');
    }
    const now = this.clock.nowIso();
    const patch = { status: 'completed', closed_at: now, closed_by: input.actorId, closed_via: 'staff', updated_at: now, ...(input.correctionId ? { linked_correction_id: input.correctionId } : {}) };
    return this.transition(q, row.id, OPEN_STATUSES, patch, `This request is already ${row.status}.`, viewer);
  }

  async refuse(q: Queryable, input: { requestId: string; reason: string; actorId: string }, viewer: Viewer): Promise<SubjectRequestView> {
    await dialectOf(q).claimWrite(q);
    const row = await this.load(q, input.requestId);
    if (!OPEN_STATUSES.includes(row.status)) throw new AppError('CONFLICT', `This request is already ${row.status}.`);
    const sealed = await this.seal(q, row, { refusal_reason: input.reason });
    const now = this.clock.nowIso();
    const patch = { ...sealed, status: 'refused', closed_at: now, closed_by: input.actorId, closed_via: 'staff', updated_at: now };
    return this.transition(q, row.id, OPEN_STATUSES, patch, `This request is already ${row.status}.`, viewer);
  }

  /** Records an access export made for a request (the request then may be completed). */
  async recordExport(q: Queryable, requestId: string, customerId: string, exportId: string): Promise<void> {
    const row = await this.load(q, requestId);
    if (row.customer_id !== customerId) throw new AppError('INVALID_INPUT', 'This request is about another customer.');
    if (row.type !== 'access') throw new AppError('INVALID_INPUT', 'Only an access request is answered with an export.');
    if (!OPEN_STATUSES.includes(row.status)) throw new AppError('CONFLICT', `This request is already ${row.status}.`);
    const now = this.clock.nowIso();
    await q(SUBJECT_REQUESTS_TABLE)
      .where({ id: row.id })
      .update({ linked_export_id: exportId, exported_at: now, updated_at: now, ...(row.status === 'open' ? { status: 'in_progress' } : {}) });
  }

  async list(q: Queryable, opts: { state: 'open' | 'closed'; customerId?: string | undefined; limit: number }, viewer: Viewer): Promise<{ requests: SubjectRequestView[]; total: number }> {
    const base = q<SubjectRequestDbRow>(SUBJECT_REQUESTS_TABLE)
      .whereIn('status', opts.state === 'open' ? OPEN_STATUSES : CLOSED_STATUSES)
      .modify((b) => {
        if (opts.customerId) b.where({ customer_id: opts.customerId });
      });
    const total = Number((await base.clone().count<{ n: number | string }[]>({ n: '*' }))[0]?.n ?? 0);
    const rows =
      opts.state === 'open'
        ? await base.clone().orderBy('due_on').orderBy('received_on').orderBy('id').limit(opts.limit)
        : await base.clone().orderBy('closed_at', 'desc').orderBy('id').limit(opts.limit);
    return { requests: await this.views(q, rows, viewer), total };
  }

  /** Open requests overdue, and due within the next seven days (today included). */
  async summary(q: Queryable, viewer: Viewer): Promise<{ today: string; overdue: SubjectRequestView[]; dueThisWeek: SubjectRequestView[]; openCount: number }> {
    const today = this.today();
    const open = () => q<SubjectRequestDbRow>(SUBJECT_REQUESTS_TABLE).whereIn('status', OPEN_STATUSES);
    const openCount = Number((await open().count<{ n: number | string }[]>({ n: '*' }))[0]?.n ?? 0);
    const rows = await open().where('due_on', '<', addDays(today, 7)).orderBy('due_on').orderBy('id').limit(200);
    const views = await this.views(q, rows, viewer);
    return {
      today,
      overdue: views.filter((v) => v.urgency === 'overdue'),
      dueThisWeek: views.filter((v) => v.urgency === 'due_this_week'),
      openCount,
    };
  }

  private async load(q: Queryable, requestId: string): Promise<SubjectRequestDbRow> {
    const row = await q<SubjectRequestDbRow>(SUBJECT_REQUESTS_TABLE).where({ id: requestId }).first();
    if (!row) throw new AppError('NOT_FOUND', NO_SUCH_REQUEST);
    return row;
  }

  private async view(q: Queryable, requestId: string, viewer: Viewer): Promise<SubjectRequestView> {
    return (await this.views(q, [await this.load(q, requestId)], viewer))[0]!;
  }

  /** One conditional UPDATE: it changes the row only from the expected statuses, so a concurrent change loses. */
  private async transition(
    q: Queryable,
    requestId: string,
    from: readonly RequestStatus[],
    patch: Record<string, unknown>,
    refusal: string,
    viewer: Viewer,
  ): Promise<SubjectRequestView> {
    await dialectOf(q).claimWrite(q);
    const now = this.clock.nowIso();
    const changed = await q(SUBJECT_REQUESTS_TABLE).where({ id: requestId }).whereIn('status', from).update({ updated_at: now, ...patch });
    if (!changed) {
      await this.load(q, requestId);
      throw new AppError('CONFLICT', refusal);
    }
    return this.view(q, requestId, viewer);
  }

  /** Seals a reason under the customer's own key with the row's data key (made on first use). */
  private async seal(q: Queryable, row: SubjectRequestDbRow, sections: Record<string, string>): Promise<Partial<SubjectRequestDbRow>> {
    const keys = await this.customerKeys.ensure(q, row.customer_id, this.clock.nowIso());
    if (row.dek) return this.cipher.reseal(keys, row.id, asBuffer(row.dek), sections);
    const sealed = this.cipher.sealNew(keys, row.id, sections);
    return { dek: sealed.dek, ...sealed.columns };
  }

  private openReasons(row: SubjectRequestDbRow, keys: DataKeyWrapper | undefined): { extension: string | null; refusal: string | null } {
    const blobs: Record<string, Buffer> = {};
    if (row.extension_reason) blobs.extension_reason = asBuffer(row.extension_reason);
    if (row.refusal_reason) blobs.refusal_reason = asBuffer(row.refusal_reason);
    if (!row.dek || !keys || !Object.keys(blobs).length) return { extension: null, refusal: null };
    // A request about an erased customer stays as evidence; its reasons went with the customer's key.
    if (isShredded(keys, asBuffer(row.dek))) {
      return { extension: row.extension_reason ? ERASED_TEXT : null, refusal: row.refusal_reason ? ERASED_TEXT : null };
    }
    const opened = this.cipher.openMany(keys, row.id, asBuffer(row.dek), blobs);
    return { extension: (opened.extension_reason as string | undefined) ?? null, refusal: (opened.refusal_reason as string | undefined) ?? null };
  }

  private async views(q: Queryable, rows: readonly SubjectRequestDbRow[], viewer: Viewer): Promise<SubjectRequestView[]> {
    if (!rows.length) return [];
    const today = this.today();
    const customerIds = [...new Set(rows.map((r) => r.customer_id))];
    // Ids with no customer row (deleted customers) are left out of the names.
    const displayNames = await this.names.displayNames(q, customerIds);
    const present = new Set(displayNames.keys());
    // A minor's quarantined record stays out of every list: its requests show no name.
    const quarantined = await quarantinedAmong(q, customerIds);
    const keys = viewer.readsCustomers && rows.some((r) => r.dek) ? await this.customerKeys.wrappersFor(q, rows.filter((r) => r.dek).map((r) => r.customer_id)) : new Map<string, DataKeyWrapper>();
    const nameOf = await staffNameResolver(this.staff, q);
    return rows.map((row) => {
      const closed = CLOSED_STATUSES.includes(row.status);
      const reasons = viewer.readsCustomers ? this.openReasons(row, keys.get(row.customer_id)) : { extension: null, refusal: null };
      const customerPresent = present.has(row.customer_id);
      return {
        id: row.id,
        customerId: row.customer_id,
        customerName: customerPresent && viewer.readsCustomers && !quarantined.has(row.customer_id) ? (displayNames.get(row.customer_id) ?? null) : null,
        customerPresent,
        customerQuarantined: quarantined.has(row.customer_id),
        type: row.type,
        channel: row.channel,
        receivedOn: row.received_on,
        originalDueOn: row.original_due_on,
        dueOn: row.due_on,
        status: row.status,
        urgency: urgencyOf(row.due_on, closed, today),
        daysLeft: closed ? null : daysBetween(today, row.due_on),
        createdBy: row.created_by,
        createdByName: nameOf(row.created_by),
        createdAt: row.created_at,
        extendedAt: row.extended_at,
        extendedByName: nameOf(row.extended_by),
        closedAt: row.closed_at,
        closedByName: nameOf(row.closed_by),
        closedVia: row.closed_via,
        extensionReason: reasons.extension,
        refusalReason: reasons.refusal,
        hasExtensionReason: row.extension_reason !== null,
        hasRefusalReason: row.refusal_reason !== null,
        linkedApprovalId: row.linked_approval_id,
        linkedCorrectionId: row.linked_correction_id,
        linkedExportId: row.linked_export_id,
        exportedAt: row.exported_at,
      };
    });
  }
}
