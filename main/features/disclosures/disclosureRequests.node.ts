import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.std.ts';
import { isShredded, type DataKeyWrapper } from '../../platform/crypto/dataKeys.node.ts';
import type { KeyRing } from '../../platform/crypto/keyRing.node.ts';
import { RecordCipher } from '../../platform/crypto/recordCipher.node.ts';
import { SubjectKeys, type SubjectKeyTable } from '../../platform/crypto/subjectKeys.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { asBuffer, type Queryable } from '../../platform/store/database.node.ts';
import { insertChunked, INSERT_CHUNK } from '../../platform/store/queries.node.ts';
import type { ApprovalRecord, ApprovalRequests } from '../approvals/approvals.port.node.ts';
import { assertCustomersDisclosable, assertFieldsAndRecipient } from './disclosureChecks.node.ts';
import {
  DISCLOSURE_KIND_LABELS,
  MAX_SCAN_BYTES,
  type DisclosableField,
  type DisclosureKind,
  type RequestStatus,
  type ScanMediaType,
} from './disclosureRules.std.ts';
import { DISCLOSURE_APPROVAL_KIND } from './disclosureApproval.node.ts';
import type { RecipientRegistry } from './recipients.node.ts';

export const REQUESTS_TABLE = 'disclosure_requests';
export const REQUEST_CUSTOMERS_TABLE = 'disclosure_request_customers';
const ATTACHMENTS_TABLE = 'disclosure_attachments';
export const REQUEST_KEYS: SubjectKeyTable = { table: 'disclosure_request_keys', subjectColumn: 'request_id' };
export const NO_SUCH_REQUEST = 'No such disclosure request.';
const ERASED_TEXT = '(erased with the customer’s records)';
const OPEN_PAGE = 200;

export type ReleaseState = 'none' | 'releasing' | 'released';

export interface RequestDbRow {
  id: string;
  approval_id: string;
  requester_id: string;
  recipient_id: string;
  recipient_version: number;
  kind: DisclosureKind;
  fields: string;
  customer_count: number;
  sealed_under: 'customer' | 'request';
  key_subject: string;
  requested_at: string;
  release_state: ReleaseState;
  releaser_id: string | null;
  register_entry_id: string | null;
  dek: Buffer;
  texts: Buffer;
  has_scan: boolean | number;
}

export interface LegalBasis {
  authority: string;
  reference: string;
  documentDate: string;
  note: string | null;
}

/** The sealed texts of a request. */
export interface RequestTexts {
  purpose: string;
  legal: LegalBasis | null;
}

export interface NewDisclosureRequest {
  customerIds: string[];
  recipientId: string;
  kind: DisclosureKind;
  fields: DisclosableField[];
  purpose: string;
  legal?: { authority: string; reference: string; documentDate: string; note?: string | undefined; scan?: { mediaType: ScanMediaType; base64: string } | undefined } | undefined;
}

/** A request's facts with its approval, as lists and checks need them. */
export interface StoredRequest {
  row: RequestDbRow;
  fields: DisclosableField[];
  approval: ApprovalRecord;
  status: RequestStatus;
}

const MAGIC: Record<ScanMediaType, number[]> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
};
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The scan's bytes, refused unless they are the declared type (first bytes) and within the size limit. */
export function scanBytes(scan: { mediaType: ScanMediaType; base64: string }): Buffer {
  if (!BASE64.test(scan.base64) || scan.base64.length % 4 !== 0) throw new AppError('INVALID_INPUT', 'legal.scan: the attachment is not valid base64. Nothing was filed.');
  const bytes = Buffer.from(scan.base64, 'base64');
  if (bytes.length === 0) throw new AppError('INVALID_INPUT', 'legal.scan: the attachment is empty. Nothing was filed.');
  if (bytes.length > MAX_SCAN_BYTES) throw new AppError('INVALID_INPUT', 'legal.scan: the attachment is larger than 5 MB. Nothing was filed.');
  const magic = MAGIC[scan.mediaType];
  if (!magic.every((byte, i) => bytes[i] === byte)) throw new AppError('INVALID_INPUT', 'legal.scan: the file is not a PDF, PNG or JPEG of the declared type. Nothing was filed.');
  return bytes;
}

/** The status a requester and a manager see: the approval's, then released once the register holds it. */
export function requestStatus(row: Pick<RequestDbRow, 'release_state'>, approval: Pick<ApprovalRecord, 'status'>): RequestStatus {
  return row.release_state === 'released' ? 'released' : approval.status;
}

/**
 * Disclosure requests. The approval (kind `disclosure.release`) carries ids and enums only; the purpose and the
 * legal basis are sealed here. Texts about one customer are under that customer's key, so erasing the customer
 * erases them; a request about several customers is about the set, so its texts are under a key of the request's
 * own (`disclosure_request_keys`), which a retention sweep can shred on its own.
 */
export class DisclosureRequests {
  private readonly cipher = new RecordCipher(REQUESTS_TABLE);
  private readonly requestKeys: SubjectKeys;

