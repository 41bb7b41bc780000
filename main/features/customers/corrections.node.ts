import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { asBuffer, type Queryable } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { ADDRESS_FIELDS } from '../../shared/address.std.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import type { CorrectableField, CORRECTION_SOURCES, customersChannels } from './customers.contract.std.ts';
import { MINOR_REFUSED, normalizeEmail } from './customerFields.std.ts';
import type { MinorFinding } from './customers.port.node.ts';
import type { Contact, CustomerDbRow, CustomerStore, Identity } from './customerStore.node.ts';

export type CorrectionInput = z.output<(typeof customersChannels)['customers.correct']['input']>;
type Source = (typeof CORRECTION_SOURCES)[number];
type Values = Partial<Record<CorrectableField, string | null>>;

/** The encrypted part of a correction: reason plus before/after of the changed fields only. */
interface ChangeSection {
  reason: string;
  before: Values;
  after: Values;
}

interface CorrectionDbRow {
  id: string;
  customer_id: string;
  actor_id: string | null;
  at: string;
  source: Source;
  fields: string;
  change: Buffer;
}

function flatten(identity: Identity, contact: Contact): Record<CorrectableField, string | null> {
  const a = contact.shippingAddress;
  return {
    givenName: identity.givenName,
    familyName: identity.familyName,
    organisationName: identity.organisationName,
    email: contact.email,
    phone: contact.phone,
    dateOfBirth: identity.dateOfBirth,
    'shippingAddress.street': a.street,
    'shippingAddress.city': a.city,
    'shippingAddress.region': a.region,
    'shippingAddress.postalCode': a.postalCode,
    'shippingAddress.country': a.country,
  };
}

const correctionColumn = (correctionId: string) => `correction:${correctionId}`;

/**
 * Corrections (policy: "If a customer's personally identifiable information changes ... iTechno shall correct,
 * update, or delete"). Before and after values are sealed with the customer's own data key; the audit event
 * names the fields only.
 */
export class CorrectionService {
  constructor(
    private readonly customers: CustomerStore,
    /** Who recorded each correction, resolved at read time. */
    private readonly staff: StaffDirectory,
    /** Told, in the correcting transaction, when a corrected date of birth shows the record is a minor's. */
    private readonly minors: MinorFinding,
  ) {}

