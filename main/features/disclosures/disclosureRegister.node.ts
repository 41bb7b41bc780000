import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../../platform/clock.std.ts';
import { domainWrapper } from '../../platform/crypto/dataKeys.node.ts';
import type { KeyRing } from '../../platform/crypto/keyRing.node.ts';
import { RecordCipher } from '../../platform/crypto/recordCipher.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { asBuffer, type Queryable } from '../../platform/store/database.node.ts';
import { countRows, insertChunked, INSERT_CHUNK } from '../../platform/store/queries.node.ts';
import type { RegisterFilter } from './disclosures.contract.std.ts';
import type { DisclosableField, DisclosureKind, RegisterEntryType, ReleaseFormat } from './disclosureRules.std.ts';
import { RECIPIENT_VERSIONS_TABLE, RECIPIENTS_TABLE } from './recipients.node.ts';

export const REGISTER_TABLE = 'disclosure_register';
export const REGISTER_CUSTOMERS_TABLE = 'disclosure_register_customers';
/** Customer ids a listed entry carries; an export carries all of them. */
const LISTED_CUSTOMER_IDS = 200;

interface RegisterDbRow {
  seq: number;
  id: string;
  entry_type: RegisterEntryType;
  corrects_id: string | null;
  request_id: string | null;
  approval_id: string | null;
  requested_by: string | null;
  approved_by: string | null;
  approved_at: string | null;
  recorded_by: string;
  recorded_at: string;
  recipient_id: string | null;
  recipient_version: number | null;
  disclosure_kind: DisclosureKind | null;
  fields: string;
  customer_count: number;
  file_format: ReleaseFormat | null;
  encrypted: boolean | number;
  file_sha256: string | null;
  dek: Buffer;
  sealed: Buffer;
  /** Joined: the recipient's name at the version the entry used. */
  recipient_name?: string | null;
}

/** Free text of an entry, sealed under the dek-wrap domain key: court references are kept out of clear columns. */
interface SealedFacts {
  legalAuthority: string | null;
  legalReference: string | null;
  documentDate: string | null;
  note: string | null;
}

/** An entry as the service returns it: ids, not names (the handlers resolve staff names for display). */
export interface RegisterRecord {
  seq: number;
  id: string;
  type: RegisterEntryType;
  correctsId: string | null;
  requestId: string | null;
  approvalId: string | null;
  requestedBy: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  recordedBy: string;
  recordedAt: string;
  recipientId: string | null;
  recipientName: string | null;
  recipientVersion: number | null;
  kind: DisclosureKind | null;
  legalReference: string | null;
  legalAuthority: string | null;
  documentDate: string | null;
  note: string | null;
  fields: DisclosableField[];
  customerCount: number;
  customerIds: string[];
  fileFormat: ReleaseFormat | null;
  encrypted: boolean;
  fileSha256: string | null;
  correctedBy: string[];
}

export interface NewRelease {
  requestId: string;
  approvalId: string;
  requestedBy: string;
  approvedBy: string;
  approvedAt: string;
  releasedBy: string;
  recipientId: string;
  recipientVersion: number;
  kind: DisclosureKind;
  fields: DisclosableField[];
  customerIds: readonly string[];
  legal: { authority: string; reference: string; documentDate: string } | null;
  fileFormat: ReleaseFormat;
  encrypted: boolean;
  fileSha256: string;
}

/**
 * The disclosure register: one entry per release, append-only in the database itself (triggers refuse UPDATE,
 * DELETE and TRUNCATE on both engines; checked at every start-up). A mistake is corrected by a new entry that
 * names the old one and copies its recipient, kind, fields and customers, so filters find both.
 */
export class DisclosureRegister {
  private readonly cipher = new RecordCipher(REGISTER_TABLE);

  constructor(
    private readonly ring: () => KeyRing,
    private readonly clock: Clock,
  ) {}

  private seal(id: string, facts: SealedFacts): { dek: Buffer; sealed: Buffer } {
    const sealed = this.cipher.sealNew(domainWrapper(this.ring()), id, { sealed: facts });
    return { dek: sealed.dek, sealed: sealed.columns.sealed! };
  }

