import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../../platform/clock.std.ts';
import type { FreshIndexKeys } from '../../platform/crypto/domainKeys.node.ts';
import { blindIndex, blindIndexProbes } from '../../platform/crypto/envelope.node.ts';
import type { KeyRing } from '../../platform/crypto/keyRing.node.ts';
import type { SubjectKeyWrapper } from '../../platform/crypto/dataKeys.node.ts';
import { RecordCipher } from '../../platform/crypto/recordCipher.node.ts';
import type { SubjectKeyRow, SubjectKeys, SubjectKeyTable } from '../../platform/crypto/subjectKeys.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { asBuffer, type Queryable } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { INSERT_CHUNK, insertChunked } from '../../platform/store/queries.node.ts';
import { storedAddress, type StoredAddress } from '../../shared/address.std.ts';
import { POLICY_VERSION } from '../../shared/policy.std.ts';
import type { ConsentChannel, ConsentPurpose } from './consents.std.ts';
import { initialConsents, insertConsentRows, type InitialConsents } from './consents.node.ts';
import type { CustomerRow } from './customers.contract.std.ts';
import {
  ageOn,
  dateOfBirthProblem,
  MINIMUM_AGE,
  maskedDisplayName,
  normalizeEmail,
  normalizeFamilyName,
  normalizePhone,
  normalizePostalCode,
  type CustomerDetails,
  type CustomerKind,
  type CustomerStatus,
  type QuarantineReason,
} from './customerFields.std.ts';

export const CUSTOMERS_TABLE = 'customers';
export const NO_SUCH_CUSTOMER = 'No such customer.';
export const EMAIL_TAKEN = 'A customer with this email address already exists. Search for it instead.';

