import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.std.ts';
import { blindIndex } from '../../platform/crypto/envelope.node.ts';
import type { KeyRing } from '../../platform/crypto/keyRing.node.ts';
import { RecordCipher } from '../../platform/crypto/recordCipher.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { asBuffer, isSqlite, type Queryable } from '../../platform/store/database.node.ts';
import { nameOf, staffNames, type StaffDirectory } from '../accounts/staffNames.node.ts';
import { CONSENT_PURPOSES, type ConsentChannel, type ConsentPurpose } from './consents.std.ts';
import type { CustomerRow } from './customers.contract.std.ts';
import {
  dateOfBirthProblem,
  maskedDisplayName,
  normalizeEmail,
  normalizeFamilyName,
  normalizePhone,
  normalizePostalCode,
  POLICY_VERSION,
  type CustomerDetails,
  type CustomerKind,
  type CustomerStatus,
} from './customerFields.std.ts';

export const CUSTOMERS_TABLE = 'customers';
/** Rows per INSERT statement for bulk writes (import, benchmark). */
export const INSERT_CHUNK = 500;

export interface StoredAddress {
  street: string;
  city: string;
  region: string | null;
  postalCode: string;
  country: string;
}
/** The `identity` section. */
export interface Identity {
  kind: CustomerKind;
  givenName: string;
  familyName: string;
  organisationName: string | null;
  dateOfBirth: string | null;
}
/** The `contact` section. */
export interface Contact {
  email: string;
  phone: string | null;
  shippingAddress: StoredAddress;
}
/** The `summary` section: what a list row needs, masked. */
export interface Summary {
  displayName: string;
  city: string;
}

export interface CustomerDbRow {
  id: string;
  kind: CustomerKind;
  status: CustomerStatus;
  policy_version: string;
  dek: Buffer;
  summary: Buffer;
  identity: Buffer;
  contact: Buffer;
  email_index: string;
  phone_index: string | null;
  postal_index: string;
  family_index: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConsentDbRow {
  customer_id: string;
  purpose: ConsentPurpose;
  granted: boolean | number;
  channel: ConsentChannel;
  changed_at: string;
}
export interface ConsentEventDbRow extends ConsentDbRow {
  id: string;
  actor_id: string | null;
  at: string;
}

export interface PreparedCustomer {
  row: CustomerDbRow;
  consents: ConsentDbRow[];
  events: Omit<ConsentEventDbRow, 'changed_at'>[];
}

export type SearchField = 'email' | 'phone' | 'postalCode' | 'familyName';
const INDEX_COLUMN: Record<SearchField, keyof CustomerDbRow> = {
  email: 'email_index',
  phone: 'phone_index',
  postalCode: 'postal_index',
  familyName: 'family_index',
};
const NORMALIZE: Record<SearchField, (value: string) => string> = {
  email: normalizeEmail,
  phone: normalizePhone,
  postalCode: normalizePostalCode,
  familyName: normalizeFamilyName,
};

export const SEARCH_LIMIT = 50;
/**
 * Jobs (issue #6): customers staged by a running import carry its job id until one transaction publishes them;
 * until then search, list, counts and load do not see them (email checks do, so a publish adds no duplicate).
 */
const STAGED_BY_IMPORT = 'import_job_id';
const LIST_COLUMNS = ['id', 'kind', 'status', 'dek', 'summary', 'created_at'] as const;

/** Inserts in fixed-size chunks inside the caller's transaction (the same batching knex's batchInsert uses). */
export async function insertChunked(q: Queryable, table: string, rows: readonly object[], chunk = INSERT_CHUNK): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) await q(table).insert(rows.slice(i, i + chunk));
}

export const NO_SUCH_CUSTOMER = 'No such customer.';

/**
 * Customer records: sealing, blind indexes, search and listing. Each customer has its own data key; its PII
 * sits in three sections (summary, identity, contact), each one AES-GCM ciphertext bound to the row.
 */
export class CustomerService {
  readonly cipher: RecordCipher;
  constructor(
    private readonly ring: () => KeyRing,
    private readonly clock: Clock,
    /** Staff display names for histories (consents here, corrections in CorrectionService), resolved at read time. */
    readonly staff: StaffDirectory,
  ) {
    this.cipher = new RecordCipher(ring, CUSTOMERS_TABLE);
  }

