import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.std.ts';
import { domainWrapper } from '../../platform/crypto/dataKeys.node.ts';
import type { KeyRing } from '../../platform/crypto/keyRing.node.ts';
import { RecordCipher } from '../../platform/crypto/recordCipher.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { asBuffer, type Queryable } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import type { Recipient } from './disclosures.contract.std.ts';
import {
  MAX_RECIPIENT_FIELDS,
  RECIPIENT_KIND_LABELS,
  widenedFields,
  type DisclosableField,
  type RecipientKind,
} from './disclosureRules.std.ts';

export const RECIPIENTS_TABLE = 'disclosure_recipients';
export const RECIPIENT_VERSIONS_TABLE = 'disclosure_recipient_versions';
export const NO_SUCH_RECIPIENT = 'No such recipient.';

interface RecipientDbRow {
  id: string;
  kind: RecipientKind;
  name: string;
  allowed_fields: string;
  version: number;
  active: boolean | number;
  created_at: string;
  updated_at: string;
}

export interface RecipientVersionDbRow {
  recipient_id: string;
  version: number;
  kind: RecipientKind;
  name: string;
  allowed_fields: string;
  active: boolean | number;
  widened: boolean | number;
  dek: Buffer | null;
  reason: Buffer | null;
  changed_by: string;
  changed_at: string;
}

/** A recipient as a rule check sees one version of it. */
export interface RecipientVersionFacts {
  recipientId: string;
  version: number;
  kind: RecipientKind;
  name: string;
  allowedFields: DisclosableField[];
  active: boolean;
}

export interface SaveRecipientInput {
  id?: string | undefined;
  name: string;
  kind: RecipientKind;
  allowedFields: DisclosableField[];
  active: boolean;
  reason?: string | undefined;
}

const toRecipient = (row: RecipientDbRow): Recipient => {
  const allowedFields = JSON.parse(row.allowed_fields) as DisclosableField[];
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    allowedFields,
    version: Number(row.version),
    active: Boolean(row.active),
    widenedFields: widenedFields(row.kind, allowedFields),
    updatedAt: row.updated_at,
  };
};

/**
 * The recipient registry. Every save is a new row in the append-only versions table (the database refuses
 * changes to old ones), and a release names the version it used. A widening reason is sealed under the dek-wrap
 * domain key: it is about a company's access, not a customer, but it is free text.
 */
export class RecipientRegistry {
  private readonly cipher = new RecordCipher(RECIPIENT_VERSIONS_TABLE);

  constructor(
    private readonly ring: () => KeyRing,
    private readonly clock: Clock,
  ) {}

  async list(q: Queryable, includeInactive: boolean): Promise<Recipient[]> {
    const rows = await q<RecipientDbRow>(RECIPIENTS_TABLE)
      .modify((b) => {
        if (!includeInactive) b.where({ active: true });
      })
      .orderBy('name')
      .orderBy('id');
    return rows.map(toRecipient);
  }

  async get(q: Queryable, id: string): Promise<Recipient> {
    const row = await q<RecipientDbRow>(RECIPIENTS_TABLE).where({ id }).first();
    if (!row) throw new AppError('NOT_FOUND', NO_SUCH_RECIPIENT);
    return toRecipient(row);
  }

  /** One version as it was: what a request was filed against and a release is checked against. */
  async version(q: Queryable, recipientId: string, version: number): Promise<RecipientVersionFacts> {
    const row = await q<RecipientVersionDbRow>(RECIPIENT_VERSIONS_TABLE).where({ recipient_id: recipientId, version }).first();
    if (!row) throw new AppError('NOT_FOUND', NO_SUCH_RECIPIENT);
    return this.facts(row);
  }

  /** The current version's facts (the registry row mirrors the newest version). */
  async current(q: Queryable, recipientId: string): Promise<RecipientVersionFacts> {
    const recipient = await this.get(q, recipientId);
    return this.version(q, recipientId, recipient.version);
  }