/** A unique violation on `customers` can only be the email index (ids are random UUIDs): say so. */
export function emailTakenOr(q: Queryable, error: unknown): unknown {
  return dialectOf(q).classifyError(error) === 'unique_violation' ? new AppError('CONFLICT', EMAIL_TAKEN) : error;
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
/** Where the version of the privacy policy in force comes from (implemented by the policy feature's port). */
export interface PolicyInForce {
  versionInForce(q: Queryable, nowIso: string): Promise<string>;
}

/** What a mailing list or an audience file holds about a customer. */
export interface CustomerContact {
  givenName: string;
  familyName: string;
  organisationName: string | null;
  email: string;
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
  /** The blind-index key version the four indexes are under (migration 0020; absent: the column default, 1). */
  index_version?: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** Counts rewrites of the personal data (corrections): the version an editor saw. Absent before insert. */
  version?: number;
  /** The customer's own wrapped key, joined from customer_keys (null: not yet migrated). */
  customer_key?: Buffer | null;
  /** Set when the record was found to be a minor's (quarantine.node.ts). */
  quarantined_at?: string | null;
  quarantine_reason?: QuarantineReason | null;
}

export interface PreparedCustomer extends InitialConsents {
  row: CustomerDbRow;
  key: SubjectKeyRow;
  /** Wraps the data keys of anything else created with this customer (the benchmark's orders). */
  keys: SubjectKeyWrapper;
}

export type SearchField = 'email' | 'phone' | 'postalCode' | 'familyName';
export type CustomerIndexes = Pick<CustomerDbRow, 'email_index' | 'phone_index' | 'postal_index' | 'family_index' | 'index_version'>;
const NORMALIZE: Record<SearchField, (value: string) => string> = {
  email: normalizeEmail,
  phone: normalizePhone,
  postalCode: normalizePostalCode,
  familyName: normalizeFamilyName,
};

/** The columns a list row (toRow) needs. */
export const LIST_COLUMNS = ['id', 'kind', 'status', 'dek', 'summary', 'created_at'] as const;
export type ListDbRow = Pick<CustomerDbRow, (typeof LIST_COLUMNS)[number] | 'customer_key'>;
export const CUSTOMER_KEYS_TABLE = 'customer_keys';
export const CUSTOMER_KEYS: SubjectKeyTable = { table: CUSTOMER_KEYS_TABLE, subjectColumn: 'customer_id' };
/**
 * Customers staged by a running import carry its job id until one transaction publishes them; until then
 * search, list, counts and load do not see them (email checks do, so a publish adds no duplicate).
 */
export const STAGED_BY_IMPORT = 'import_job_id';

/** Customer columns plus the customer's own wrapped key, so opening a record needs no second query. */
export function withCustomerKey(q: Queryable): Knex.QueryBuilder {
  return q(CUSTOMERS_TABLE)
    .leftJoin(CUSTOMER_KEYS_TABLE, `${CUSTOMER_KEYS_TABLE}.customer_id`, `${CUSTOMERS_TABLE}.id`)
    .select(`${CUSTOMERS_TABLE}.*`, `${CUSTOMER_KEYS_TABLE}.wrapped_key as customer_key`);
}

/**
 * The list columns with each customer's wrapped key beside them: masked rows (`toRow`) from one query, with no
 * second round trip for the keys. Columns that both tables have (created_at) must be named with their table.
 */
export function listRowsWithKey(q: Queryable): Knex.QueryBuilder {
  return q(CUSTOMERS_TABLE)
    .leftJoin(CUSTOMER_KEYS_TABLE, `${CUSTOMER_KEYS_TABLE}.customer_id`, `${CUSTOMERS_TABLE}.id`)
    .select(...LIST_COLUMNS.map((column) => `${CUSTOMERS_TABLE}.${column}`), `${CUSTOMER_KEYS_TABLE}.wrapped_key as customer_key`);
}

/** A customer's status, or null when there is no such customer. Reads no PII. */
export async function customerStatus(q: Queryable, id: string): Promise<CustomerStatus | null> {
  const row = await q(CUSTOMERS_TABLE).where({ id }).first<{ status: CustomerStatus } | undefined>('status');
  return row?.status ?? null;
}

/**
 * Among these ids, the customers that are gone: no row (deleted, or never published by an import) or a shredded
 * key (erased). Nothing may be disclosed about them.
 */
export async function absentOrErasedAmong(q: Queryable, ids: readonly string[]): Promise<Set<string>> {
  const present = new Set<string>();
  for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
    // A customer the key migration has not reached yet has no key row and is present all the same.
    const rows = await q(CUSTOMERS_TABLE)
      .leftJoin(CUSTOMER_KEYS_TABLE, `${CUSTOMER_KEYS_TABLE}.customer_id`, `${CUSTOMERS_TABLE}.id`)
      .whereIn(`${CUSTOMERS_TABLE}.id`, ids.slice(i, i + INSERT_CHUNK))
      .whereNull(`${CUSTOMERS_TABLE}.${STAGED_BY_IMPORT}`)
      .whereNull(`${CUSTOMER_KEYS_TABLE}.shredded_at`)
      .select<{ id: string }[]>(`${CUSTOMERS_TABLE}.id`);
    for (const row of rows) present.add(row.id);
  }
  return new Set(ids.filter((id) => !present.has(id)));
}

/** A customer's personal data as a release file or an access export needs it (opened in full). */
export interface PersonalData {
  givenName: string;
  familyName: string;
  organisationName: string | null;
  email: string;
  phone: string | null;
  dateOfBirth: string | null;
  shippingAddress: StoredAddress;
}

/**
 * Customer records: the only place that seals or opens a customer's sections. Each customer has its own data
 * key; its PII sits in three sections (summary, identity, contact), each one AES-GCM ciphertext bound to the row,
 * and exact search goes through keyed blind indexes. Search and listing are in customerSearch.node.ts, consents in
 * consents.node.ts.
 */
export class CustomerStore {
  private readonly cipher: RecordCipher;
  constructor(
    private readonly ring: () => KeyRing,
    private readonly clock: Clock,
    /** Each customer's own key: every data key about the customer is wrapped by it. */
    readonly keys: SubjectKeys,
    /**
     * The policy version in force, stamped on every record and consent inserted (the composition root passes the
     * policy feature's). Absent only where rows go into a database from before migration 0013 (migration tests).
     */
    private readonly policy?: PolicyInForce,
    /**
     * Brings the ring to the newest blind-index version inside a write's transaction (the composition root's).
     * Absent only where rows go into a database from before migration 0020 (migration tests, the benchmark's
     * fresh files): rows then leave `index_version` to its default, and only version 1 may be indexed.
     */
    private readonly indexKeys?: FreshIndexKeys,
  ) {
    this.cipher = new RecordCipher(CUSTOMERS_TABLE);
  }