  async correct(
    q: Queryable,
    input: CorrectionInput,
    actorId: string | null,
  ): Promise<{ correctionId: string; fields: CorrectableField[]; row: CustomerDbRow; minorFound: boolean }> {
    await dialectOf(q).claimWrite(q);
    const row = await this.customers.load(q, input.customerId);
    // Optimistic concurrency: the editor saw `expectedVersion`; anything corrected since is named, never overwritten.
    if (input.expectedVersion !== undefined && Number(row.version ?? 1) !== input.expectedVersion) {
      throw await this.changedSince(q, row, input.expectedVersion);
    }
    const { identity, contact } = this.customers.openSections(row);
    const c = input.changes;
    const next: { identity: Identity; contact: Contact } = {
      identity: {
        ...identity,
        ...(c.givenName !== undefined && { givenName: c.givenName }),
        ...(c.familyName !== undefined && { familyName: c.familyName }),
        ...(c.organisationName !== undefined && { organisationName: c.organisationName }),
        ...(c.dateOfBirth !== undefined && { dateOfBirth: c.dateOfBirth }),
      },
      contact: {
        ...contact,
        ...(c.email !== undefined && { email: c.email }),
        ...(c.phone !== undefined && { phone: c.phone }),
        shippingAddress: { ...contact.shippingAddress },
      },
    };
    for (const field of ADDRESS_FIELDS) {
      const value = c.shippingAddress?.[field];
      if (value !== undefined) next.contact.shippingAddress = { ...next.contact.shippingAddress, [field]: value };
    }

    const before = flatten(identity, contact);
    const after = flatten(next.identity, next.contact);
    const fields = (Object.keys(after) as CorrectableField[]).filter((f) => before[f] !== after[f]);
    if (!fields.length) throw new AppError('INVALID_INPUT', 'Nothing to correct: the new values equal the current ones.');

    if (next.identity.kind === 'organisation_contact' && !next.identity.organisationName) {
      throw new AppError('INVALID_INPUT', 'Invalid request — changes.organisationName: Required for an organisation contact');
    }
    if (next.identity.kind === 'person' && next.identity.organisationName) {
      throw new AppError('INVALID_INPUT', 'Invalid request — changes.organisationName: Only an organisation contact has an organisation name');
    }
    // A corrected date of birth under 18 is kept (it is the evidence) and the record is quarantined for deletion.
    let minorFound = false;
    if (fields.includes('dateOfBirth')) {
      const problem = this.customers.dateOfBirthProblem(next.identity.dateOfBirth);
      minorFound = problem === MINOR_REFUSED;
      if (problem && !minorFound) {
        throw new AppError(
          'INVALID_INPUT',
          `changes.dateOfBirth: ${problem}. Nothing was changed.`,
        );
      }
    }
    await this.customers.freshIndexKeys(q);
    if (normalizeEmail(next.contact.email) !== normalizeEmail(contact.email)) await this.customers.assertEmailFree(q, next.contact.email, row.id);

    const updated = await this.customers.rewrite(q, row, next.identity, next.contact);
    // Changed between this call's read and its write (another workstation, same moment): refused, nothing lost.
    if (!updated) throw await this.changedSince(q, row, Number(row.version ?? 1));
    const correctionId = randomUUID();
    const change: ChangeSection = {
      reason: input.reason,
      before: Object.fromEntries(fields.map((f) => [f, before[f]])),
      after: Object.fromEntries(fields.map((f) => [f, after[f]])),
    };
    const column = correctionColumn(correctionId);
    const sealed = this.customers.sealAttached(row, column, change);
    await q('customer_corrections').insert({
      id: correctionId,
      customer_id: row.id,
      actor_id: actorId,
      at: updated.updated_at,
      source: input.source,
      fields: JSON.stringify(fields),
      change: sealed,
      version: updated.version,
    });
    if (minorFound) await this.minors.minorFound(q, { customerId: row.id, reason: 'date_of_birth_under_18', foundBy: actorId });
    return { correctionId, fields, row: updated, minorFound };
  }

  /** The CONFLICT for an edit made against `version`: names the fields corrected since (never their values). */
  private async changedSince(q: Queryable, row: Pick<CustomerDbRow, 'id'>, version: number): Promise<AppError> {
    const rows = await q('customer_corrections').where({ customer_id: row.id }).where('version', '>', version).select<{ fields: string }[]>('fields');
    const changed = [...new Set(rows.flatMap((r) => JSON.parse(r.fields) as CorrectableField[]))].sort();
    const what = changed.length ? `: ${changed.join(', ')}` : '';
    return new AppError(
      'CONFLICT',
      `This record was changed by someone else since you opened it${what}. Nothing was saved; reopen the record to see the current values, then correct again.`,
    );
  }

  async history(q: Queryable, customerId: string) {
    const row = await this.customers.load(q, customerId);
    const corrections = await q<CorrectionDbRow>('customer_corrections').where({ customer_id: customerId }).orderBy('at', 'desc').orderBy('id');
    if (!corrections.length) return [];
    const nameOf = await staffNameResolver(this.staff, q);
    const opened = this.customers.openAttached(row, Object.fromEntries(corrections.map((c) => [correctionColumn(c.id), asBuffer(c.change)])));
    return corrections.map((c) => {
      const change = opened[correctionColumn(c.id)] as ChangeSection;
      return {
        id: c.id,
        at: c.at,
        actorId: c.actor_id,
        actorName: nameOf(c.actor_id),
        source: c.source,
        reason: change.reason,
        fields: JSON.parse(c.fields) as CorrectableField[],
        before: change.before as Record<string, string | null>,
        after: change.after as Record<string, string | null>,
      };
    });
  }
}