  now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  nowMs(): number {
    return this.clock.now();
  }

  private index(field: SearchField, normalized: string): string {
    return blindIndex(this.ring(), `customers.${field}`, normalized);
  }

  /** The blind index a search value maps to, or null when the value normalises to nothing searchable. */
  searchIndex(field: SearchField, value: string): string | null {
    const normalized = NORMALIZE[field](value);
    return normalized ? this.index(field, normalized) : null;
  }

  indexes(identity: Identity, contact: Contact): Pick<CustomerDbRow, 'email_index' | 'phone_index' | 'postal_index' | 'family_index'> {
    const phone = contact.phone ? normalizePhone(contact.phone) : '';
    return {
      email_index: this.index('email', normalizeEmail(contact.email)),
      phone_index: phone ? this.index('phone', phone) : null,
      postal_index: this.index('postalCode', normalizePostalCode(contact.shippingAddress.postalCode)),
      family_index: this.index('familyName', normalizeFamilyName(identity.familyName)),
    };
  }

  summaryOf(identity: Identity, contact: Contact): Summary {
    return {
      displayName: maskedDisplayName(identity.givenName, identity.familyName, identity.organisationName),
      city: contact.shippingAddress.city,
    };
  }

  /** The rules that need today's date. Null when acceptable; the message names the rule, not the value. */
  dateOfBirthProblem(dateOfBirth: string | null | undefined): string | null {
    return dateOfBirth ? dateOfBirthProblem(dateOfBirth, this.clock.now()) : null;
  }

  static sections(details: CustomerDetails): { identity: Identity; contact: Contact } {
    const a = details.shippingAddress;
    return {
      identity: {
        kind: details.kind,
        givenName: details.givenName,
        familyName: details.familyName,
        organisationName: details.organisationName ?? null,
        dateOfBirth: details.dateOfBirth ?? null,
      },
      contact: {
        email: details.email,
        phone: details.phone ?? null,
        shippingAddress: { street: a.street, city: a.city, region: a.region ?? null, postalCode: a.postalCode, country: a.country },
      },
    };
  }

  /**
   * Seals a validated customer into the rows to insert. No database access: the import and the benchmark
   * prepare many, then insert them in chunks. One data-key wrap, three section seals and four HMACs per record.
   */
  prepare(
    details: CustomerDetails,
    opts: { actorId: string | null; now: string; consents?: Partial<Record<ConsentPurpose, boolean>>; consentChannel?: ConsentChannel },
  ): PreparedCustomer {
    const id = randomUUID();
    const { identity, contact } = CustomerService.sections(details);
    const sealed = this.cipher.sealNew(id, { summary: this.summaryOf(identity, contact), identity, contact });
    const row: CustomerDbRow = {
      id,
      kind: identity.kind,
      status: 'active',
      policy_version: POLICY_VERSION,
      dek: sealed.dek,
      summary: sealed.columns.summary!,
      identity: sealed.columns.identity!,
      contact: sealed.columns.contact!,
      ...this.indexes(identity, contact),
      created_by: opts.actorId,
      created_at: opts.now,
      updated_at: opts.now,
    };
    const consents: ConsentDbRow[] = [];
    const events: PreparedCustomer['events'] = [];
    for (const purpose of CONSENT_PURPOSES) {
      if (!opts.consents?.[purpose]) continue;
      const channel = opts.consentChannel;
      if (!channel) throw new AppError('INVALID_INPUT', 'Invalid request — consentChannel: Say how the consent was given');
      consents.push({ customer_id: id, purpose, granted: true, channel, changed_at: opts.now });
      events.push({ id: randomUUID(), customer_id: id, purpose, granted: true, channel, actor_id: opts.actorId, at: opts.now });
    }
    return { row, consents, events };
  }

  async insertPrepared(q: Queryable, prepared: readonly PreparedCustomer[], chunk = INSERT_CHUNK): Promise<void> {
    await insertChunked(q, CUSTOMERS_TABLE, prepared.map((p) => p.row), chunk);
    const consents = prepared.flatMap((p) => p.consents);
    if (consents.length) await insertChunked(q, 'customer_consents', consents, chunk);
    const events = prepared.flatMap((p) => p.events);
    if (events.length) await insertChunked(q, 'consent_events', events, chunk);
  }