  /** Called first by every write that indexes (create, import batch, correction): see FreshIndexKeys. */
  async freshIndexKeys(q: Queryable): Promise<void> {
    await this.indexKeys?.(q);
  }

  /** Whether rows prepared earlier are indexed under versions the (fresh) ring still holds. */
  indexedUnderLiveVersions(rows: readonly Pick<CustomerDbRow, 'index_version'>[]): boolean {
    const live = this.ring().indexVersions;
    return rows.every((row) => live.includes(row.index_version ?? 1));
  }

  /** The wrapper for a loaded row's data keys (and those of other records about the same customer). */
  keysOf(row: Pick<CustomerDbRow, 'id' | 'customer_key'>): SubjectKeyWrapper {
    return this.keys.fromColumn(row.id, row.customer_key);
  }

  now(): string {
    return this.clock.nowIso();
  }

  /** The blind index a search value maps to under every version the ring holds, or null when nothing is searchable. */
  searchProbes(field: SearchField, value: string): string[] | null {
    const normalized = NORMALIZE[field](value);
    return normalized ? blindIndexProbes(this.ring(), `customers.${field}`, normalized) : null;
  }

  /** The four indexes of a record under one version (default: the ring's current), and that version. */
  indexes(identity: Identity, contact: Contact, ring = this.ring(), version = ring.indexVersion): CustomerIndexes {
    if (!this.indexKeys && version !== 1) throw new Error('This store writes no index version: it indexes under version 1 only');
    const index = (field: SearchField, normalized: string) => blindIndex(ring, `customers.${field}`, normalized, version);
    const phone = contact.phone ? normalizePhone(contact.phone) : '';
    return {
      email_index: index('email', normalizeEmail(contact.email)),
      phone_index: phone ? index('phone', phone) : null,
      postal_index: index('postalCode', normalizePostalCode(contact.shippingAddress.postalCode)),
      family_index: index('familyName', normalizeFamilyName(identity.familyName)),
      ...(this.indexKeys ? { index_version: version } : {}),
    };
  }

  private summaryOf(identity: Identity, contact: Contact): Summary {
    return {
      displayName: maskedDisplayName(identity.givenName, identity.familyName, identity.organisationName),
      city: contact.shippingAddress.city,
    };
  }

  /** Whether the date of birth on record makes the customer a minor today; false when none is recorded. */
  async recordedAsMinor(q: Queryable, id: string): Promise<boolean> {
    const { dateOfBirth } = this.openIdentity(await this.load(q, id));
    return dateOfBirth !== null && ageOn(dateOfBirth, this.clock.now()) < MINIMUM_AGE;
  }

  /** The rules that need today's date. Null when acceptable; the message names the rule, not the value. */
  dateOfBirthProblem(dateOfBirth: string | null | undefined): string | null {
    return dateOfBirth ? dateOfBirthProblem(dateOfBirth, this.clock.now()) : null;
  }

  static sections(details: CustomerDetails): { identity: Identity; contact: Contact } {
    return {
      identity: {
        kind: details.kind,
        givenName: details.givenName,
        familyName: details.familyName,
        organisationName: details.organisationName ?? null,
        dateOfBirth: details.dateOfBirth ?? null,
      },
      contact: { email: details.email, phone: details.phone ?? null, shippingAddress: storedAddress(details.shippingAddress) },
    };
  }

  /**
   * Seals a validated customer into the rows to insert. No database access: the import and the benchmark
   * prepare many, then insert them in chunks. One customer-key wrap, three section seals (under the customer's key)
   * and four HMACs per record.
   */
  prepare(
    details: CustomerDetails,
    opts: { actorId: string | null; now: string; consents?: Partial<Record<ConsentPurpose, boolean>>; consentChannel?: ConsentChannel },
  ): PreparedCustomer {
    const id = randomUUID();
    const { identity, contact } = CustomerStore.sections(details);
    const key = this.keys.create(id, opts.now);
    const sealed = this.cipher.sealUnderSubject(key.keys, id, { summary: this.summaryOf(identity, contact), identity, contact });
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
    return { row, key: key.row, keys: key.keys, ...initialConsents(id, opts) };
  }