  async appendRelease(q: Queryable, release: NewRelease): Promise<string> {
    const id = randomUUID();
    const facts: SealedFacts = {
      legalAuthority: release.legal?.authority ?? null,
      legalReference: release.legal?.reference ?? null,
      documentDate: release.legal?.documentDate ?? null,
      note: null,
    };
    await q(REGISTER_TABLE).insert({
      id,
      entry_type: 'release',
      corrects_id: null,
      request_id: release.requestId,
      approval_id: release.approvalId,
      requested_by: release.requestedBy,
      approved_by: release.approvedBy,
      approved_at: release.approvedAt,
      recorded_by: release.releasedBy,
      recorded_at: this.clock.nowIso(),
      recipient_id: release.recipientId,
      recipient_version: release.recipientVersion,
      disclosure_kind: release.kind,
      fields: JSON.stringify(release.fields),
      customer_count: release.customerIds.length,
      file_format: release.fileFormat,
      encrypted: release.encrypted,
      file_sha256: release.fileSha256,
      ...this.seal(id, facts),
    });
    await insertChunked(q, REGISTER_CUSTOMERS_TABLE, release.customerIds.map((customerId) => ({ entry_id: id, customer_id: customerId })));
    return id;
  }

  /** A correction: a new entry naming the old one; the old one never changes. */
  async appendCorrection(q: Queryable, entryId: string, note: string, actorId: string): Promise<RegisterRecord> {
    const old = await q<RegisterDbRow>(REGISTER_TABLE).where({ id: entryId }).first();
    if (!old) throw new AppError('NOT_FOUND', 'No such register entry.');
    const oldFacts = this.open(old);
    const id = randomUUID();
    await q(REGISTER_TABLE).insert({
      id,
      entry_type: 'correction',
      corrects_id: old.id,
      request_id: old.request_id,
      approval_id: old.approval_id,
      requested_by: old.requested_by,
      approved_by: old.approved_by,
      approved_at: old.approved_at,
      recorded_by: actorId,
      recorded_at: this.clock.nowIso(),
      recipient_id: old.recipient_id,
      recipient_version: old.recipient_version,
      disclosure_kind: old.disclosure_kind,
      fields: old.fields,
      customer_count: old.customer_count,
      file_format: null,
      encrypted: false,
      file_sha256: null,
      ...this.seal(id, { ...oldFacts, note }),
    });
    const customers = await q(REGISTER_CUSTOMERS_TABLE).where({ entry_id: old.id }).select<{ customer_id: string }[]>('customer_id');
    await insertChunked(q, REGISTER_CUSTOMERS_TABLE, customers.map((c) => ({ entry_id: id, customer_id: c.customer_id })));
    const [entry] = await this.toRecords(q, [(await this.base(q).where(`${REGISTER_TABLE}.id`, id).first<RegisterDbRow>())!], LISTED_CUSTOMER_IDS);
    return entry!;
  }

  private open(row: RegisterDbRow): SealedFacts {
    return this.cipher.open<SealedFacts>(domainWrapper(this.ring()), row.id, asBuffer(row.dek), 'sealed', asBuffer(row.sealed));
  }

  /** Entries with the recipient's name at the version they used. */
  private base(q: Queryable): Knex.QueryBuilder {
    return q(REGISTER_TABLE)
      .leftJoin(RECIPIENT_VERSIONS_TABLE, (j) => {
        j.on(`${RECIPIENT_VERSIONS_TABLE}.recipient_id`, '=', `${REGISTER_TABLE}.recipient_id`).andOn(
          `${RECIPIENT_VERSIONS_TABLE}.version`,
          '=',
          `${REGISTER_TABLE}.recipient_version`,
        );
      })
      .select(`${REGISTER_TABLE}.*`, `${RECIPIENT_VERSIONS_TABLE}.name as recipient_name`);
  }

  private filtered(q: Queryable, filter: RegisterFilter): Knex.QueryBuilder {
    return this.base(q).modify((b: Knex.QueryBuilder) => {
      if (filter.recipientId) b.where(`${REGISTER_TABLE}.recipient_id`, filter.recipientId);
      if (filter.kind) b.where(`${REGISTER_TABLE}.disclosure_kind`, filter.kind);
      if (filter.from) b.where(`${REGISTER_TABLE}.recorded_at`, '>=', filter.from);
      // "to" is a whole day: everything before the next day starts.
      if (filter.to) b.where(`${REGISTER_TABLE}.recorded_at`, '<', nextDay(filter.to));
      if (filter.customerId) b.whereIn(`${REGISTER_TABLE}.id`, q(REGISTER_CUSTOMERS_TABLE).where({ customer_id: filter.customerId }).select('entry_id'));
    });
  }