  /** Refuses a second record with the same email address (kept accurate: one customer, one record). */
  async assertEmailFree(q: Queryable, emailIndex: string, exceptId?: string): Promise<void> {
    const existing = await q(CUSTOMERS_TABLE)
      .where({ email_index: emailIndex })
      .modify((b) => {
        if (exceptId) b.whereNot({ id: exceptId });
      })
      .first('id');
    if (existing) throw new AppError('CONFLICT', 'A customer with this email address already exists. Search for it instead.');
  }

  /** Which of these email indexes already belong to a customer. */
  async existingEmailIndexes(q: Queryable, indexes: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < indexes.length; i += 500) {
      const rows = await q(CUSTOMERS_TABLE).whereIn('email_index', indexes.slice(i, i + 500)).select<{ email_index: string }[]>('email_index');
      for (const row of rows) found.add(row.email_index);
    }
    return found;
  }

  async create(
    q: Queryable,
    details: CustomerDetails,
    opts: { actorId: string | null; consents?: Partial<Record<ConsentPurpose, boolean>>; consentChannel?: ConsentChannel },
  ): Promise<CustomerRow> {
    const problem = this.dateOfBirthProblem(details.dateOfBirth);
    if (problem) throw new AppError('INVALID_INPUT', `dateOfBirth: ${problem}. Nothing was saved.`);
    const prepared = this.prepare(details, { ...opts, now: this.now() });
    await this.assertEmailFree(q, prepared.row.email_index);
    await this.insertPrepared(q, [prepared]);
    return this.toRow(prepared.row);
  }

  async load(q: Queryable, id: string): Promise<CustomerDbRow> {
    const row = await q<CustomerDbRow>(CUSTOMERS_TABLE).where({ id }).whereNull(STAGED_BY_IMPORT).first();
    if (!row) throw new AppError('NOT_FOUND', NO_SUCH_CUSTOMER);
    return row;
  }

  /** A minimal masked row: unwraps the data key and opens the summary section only. */
  toRow(row: Pick<CustomerDbRow, (typeof LIST_COLUMNS)[number]>): CustomerRow {
    const summary = this.cipher.open<Summary>(row.id, asBuffer(row.dek), 'summary', asBuffer(row.summary));
    return { id: row.id, displayName: summary.displayName, city: summary.city, status: row.status, kind: row.kind, createdAt: row.created_at };
  }

  /**
   * The masked display names ("Jane D.") of these customers, exactly as their list rows show them (summary
   * section only). Ids with no customer are left out.
   */
  async displayNames(q: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await q(CUSTOMERS_TABLE).whereIn('id', unique.slice(i, i + 500)).select<CustomerDbRow[]>(LIST_COLUMNS);
      for (const row of rows) names.set(row.id, this.toRow(row).displayName);
    }
    return names;
  }

  openSections(row: CustomerDbRow): { identity: Identity; contact: Contact } {
    const opened = this.cipher.openMany(row.id, asBuffer(row.dek), { identity: asBuffer(row.identity), contact: asBuffer(row.contact) });
    return { identity: opened.identity as Identity, contact: opened.contact as Contact };
  }

  openIdentity(row: CustomerDbRow): Identity {
    return this.cipher.open<Identity>(row.id, asBuffer(row.dek), 'identity', asBuffer(row.identity));
  }

  /** Re-seals identity, contact and summary with the record's own key and moves the blind indexes along. */
  async rewrite(q: Queryable, row: CustomerDbRow, identity: Identity, contact: Contact): Promise<CustomerDbRow> {
    const columns = this.cipher.reseal(row.id, asBuffer(row.dek), { summary: this.summaryOf(identity, contact), identity, contact });
    const patch = {
      kind: identity.kind,
      summary: columns.summary!,
      identity: columns.identity!,
      contact: columns.contact!,
      ...this.indexes(identity, contact),
      updated_at: this.now(),
    };
    await q(CUSTOMERS_TABLE).where({ id: row.id }).update(patch);
    return { ...row, ...patch };
  }

  async search(q: Queryable, by: SearchField, value: string): Promise<{ rows: CustomerRow[]; truncated: boolean }> {
    const index = this.searchIndex(by, value);
    if (!index) throw new AppError('INVALID_INPUT', `Invalid request — value: nothing searchable in this ${by === 'phone' ? 'phone number (no digits)' : 'value'}`);
    const rows = await q(CUSTOMERS_TABLE)
      .where(INDEX_COLUMN[by], index)
      .whereNull(STAGED_BY_IMPORT)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(SEARCH_LIMIT + 1)
      .select<CustomerDbRow[]>(LIST_COLUMNS);
    return { rows: rows.slice(0, SEARCH_LIMIT).map((r) => this.toRow(r)), truncated: rows.length > SEARCH_LIMIT };
  }

  async list(q: Queryable, opts: { offset: number; limit: number; status?: CustomerStatus | undefined }): Promise<{ rows: CustomerRow[]; total: number }> {
    const base = q(CUSTOMERS_TABLE)
      .whereNull(STAGED_BY_IMPORT)
      .modify((b) => {
        if (opts.status) b.where({ status: opts.status });
      });
    const rows = await base
      .clone()
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .offset(opts.offset)
      .limit(opts.limit)
      .select<CustomerDbRow[]>(LIST_COLUMNS);
    return { rows: rows.map((r) => this.toRow(r)), total: await this.total(q, opts.status) };
  }

  /** Number of customers (with a status): from the trigger-kept counts on SQLite, else count(*). */
  async total(q: Queryable, status?: CustomerStatus): Promise<number> {
    if (isSqlite(q)) {
      const rows = await q('customer_counts')
        .modify((b) => {
          if (status) b.where({ status });
        })
        .sum<{ n: number | null }[]>('n as n');
      return Number(rows[0]?.n ?? 0);
    }
    const rows = await q(CUSTOMERS_TABLE)
      .whereNull(STAGED_BY_IMPORT)
      .modify((b) => {
        if (status) b.where({ status });
      })
      .count<{ n: number }[]>('* as n');
    return Number(rows[0]?.n ?? 0);
  }

  async setStatus(q: Queryable, id: string, status: CustomerStatus): Promise<{ row: CustomerRow; changed: boolean }> {
    const row = await this.load(q, id);
    if (row.status === status) return { row: this.toRow(row), changed: false };
    const updated_at = this.now();
    await q(CUSTOMERS_TABLE).where({ id }).update({ status, updated_at });
    return { row: this.toRow({ ...row, status }), changed: true };
  }

  // ---- consents ----

  async consents(q: Queryable, customerId: string): Promise<{
    states: { purpose: ConsentPurpose; granted: boolean; channel: ConsentChannel | null; changedAt: string | null }[];
    history: { purpose: ConsentPurpose; granted: boolean; channel: ConsentChannel; at: string; recordedBy: string | null; actorName: string | null }[];
  }> {
    const current = new Map((await q<ConsentDbRow>('customer_consents').where({ customer_id: customerId })).map((r) => [r.purpose, r]));
    const events = await q<ConsentEventDbRow>('consent_events').where({ customer_id: customerId }).orderBy('at').orderBy('id');
    const names = events.some((e) => e.actor_id) ? await staffNames(this.staff, q) : new Map<string, string>();
    return {
      states: CONSENT_PURPOSES.map((purpose) => {
        const row = current.get(purpose);
        return { purpose, granted: Boolean(row?.granted), channel: row?.channel ?? null, changedAt: row?.changed_at ?? null };
      }),
      history: events.map((e) => ({
        purpose: e.purpose,
        granted: Boolean(e.granted),
        channel: e.channel,
        at: e.at,
        recordedBy: e.actor_id,
        actorName: nameOf(names, e.actor_id),
      })),
    };
  }

  async setConsent(
    q: Queryable,
    input: { customerId: string; purpose: ConsentPurpose; granted: boolean; channel: ConsentChannel },
    actorId: string | null,
  ): Promise<{ purpose: ConsentPurpose; granted: boolean; channel: ConsentChannel; changedAt: string }> {
    await this.load(q, input.customerId);
    const at = this.now();
    await q('consent_events').insert({
      id: randomUUID(),
      customer_id: input.customerId,
      purpose: input.purpose,
      granted: input.granted,
      channel: input.channel,
      actor_id: actorId,
      at,
    });
    await q('customer_consents')
      .insert({ customer_id: input.customerId, purpose: input.purpose, granted: input.granted, channel: input.channel, changed_at: at })
      .onConflict(['customer_id', 'purpose'])
      .merge();
    return { purpose: input.purpose, granted: input.granted, channel: input.channel, changedAt: at };
  }
}