  /** Inserts in the caller's transaction, stamping the policy version in force now on the records and consents. */
  async insertPrepared(q: Queryable, prepared: readonly PreparedCustomer[], chunk = INSERT_CHUNK): Promise<void> {
    const policyVersion = this.policy ? await this.policy.versionInForce(q, this.now()) : null;
    await insertChunked(q, CUSTOMERS_TABLE, prepared.map((p) => (policyVersion ? { ...p.row, policy_version: policyVersion } : p.row)), chunk);
    await insertChunked(q, CUSTOMER_KEYS_TABLE, prepared.map((p) => p.key), chunk);
    await insertConsentRows(q, prepared, chunk, policyVersion);
  }

  /**
   * Refuses a second record with the same email address (kept accurate: one customer, one record), under any
   * index version. Call `freshIndexKeys` first in the same transaction.
   */
  async assertEmailFree(q: Queryable, email: string, exceptId?: string): Promise<void> {
    const taken = await this.takenEmails(q, [email], exceptId);
    if (taken.size) throw new AppError('CONFLICT', EMAIL_TAKEN);
  }

  /**
   * Which of these addresses (by position) already belong to a customer, whichever index version its row is
   * under: the unique index alone cannot tell an address indexed under two versions. Call `freshIndexKeys` first.
   */
  async takenEmails(q: Queryable, emails: readonly string[], exceptId?: string): Promise<Set<number>> {
    const ring = this.ring();
    const positionOf = new Map<string, number>();
    emails.forEach((email, position) => {
      for (const probe of blindIndexProbes(ring, 'customers.email', normalizeEmail(email))) positionOf.set(probe, position);
    });
    const probes = [...positionOf.keys()];
    const taken = new Set<number>();
    for (let i = 0; i < probes.length; i += 500) {
      const rows = await q(CUSTOMERS_TABLE)
        .whereIn('email_index', probes.slice(i, i + 500))
        .modify((b) => {
          if (exceptId) b.whereNot({ id: exceptId });
        })
        .select<{ email_index: string }[]>('email_index');
      for (const row of rows) taken.add(positionOf.get(row.email_index)!);
    }
    return taken;
  }

  async create(
    q: Queryable,
    details: CustomerDetails,
    opts: { actorId: string | null; consents?: Partial<Record<ConsentPurpose, boolean>>; consentChannel?: ConsentChannel },
  ): Promise<CustomerRow> {
    const problem = this.dateOfBirthProblem(details.dateOfBirth);
    if (problem) throw new AppError('INVALID_INPUT', `dateOfBirth: ${problem}. Nothing was saved.`);
    await this.freshIndexKeys(q);
    const prepared = this.prepare(details, { ...opts, now: this.now() });
    // The check gives the usual answer; the unique index on email_index is what holds when two workstations
    // create the same address at once (the loser's insert fails and is reported the same way).
    await dialectOf(q).claimWrite(q);
    await this.assertEmailFree(q, details.email);
    try {
      await this.insertPrepared(q, [prepared]);
    } catch (error) {
      throw emailTakenOr(q, error);
    }
    return this.toRow({ ...prepared.row, customer_key: prepared.key.wrapped_key });
  }

  async load(q: Queryable, id: string): Promise<CustomerDbRow> {
    const row = await withCustomerKey(q).where(`${CUSTOMERS_TABLE}.id`, id).whereNull(`${CUSTOMERS_TABLE}.${STAGED_BY_IMPORT}`).first<CustomerDbRow | undefined>();
    if (!row) throw new AppError('NOT_FOUND', NO_SUCH_CUSTOMER);
    return row;
  }

