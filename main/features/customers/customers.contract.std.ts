import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { id, ok, text } from '../../platform/ipc/schemas.std.ts';
import { ADDRESS_FIELDS, addressShape } from '../../shared/address.std.ts';
import { NO_CARD_SECURITY_CODE } from '../../shared/cardSecurityCode.std.ts';
import { orderView } from '../orders/orders.contract.std.ts';
import { CONSENT_CHANNELS, CONSENT_PURPOSES, IMPORTABLE_CONSENTS, STAFF_CONSENT_CHANNELS } from './consents.std.ts';
import {
  CUSTOMER_KINDS,
  CUSTOMER_STATUSES,
  customerDetailsShape,
  QUARANTINE_REASONS,
  emailAddress,
  isoDate,
  organisationIssues,
  organisationName,
  personName,
  phoneNumber,
} from './customerFields.std.ts';
import { RECORD_FIELDS, RECORD_PURPOSES } from './needToKnow.std.ts';

/** Why a record was set apart as a minor's (the minors feature reports on these). */
export { QUARANTINE_REASONS, type QuarantineReason } from './customerFields.std.ts';

// ---- shared views ----

/** A list / search row: the minimum needed to pick the right record. The name is masked ("Jane D."). */
export const customerRow = z.object({
  id,
  displayName: z.string(),
  city: z.string(),
  status: z.enum(CUSTOMER_STATUSES),
  kind: z.enum(CUSTOMER_KINDS),
  createdAt: z.string(),
});
export type CustomerRow = z.input<typeof customerRow>;

/** The customer list's orders, by creation time (ties by id in the same direction). */
export const CUSTOMER_LIST_ORDERS = ['newest', 'oldest'] as const;
export type CustomerListOrder = (typeof CUSTOMER_LIST_ORDERS)[number];

export const consentState = z.object({
  purpose: z.enum(CONSENT_PURPOSES),
  granted: z.boolean(),
  /** How the latest grant or withdrawal reached iTechno; null when never given (the default is "no"). */
  channel: z.enum(CONSENT_CHANNELS).nullable(),
  changedAt: z.string().nullable(),
  /** The policy version shown when the latest grant or withdrawal was recorded; null when never given. */
  policyVersion: z.string().nullable(),
});
export const consentEvent = z.object({
  purpose: z.enum(CONSENT_PURPOSES),
  granted: z.boolean(),
  channel: z.enum(CONSENT_CHANNELS),
  at: z.string(),
  /** The policy version in force (shown to the customer) when this change was recorded. */
  policyVersion: z.string().nullable(),
  /** The staff account that recorded the change; null for changes no account made. */
  recordedBy: z.string().nullable(),
  /** That account's display name, resolved when read (never stored with the event); null with no account. */
  actorName: z.string().nullable(),
});

const addressView = z.object({ street: z.string(), city: z.string(), region: z.string().nullable(), postalCode: z.string(), country: z.string() });

/**
 * An opened record. Only the groups the purpose and role need are present (see needToKnow.std.ts);
 * `fields` lists them so the renderer can say what is withheld and why.
 */