  private facts(row: RecipientVersionDbRow): RecipientVersionFacts {
    return {
      recipientId: row.recipient_id,
      version: Number(row.version),
      kind: row.kind,
      name: row.name,
      allowedFields: JSON.parse(row.allowed_fields) as DisclosableField[],
      active: Boolean(row.active),
    };
  }

  async versions(q: Queryable, recipientId: string): Promise<(RecipientVersionFacts & { widened: boolean; reason: string | null; changedBy: string; changedAt: string })[]> {
    await this.get(q, recipientId);
    const rows = await q<RecipientVersionDbRow>(RECIPIENT_VERSIONS_TABLE).where({ recipient_id: recipientId }).orderBy('version', 'desc');
    return rows.map((row) => ({
      ...this.facts(row),
      widened: Boolean(row.widened),
      reason: row.dek && row.reason ? this.cipher.open<string>(domainWrapper(this.ring()), `${row.recipient_id}/${row.version}`, asBuffer(row.dek), 'reason', asBuffer(row.reason)) : null,
      changedBy: row.changed_by,
      changedAt: row.changed_at,
    }));
  }

  /**
   * Creates or edits a recipient (a new version). Fields beyond the kind's default need a reason, fields beyond
   * the kind's maximum are refused: a shipping company never gets a date of birth, nobody gets card data.
   */
  async save(q: Queryable, input: SaveRecipientInput, actorId: string): Promise<{ recipient: Recipient; created: boolean; widened: DisclosableField[] }> {
    const beyond = input.allowedFields.filter((f) => !MAX_RECIPIENT_FIELDS[input.kind].includes(f));
    if (beyond.length) {
      throw new AppError('INVALID_INPUT', `allowedFields: a ${RECIPIENT_KIND_LABELS[input.kind].toLowerCase()} can never receive ${beyond.join(', ')}`);
    }
    const widened = widenedFields(input.kind, input.allowedFields);
    if (widened.length && !input.reason) {
      throw new AppError('INVALID_INPUT', `reason: widening a recipient beyond its kind's default fields (${widened.join(', ')}) needs a recorded reason`);
    }
    const now = this.clock.nowIso();
    await dialectOf(q).claimWrite(q);
    let existing: RecipientDbRow | undefined;
    if (input.id) {
      existing = await dialectOf(q).forUpdate(q<RecipientDbRow>(RECIPIENTS_TABLE).where({ id: input.id })).first();
      if (!existing) throw new AppError('NOT_FOUND', NO_SUCH_RECIPIENT);
      if (existing.kind !== input.kind) throw new AppError('INVALID_INPUT', 'kind: a recipient keeps its kind; add a new recipient instead');
    }
    const id = existing?.id ?? randomUUID();
    const version = existing ? Number(existing.version) + 1 : 1;
    const sealed = input.reason ? this.cipher.sealNew(domainWrapper(this.ring()), `${id}/${version}`, { reason: input.reason }) : null;
    const allowed = JSON.stringify(input.allowedFields);
    await q(RECIPIENT_VERSIONS_TABLE).insert({
      recipient_id: id,
      version,
      kind: input.kind,
      name: input.name,
      allowed_fields: allowed,
      active: input.active,
      widened: widened.length > 0,
      dek: sealed?.dek ?? null,
      reason: sealed?.columns.reason ?? null,
      changed_by: actorId,
      changed_at: now,
    });
    const row: RecipientDbRow = { id, kind: input.kind, name: input.name, allowed_fields: allowed, version, active: input.active, created_at: existing?.created_at ?? now, updated_at: now };
    if (existing) {
      // Conditional on the version read: of two managers editing at once, the second is told to reload.
      const changed = await q(RECIPIENTS_TABLE).where({ id, version: Number(existing.version) }).update({ name: row.name, allowed_fields: allowed, version, active: row.active, updated_at: now });
      if (changed === 0) throw new AppError('CONFLICT', 'This recipient was changed meanwhile. Reload it and try again.');
    } else {
      await q(RECIPIENTS_TABLE).insert(row);
    }
    return { recipient: toRecipient(row), created: !existing, widened };
  }
}