  /**
   * A minimal masked row: unwraps the data key and opens the summary section only. (A deleted customer has no row:
   * its key and its rows go in one transaction, erasure feature.)
   */
  toRow(row: ListDbRow, keys = this.keysOf(row)): CustomerRow {
    const summary = this.cipher.open<Summary>(keys, row.id, asBuffer(row.dek), 'summary', asBuffer(row.summary));
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
      const rows: ListDbRow[] = await listRowsWithKey(q).whereIn(`${CUSTOMERS_TABLE}.id`, unique.slice(i, i + 500));
      for (const row of rows) names.set(row.id, this.toRow(row).displayName);
    }
    return names;
  }

  /**
   * Name, email and shipping address of these customers, opened for a mailing list or an audience file the user
   * saves (never logged). Customers that are gone (deleted) are left out.
   */
  async contactsOf(q: Queryable, ids: readonly string[]): Promise<Map<string, CustomerContact>> {
    const out = new Map<string, CustomerContact>();
    for (const [id, p] of await this.personalData(q, ids)) {
      out.set(id, { givenName: p.givenName, familyName: p.familyName, organisationName: p.organisationName, email: p.email, shippingAddress: p.shippingAddress });
    }
    return out;
  }


  openSections(row: CustomerDbRow): { identity: Identity; contact: Contact } {
    const opened = this.cipher.openMany(this.keysOf(row), row.id, asBuffer(row.dek), { identity: asBuffer(row.identity), contact: asBuffer(row.contact) });
    return { identity: opened.identity as Identity, contact: opened.contact as Contact };
  }

  /**
   * The personal data of customers, opened in full, for a purpose approved elsewhere (a released disclosure).
   * Customers that are gone (deleted) are left out; the caller has checked they may be read.
   */
  async personalData(q: Queryable, ids: readonly string[]): Promise<Map<string, PersonalData>> {
    const out = new Map<string, PersonalData>();
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      const rows: CustomerDbRow[] = await withCustomerKey(q)
        .whereIn(`${CUSTOMERS_TABLE}.id`, ids.slice(i, i + INSERT_CHUNK))
        .whereNull(`${CUSTOMERS_TABLE}.${STAGED_BY_IMPORT}`);
      for (const row of rows) {
        const { identity, contact } = this.openSections(row);
        out.set(row.id, {
          givenName: identity.givenName,
          familyName: identity.familyName,
          organisationName: identity.organisationName,
          email: contact.email,
          phone: contact.phone,
          dateOfBirth: identity.dateOfBirth,
          shippingAddress: contact.shippingAddress,
        });
      }
    }
    return out;
  }

  openIdentity(row: CustomerDbRow): Identity {
    return this.cipher.open<Identity>(this.keysOf(row), row.id, asBuffer(row.dek), 'identity', asBuffer(row.identity));
  }

  /**
   * Seals a value that belongs to a customer but lives in another table (a correction's before/after) under the
   * customer's own data key, bound to the customer and `column`, so erasing the key erases it too.
   */
  sealAttached(row: Pick<CustomerDbRow, 'id' | 'dek' | 'customer_key'>, column: string, value: unknown): Buffer {
    return this.cipher.reseal(this.keysOf(row), row.id, asBuffer(row.dek), { [column]: value })[column]!;
  }

  /** Opens values sealed by `sealAttached`, by column. */
  openAttached(row: Pick<CustomerDbRow, 'id' | 'dek' | 'customer_key'>, blobs: Record<string, Buffer>): Record<string, unknown> {
    return this.cipher.openMany(this.keysOf(row), row.id, asBuffer(row.dek), blobs);
  }

  /**
   * Re-seals identity, contact and summary with the record's own key and moves the blind indexes along. The
   * update is conditional on the version `row` was loaded at and bumps it, so a rewrite based on a stale read
   * changes nothing and returns null (the caller explains the conflict).
   */
  async rewrite(q: Queryable, row: CustomerDbRow, identity: Identity, contact: Contact): Promise<CustomerDbRow | null> {
    const columns = this.cipher.reseal(this.keysOf(row), row.id, asBuffer(row.dek), { summary: this.summaryOf(identity, contact), identity, contact });
    const patch = {
      kind: identity.kind,
      summary: columns.summary!,
      identity: columns.identity!,
      contact: columns.contact!,
      ...this.indexes(identity, contact),
      updated_at: this.now(),
      version: Number(row.version ?? 1) + 1,
    };
    let changed: number;
    try {
      changed = await q(CUSTOMERS_TABLE).where({ id: row.id, version: Number(row.version ?? 1) }).update(patch);
    } catch (error) {
      throw emailTakenOr(q, error);
    }
    return changed ? { ...row, ...patch } : null;
  }

  async setStatus(q: Queryable, id: string, status: CustomerStatus): Promise<{ row: CustomerRow; changed: boolean }> {
    const row = await this.load(q, id);
    if (row.status === status) return { row: this.toRow(row), changed: false };
    const now = this.now();
    // Retention counts from the closing (erasure feature); a reopened record starts afresh.
    await q(CUSTOMERS_TABLE).where({ id }).update({ status, updated_at: now, closed_at: status === 'closed' ? now : null });
    return { row: this.toRow({ ...row, status }), changed: true };
  }
}