  async list(q: Queryable, filter: RegisterFilter, offset: number, limit: number): Promise<{ entries: RegisterRecord[]; total: number }> {
    const rows = (await this.filtered(q, filter).orderBy(`${REGISTER_TABLE}.seq`, 'desc').offset(offset).limit(limit)) as RegisterDbRow[];
    const total = await countRows(
      q(REGISTER_TABLE).modify((b) => {
        if (filter.recipientId) b.where('recipient_id', filter.recipientId);
        if (filter.kind) b.where('disclosure_kind', filter.kind);
        if (filter.from) b.where('recorded_at', '>=', filter.from);
        if (filter.to) b.where('recorded_at', '<', nextDay(filter.to));
        if (filter.customerId) b.whereIn('id', q(REGISTER_CUSTOMERS_TABLE).where({ customer_id: filter.customerId }).select('entry_id'));
      }),
    );
    return { entries: await this.toRecords(q, rows, LISTED_CUSTOMER_IDS), total };
  }

  /** Every matching entry, oldest first, with all customer ids: for an export. */
  async all(q: Queryable, filter: RegisterFilter): Promise<RegisterRecord[]> {
    const rows = (await this.filtered(q, filter).orderBy(`${REGISTER_TABLE}.seq`, 'asc')) as RegisterDbRow[];
    return this.toRecords(q, rows, Number.MAX_SAFE_INTEGER);
  }

  /** Release entries naming this customer, newest first. */
  async releasesAbout(q: Queryable, customerId: string): Promise<RegisterRecord[]> {
    const rows = (await this.filtered(q, { customerId }).where(`${REGISTER_TABLE}.entry_type`, 'release').orderBy(`${REGISTER_TABLE}.seq`, 'desc')) as RegisterDbRow[];
    return this.toRecords(q, rows, 0);
  }

  private async toRecords(q: Queryable, rows: readonly RegisterDbRow[], customerIdLimit: number): Promise<RegisterRecord[]> {
    const ids = rows.map((r) => r.id);
    const correctedBy = new Map<string, string[]>();
    const customers = new Map<string, string[]>();
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      const chunk = ids.slice(i, i + INSERT_CHUNK);
      for (const c of await q(REGISTER_TABLE).whereIn('corrects_id', chunk).orderBy('seq').select<{ id: string; corrects_id: string }[]>('id', 'corrects_id')) {
        correctedBy.set(c.corrects_id, [...(correctedBy.get(c.corrects_id) ?? []), c.id]);
      }
      if (customerIdLimit > 0) {
        for (const c of await q(REGISTER_CUSTOMERS_TABLE).whereIn('entry_id', chunk).orderBy('customer_id').select<{ entry_id: string; customer_id: string }[]>('entry_id', 'customer_id')) {
          const list = customers.get(c.entry_id) ?? [];
          if (list.length < customerIdLimit) list.push(c.customer_id);
          customers.set(c.entry_id, list);
        }
      }
    }
    return rows.map((row) => {
      const facts = this.open(row);
      return {
        seq: Number(row.seq),
        id: row.id,
        type: row.entry_type,
        correctsId: row.corrects_id,
        requestId: row.request_id,
        approvalId: row.approval_id,
        requestedBy: row.requested_by,
        approvedBy: row.approved_by,
        approvedAt: row.approved_at,
        recordedBy: row.recorded_by,
        recordedAt: row.recorded_at,
        recipientId: row.recipient_id,
        recipientName: row.recipient_name ?? null,
        recipientVersion: row.recipient_version === null ? null : Number(row.recipient_version),
        kind: row.disclosure_kind,
        legalReference: facts.legalReference,
        legalAuthority: facts.legalAuthority,
        documentDate: facts.documentDate,
        note: facts.note,
        fields: JSON.parse(row.fields) as DisclosableField[],
        customerCount: Number(row.customer_count),
        customerIds: customers.get(row.id) ?? [],
        fileFormat: row.file_format,
        encrypted: Boolean(row.encrypted),
        fileSha256: row.file_sha256,
        correctedBy: correctedBy.get(row.id) ?? [],
      };
    });
  }

  /** Current recipient names, for the list of recipients to tell (they may have been renamed since). */
  async recipientNames(q: Queryable, ids: readonly string[]): Promise<Map<string, { name: string; kind: string }>> {
    const rows = await q(RECIPIENTS_TABLE).whereIn('id', [...new Set(ids)]).select<{ id: string; name: string; kind: string }[]>('id', 'name', 'kind');
    return new Map(rows.map((r) => [r.id, { name: r.name, kind: r.kind }]));
  }
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}