export const customerRecord = z.object({
  id,
  purpose: z.enum(RECORD_PURPOSES),
  fields: z.array(z.enum(RECORD_FIELDS)),
  kind: z.enum(CUSTOMER_KINDS),
  status: z.enum(CUSTOMER_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Counts corrections of the personal data; a correction sends it back as `expectedVersion`. */
  version: z.number().int(),
  policyVersion: z.string(),
  orderCount: z.number(),
  name: z.object({ givenName: z.string(), familyName: z.string(), organisationName: z.string().nullable() }).optional(),
  dateOfBirth: z.string().nullable().optional(),
  email: z.string().optional(),
  phone: z.string().nullable().optional(),
  shippingAddress: addressView.optional(),
  orders: z.array(orderView).optional(),
  consents: z.array(consentState).optional(),
  consentHistory: z.array(consentEvent).optional(),
  /** Break-glass only: the review this opening was queued for. */
  breakGlassReviewId: id.optional(),
  /** Set apart as a minor's record, waiting for its deletion: why and since when. */
  quarantine: z.object({ reason: z.enum(QUARANTINE_REASONS), since: z.string() }).nullable(),
});
export type CustomerRecord = z.input<typeof customerRecord>;

/** Flattened names of correctable fields, as used in correction history and audit events. */
export const CORRECTABLE_FIELDS = [
  'givenName',
  'familyName',
  'organisationName',
  'email',
  'phone',
  'dateOfBirth',
  ...ADDRESS_FIELDS.map((f) => `shippingAddress.${f}` as const),
] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

export const CORRECTION_SOURCES = ['customer_request', 'staff_found_error'] as const;

export const correctionEntry = z.object({
  id,
  at: z.string(),
  actorId: z.string().nullable(),
  /** The display name of the staff member who corrected, resolved when read (never stored with the correction). */
  actorName: z.string().nullable(),
  source: z.enum(CORRECTION_SOURCES),
  reason: z.string(),
  fields: z.array(z.enum(CORRECTABLE_FIELDS)),
  before: z.record(z.string(), z.string().nullable()),
  after: z.record(z.string(), z.string().nullable()),
});

// ---- import ----

/** Customer fields a CSV column can be mapped to. */
export const IMPORT_FIELDS = [
  'kind',
  'givenName',
  'familyName',
  'organisationName',
  'email',
  'phone',
  'street',
  'city',
  'region',
  'postalCode',
  'country',
  'dateOfBirth',
  ...IMPORTABLE_CONSENTS,
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const REQUIRED_IMPORT_FIELDS = ['givenName', 'familyName', 'email', 'street', 'city', 'postalCode', 'country'] as const satisfies readonly ImportField[];

/** About 20 MB of CSV text. */
export const MAX_IMPORT_CSV_CHARS = 20 * 1024 * 1024;
/** At most this many problems are listed; `rejectedRows` always has the full count. */
export const MAX_IMPORT_PROBLEMS = 1000;

/** The CSV itself: cells are validated row by row (control characters included), so one bad cell rejects one row. */
const csvText = z.string().min(1, { message: 'The file is empty' }).max(MAX_IMPORT_CSV_CHARS, { message: 'The file is larger than 20 MB' });
const columnName = z.string().max(200);

export const importProblem = z.object({
  /** The row as a spreadsheet shows it: the header is row 1, the first customer row 2. */
  row: z.number(),
  field: z.string(),
  /** The rule broken. Never the value. */
  problem: z.string(),
});

const importMapping = z
  .object(Object.fromEntries(IMPORT_FIELDS.map((f) => [f, columnName.optional()])) as Record<ImportField, z.ZodOptional<typeof columnName>>)
  .strict();

// ---- channels ----

const customerId = id;
const purposeJustification = text(2000, 20);

export const customersChannels = {
  /** Exact match on one blind-indexed field. Returns minimal masked rows (at most 50). */
  'customers.search': channel({
    input: z.object({ by: z.enum(['email', 'phone', 'postalCode', 'familyName']), value: text(254) }).strict(),
    output: z.object({ rows: z.array(customerRow), truncated: z.boolean() }),
    access: { kind: 'permission', permission: 'customers.read' },
    audit: 'customer.search',
    readsOnly: true,
  }),
  /**
   * A page of minimal masked rows, newest first (or `order: 'oldest'`: by creation time, the only clear column
   * worth sorting — names and cities are encrypted). `after` (the id and createdAt of the last row of the page
   * before, in the same order) pages by key, which costs the same at any depth; without it `offset` is a position
   * from the top (jump to row). With `after`, `offset` counts from that row.
   */
  'customers.list': channel({
    input: z
      .object({
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(200).default(50),
        status: z.enum(CUSTOMER_STATUSES).optional(),
        order: z.enum(CUSTOMER_LIST_ORDERS).default('newest'),
        after: z.object({ createdAt: z.string().min(1).max(40), id: customerId }).strict().optional(),
      })
      .strict(),
    output: z.object({ rows: z.array(customerRow), total: z.number(), offset: z.number(), limit: z.number() }),
    access: { kind: 'permission', permission: 'customers.read' },
    audit: 'customer.list',
    readsOnly: true,
  }),
  /**
   * Opens a record for a stated purpose; the reply holds only what the purpose and role need. Every opening
   * is audited as `record.view`. `break_glass` needs a written justification and is queued for manager review.
   */
  'customers.open': channel({
    input: z
      .object({ customerId, purpose: z.enum(RECORD_PURPOSES), justification: purposeJustification.optional() })
      .strict()
      .check((ctx) => {
        const { purpose, justification } = ctx.value;
        if (purpose === 'break_glass' && !justification) {
          ctx.issues.push({ code: 'custom', message: 'Break-glass access needs a written justification (at least 20 characters)', input: undefined, path: ['justification'] });
        }
        if (purpose !== 'break_glass' && justification !== undefined) {
          ctx.issues.push({ code: 'custom', message: 'A justification is only given for break-glass access', input: undefined, path: ['justification'] });
        }
      }),
    output: customerRecord,
    access: { kind: 'permission', permission: 'customers.read' },
    audit: 'record.view',
    readsOnly: true,
  }),
  /** Staff data entry. Marketing consents default to "no"; a grant needs the channel it came through. */
  'customers.create': channel({
    input: z
      .object({
        ...customerDetailsShape,
        consents: z.object(Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, z.boolean().optional()])) as Record<(typeof CONSENT_PURPOSES)[number], z.ZodOptional<z.ZodBoolean>>).strict().optional(),
        consentChannel: z.enum(STAFF_CONSENT_CHANNELS).optional(),
        ...NO_CARD_SECURITY_CODE,
      })
      .strict()
      .check((ctx) => {
        organisationIssues(ctx.value, ctx.issues);
        const granted = Object.values(ctx.value.consents ?? {}).some(Boolean);
        if (granted && !ctx.value.consentChannel) {
          ctx.issues.push({ code: 'custom', message: 'Say how the consent was given', input: undefined, path: ['consentChannel'] });
        }
      }),
    output: z.object({ customer: customerRow }),
    access: { kind: 'permission', permission: 'customers.write' },
    audit: 'customer.created',
  }),
  /** Corrects personal data with a reason and source; before/after values are kept encrypted. */
  'customers.correct': channel({
    input: z
      .object({
        customerId,
        changes: z
          .object({
            givenName: personName.optional(),
            familyName: personName.optional(),
            organisationName: organisationName.nullable().optional(),
            email: emailAddress.optional(),
            phone: phoneNumber.nullable().optional(),
            shippingAddress: z.object({ ...addressShape, region: addressShape.region.unwrap().nullable() }).partial().strict().optional(),
            dateOfBirth: isoDate.nullable().optional(),
          })
          .strict(),
        reason: text(1000),
        source: z.enum(CORRECTION_SOURCES),
        /** The record's `version` the editor saw: a record changed since is refused (CONFLICT naming the fields). */
        expectedVersion: z.number().int().min(1).max(2_147_483_647).optional(),
      })
      .strict(),
    output: z.object({
      correctionId: id,
      fields: z.array(z.enum(CORRECTABLE_FIELDS)),
      customer: customerRow,
      /** The corrected date of birth is a minor's: the record was quarantined and its deletion requested. */
      minorFound: z.boolean(),
    }),
    access: { kind: 'permission', permission: 'customers.correct' },
    audit: 'customer.corrected',
  }),
  /** The correction history of one record (purpose: correction). */
  'customers.corrections': channel({
    input: z.object({ customerId }).strict(),
    output: z.object({ corrections: z.array(correctionEntry) }),
    access: { kind: 'permission', permission: 'customers.correct' },
    audit: 'record.view',
    readsOnly: true,
  }),
  /** Records a marketing / third-party-sharing consent being given or withdrawn; history is kept. */
  'customers.setConsent': channel({
    input: z
      .object({ customerId, purpose: z.enum(CONSENT_PURPOSES), granted: z.boolean(), channel: z.enum(STAFF_CONSENT_CHANNELS) })
      .strict(),
    output: z.object({ consent: consentState }),
    access: { kind: 'permission', permission: 'customers.write' },
    audit: 'consent.changed',
  }),
  /** Closes (customer no longer uses the service) or reopens a record. Who and when are in the audit log. */
  'customers.setStatus': channel({
    input: z.object({ customerId, status: z.enum(CUSTOMER_STATUSES) }).strict(),
    output: z.object({ customer: customerRow }),
    access: { kind: 'permission', permission: 'customers.write' },
    audit: 'customer.status_changed',
  }),
  /**
   * Reads the header of a CSV: column names, a suggested mapping and the row count. No values come back.
   * Not transactional: it never writes, and parsing in slices must not hold the store meanwhile.
   */
  'customers.importPreview': channel({
    input: z.object({ csv: csvText }).strict(),
    output: z.object({
      columns: z.array(z.string()),
      rowCount: z.number(),
      suggestedMapping: z.record(z.string(), z.string()),
      requiredFields: z.array(z.string()),
      fields: z.array(z.string()),
      /** Columns that look like card data or security codes: they can never be mapped or imported. */
      refusedColumns: z.array(z.string()),
    }),
    access: { kind: 'permission', permission: 'customers.import' },
    transactional: false,
  }),
  /**
   * Validates every row, then a job writes all valid rows — or none, if cancelled, failed, killed or
   * `requireAllValid` and any row is rejected: rows are staged in batches (each its own transaction, so other
   * calls interleave) and published in one final transaction with this call's audit event. Sends `progress`
   * events for `taskId` (chosen by the caller so it can cancel before the reply arrives). `dryRun` validates
   * without writing.
   */
  'customers.importRun': channel({
    input: z
      .object({
        taskId: id,
        csv: csvText,
        mapping: importMapping,
        dryRun: z.boolean().default(false),
        requireAllValid: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      taskId: id,
      totalRows: z.number(),
      validRows: z.number(),
      imported: z.number(),
      rejectedRows: z.number(),
      rejected: z.array(importProblem),
      problemsTruncated: z.boolean(),
      dryRun: z.boolean(),
    }),
    access: { kind: 'permission', permission: 'customers.import' },
    audit: 'customer.import',
    transactional: false,
  }),
  /** Cancels a running import of the caller's: it stops and rolls back, nothing is kept. Needs no database. */
  'customers.importCancel': channel({
    input: z.object({ taskId: id }).strict(),
    output: ok,
    access: { kind: 'permission', permission: 'customers.import' },
    transactional: false,
  }),
};

/** The purposes the policy names, their legal bases, and the marketing ones an audience may be exported for. */
export { LEGAL_BASES, LEGAL_BASIS_LABELS, MARKETING_PURPOSES, PROCESSING_PURPOSES, PURPOSES, type MarketingPurpose } from './purposes.std.ts';