  constructor(
    ring: () => KeyRing,
    private readonly clock: Clock,
    private readonly customerKeys: SubjectKeys,
    private readonly recipients: RecipientRegistry,
    private readonly approvals: ApprovalRequests,
  ) {
    this.requestKeys = new SubjectKeys(ring, REQUEST_KEYS);
  }

  private async keysFor(q: Queryable, row: Pick<RequestDbRow, 'sealed_under' | 'key_subject'>): Promise<DataKeyWrapper> {
    return row.sealed_under === 'customer' ? this.customerKeys.wrapperFor(q, row.key_subject) : this.requestKeys.wrapperFor(q, row.key_subject);
  }

  /** Files a request and its approval in the caller's transaction, after checking every rule once. */
  async create(q: Queryable, input: NewDisclosureRequest, requesterId: string): Promise<StoredRequest> {
    const recipient = await this.recipients.current(q, input.recipientId);
    assertFieldsAndRecipient('request', input.kind, input.fields, [recipient]);
    await assertCustomersDisclosable(q, 'request', input.kind, input.customerIds);
    const scan = input.legal?.scan ? scanBytes(input.legal.scan) : null;
    const id = randomUUID();
    const now = this.clock.nowIso();
    const single = input.customerIds.length === 1;
    const keySubject = single ? input.customerIds[0]! : id;
    const keys = single ? await this.customerKeys.ensure(q, keySubject, now) : await this.requestKeys.ensure(q, id, now);
    const texts: RequestTexts = {
      purpose: input.purpose,
      legal: input.legal ? { authority: input.legal.authority, reference: input.legal.reference, documentDate: input.legal.documentDate, note: input.legal.note ?? null } : null,
    };
    const sealed = this.cipher.sealNew(keys, id, { texts });
    const approval = await this.approvals.request(q, {
      kind: DISCLOSURE_APPROVAL_KIND,
      subjectId: id,
      requesterId,
      // The approval's reason says what is asked in words built from enums; the purpose stays sealed here.
      reason: `${DISCLOSURE_KIND_LABELS[input.kind]}: ${input.fields.length} field(s) about ${input.customerIds.length} customer(s) to ${recipient.kind.replace(/_/g, ' ')} recipient, version ${recipient.version}.`,
      payload: { requestId: id, recipientId: recipient.recipientId, recipientVersion: recipient.version, kind: input.kind, fields: input.fields, customerCount: input.customerIds.length },
    });
    const row: RequestDbRow = {
      id,
      approval_id: approval.id,
      requester_id: requesterId,
      recipient_id: recipient.recipientId,
      recipient_version: recipient.version,
      kind: input.kind,
      fields: JSON.stringify(input.fields),
      customer_count: input.customerIds.length,
      sealed_under: single ? 'customer' : 'request',
      key_subject: keySubject,
      requested_at: now,
      release_state: 'none',
      releaser_id: null,
      register_entry_id: null,
      dek: sealed.dek,
      texts: sealed.columns.texts!,
      has_scan: scan !== null,
    };
    await q(REQUESTS_TABLE).insert(row);
    await insertChunked(q, REQUEST_CUSTOMERS_TABLE, input.customerIds.map((customerId) => ({ request_id: id, customer_id: customerId })));
    if (scan) {
      const content = this.cipher.reseal(keys, id, sealed.dek, { scan: scan.toString('base64') }).scan!;
      await q(ATTACHMENTS_TABLE).insert({ request_id: id, media_type: input.legal!.scan!.mediaType, byte_size: scan.length, content });
    }
    return { row, fields: input.fields, approval, status: 'pending' };
  }

  async load(q: Queryable, id: string): Promise<StoredRequest> {
    const row = await q<RequestDbRow>(REQUESTS_TABLE).where({ id }).first();
    if (!row) throw new AppError('NOT_FOUND', NO_SUCH_REQUEST);
    return this.withApproval(q, row);
  }

  private async withApproval(q: Queryable, row: RequestDbRow): Promise<StoredRequest> {
    const approval = await this.approvals.get(q, row.approval_id);
    return { row, fields: JSON.parse(row.fields) as DisclosableField[], approval, status: requestStatus(row, approval) };
  }

  /** Requests filed by this person, newest first (requests past their expiry are marked expired first). */
  async mine(q: Queryable, requesterId: string, limit: number): Promise<StoredRequest[]> {
    await this.approvals.expireDue(q);
    const rows = await q<RequestDbRow>(REQUESTS_TABLE).where({ requester_id: requesterId }).orderBy('requested_at', 'desc').orderBy('id').limit(limit);
    return Promise.all(rows.map((row) => this.withApproval(q, row)));
  }

  /**
   * Requests waiting for a manager: a decision or, once approved, a release. Oldest first. Unreleased requests
   * are read in pages and those denied, withdrawn or expired skipped, until `limit` are found.
   */
  async open(q: Queryable, limit: number): Promise<StoredRequest[]> {
    await this.approvals.expireDue(q);
    const found: StoredRequest[] = [];
    for (let offset = 0; found.length < limit; offset += OPEN_PAGE) {
      const rows = await q<RequestDbRow>(REQUESTS_TABLE).whereNot({ release_state: 'released' }).orderBy('requested_at').orderBy('id').offset(offset).limit(OPEN_PAGE);
      for (const row of rows) {
        const stored = await this.withApproval(q, row);
        if (stored.status === 'pending' || stored.status === 'approved') found.push(stored);
      }
      if (rows.length < OPEN_PAGE) break;
    }
    return found.slice(0, limit);
  }

  /** The customers of a request, in a stable order (a release job walks them in batches). */
  async customerIds(q: Queryable, requestId: string, after: string | null = null, limit = Number.MAX_SAFE_INTEGER): Promise<string[]> {
    const rows = await q(REQUEST_CUSTOMERS_TABLE)
      .where({ request_id: requestId })
      .modify((b) => {
        if (after) b.where('customer_id', '>', after);
      })
      .orderBy('customer_id')
      .limit(Math.min(limit, 1_000_000))
      .select<{ customer_id: string }[]>('customer_id');
    return rows.map((r) => r.customer_id);
  }

  /** The purpose and legal basis; "(erased…)" once the key they were sealed under is shredded. */
  async texts(q: Queryable, row: RequestDbRow): Promise<RequestTexts> {
    const keys = await this.keysFor(q, row);
    if (isShredded(keys, asBuffer(row.dek))) return { purpose: ERASED_TEXT, legal: null };
    return this.cipher.open<RequestTexts>(keys, row.id, asBuffer(row.dek), 'texts', asBuffer(row.texts));
  }

  /** The served document, opened; null when none was attached or its key was shredded. */
  async scan(q: Queryable, row: RequestDbRow): Promise<{ mediaType: ScanMediaType; base64: string } | null> {
    const stored = await q(ATTACHMENTS_TABLE).where({ request_id: row.id }).first<{ media_type: ScanMediaType; content: Buffer } | undefined>('media_type', 'content');
    if (!stored) return null;
    const keys = await this.keysFor(q, row);
    if (isShredded(keys, asBuffer(row.dek))) return null;
    return { mediaType: stored.media_type, base64: this.cipher.open<string>(keys, row.id, asBuffer(row.dek), 'scan', asBuffer(stored.content)) };
  }

  async scanFacts(q: Queryable, requestId: string): Promise<{ mediaType: ScanMediaType; bytes: number } | null> {
    const row = await q(ATTACHMENTS_TABLE).where({ request_id: requestId }).first<{ media_type: ScanMediaType; byte_size: number } | undefined>('media_type', 'byte_size');
    return row ? { mediaType: row.media_type, bytes: Number(row.byte_size) } : null;
  }

  /**
   * Every rule again, against the stored request: the recipient version it names (and, at release, the current
   * one), its fields and kind, and its customers now. Used by the approval hook and at release.
   */
  async recheck(q: Queryable, stored: StoredRequest, stage: 'approval' | 'release'): Promise<void> {
    const named = await this.recipients.version(q, stored.row.recipient_id, Number(stored.row.recipient_version));
    const versions = stage === 'release' ? [named, await this.recipients.current(q, stored.row.recipient_id)] : [named];
    assertFieldsAndRecipient(stage, stored.row.kind, stored.fields, versions);
    if (stage === 'approval') {
      const ids = await this.customerIds(q, stored.row.id);
      for (let i = 0; i < ids.length; i += INSERT_CHUNK) await assertCustomersDisclosable(q, stage, stored.row.kind, ids.slice(i, i + INSERT_CHUNK));
    }
  }

  /**
   * Claims an approved request for one release: a conditional update, so of two managers releasing at once
   * exactly one proceeds and the other is told it is being (or was) released.
   */
  async claim(q: Queryable, requestId: string, releaserId: string): Promise<void> {
    const changed = await q(REQUESTS_TABLE).where({ id: requestId, release_state: 'none' }).update({ release_state: 'releasing', releaser_id: releaserId });
    if (changed === 0) throw new AppError('CONFLICT', 'This request is being released or was released already.');
  }

  /** Gives a claim back after a failed, cancelled or interrupted release (nothing was registered). */
  async unclaim(q: Queryable, requestId: string): Promise<void> {
    await q(REQUESTS_TABLE).where({ id: requestId, release_state: 'releasing' }).update({ release_state: 'none', releaser_id: null });
  }

  async markReleased(q: Queryable, requestId: string, entryId: string): Promise<void> {
    const changed = await q(REQUESTS_TABLE).where({ id: requestId, release_state: 'releasing' }).update({ release_state: 'released', register_entry_id: entryId });
    if (changed === 0) throw new AppError('CONFLICT', 'This request is no longer being released by you. Nothing was registered.');
  }
}
