import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { id, line, text } from '../../platform/ipc/schemas.std.ts';
import { APPROVAL_STATUSES } from '../approvals/approvals.contract.std.ts';
import {
  DISCLOSABLE_FIELDS,
  DISCLOSURE_KINDS,
  MAX_REQUEST_CUSTOMERS,
  MAX_SCAN_BYTES,
  RECIPIENT_KINDS,
  REGISTER_ENTRY_TYPES,
  RELEASE_FORMATS,
  REQUEST_STATUSES,
  SCAN_MEDIA_TYPES,
} from './disclosureRules.std.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoDay = z.string().regex(ISO_DATE, { message: 'Use the date format YYYY-MM-DD' });
const fieldList = z
  .array(z.enum(DISCLOSABLE_FIELDS))
  .min(1, { message: 'Choose at least one field' })
  .max(DISCLOSABLE_FIELDS.length)
  .refine((fields) => new Set(fields).size === fields.length, { message: 'A field is listed twice' });

// ---- recipients ----

export const recipient = z.object({
  id,
  kind: z.enum(RECIPIENT_KINDS),
  name: z.string(),
  allowedFields: z.array(z.enum(DISCLOSABLE_FIELDS)),
  version: z.number().int(),
  active: z.boolean(),
  /** Fields beyond the kind's default set (a manager widened it, with a recorded reason). */
  widenedFields: z.array(z.enum(DISCLOSABLE_FIELDS)),
  updatedAt: z.string(),
});
export type Recipient = z.input<typeof recipient>;

export const recipientVersion = z.object({
  version: z.number().int(),
  kind: z.enum(RECIPIENT_KINDS),
  name: z.string(),
  allowedFields: z.array(z.enum(DISCLOSABLE_FIELDS)),
  active: z.boolean(),
  widened: z.boolean(),
  reason: z.string().nullable(),
  changedBy: id,
  changedByName: z.string().nullable(),
  changedAt: z.string(),
});
export type RecipientVersion = z.input<typeof recipientVersion>;

// ---- requests ----

/** The legal basis of a legal disclosure. Free text is sealed; never in audit details or logs. */
export const legalBasisInput = z
  .object({
    authority: line(200),
    /** The court order or case number. */
    reference: line(100),
    documentDate: isoDay,
    note: text(2000).optional(),
    /** The served document, base64 (PDF, PNG or JPEG; checked by its first bytes; at most 5 MB). */
    scan: z
      .object({ mediaType: z.enum(SCAN_MEDIA_TYPES), base64: z.string().max(Math.ceil((MAX_SCAN_BYTES * 4) / 3) + 4, { message: 'The scan is larger than 5 MB' }) })
      .strict()
      .optional(),
  })
  .strict()
  .refine((v) => v.note !== undefined || v.scan !== undefined, { message: 'Attach the document or write a note about it', path: ['note'] });

export const requestSummary = z.object({
  id,
  approvalId: id,
  status: z.enum(REQUEST_STATUSES),
  approvalStatus: z.enum(APPROVAL_STATUSES),
  kind: z.enum(DISCLOSURE_KINDS),
  recipientId: id,
  recipientName: z.string(),
  recipientVersion: z.number().int(),
  /** As stored: a field that is not disclosable (written into the database by hand) shows, and is refused. */
  fields: z.array(z.string()),
  customerCount: z.number().int(),
  requesterId: id,
  requesterName: z.string().nullable(),
  requestedAt: z.string(),
  deciderName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  registerEntryId: id.nullable(),
  /** Whether the caller may approve or deny it now (pending, someone else's, and they are a manager). */
  canDecide: z.boolean(),
  /** Whether the caller may release it now (approved, not yet released, and they are a manager). */
  canRelease: z.boolean(),
});
export type RequestSummary = z.input<typeof requestSummary>;

export const requestDetail = requestSummary.extend({
  purpose: z.string(),
  legal: z
    .object({ authority: z.string(), reference: z.string(), documentDate: z.string(), note: z.string().nullable(), scan: z.object({ mediaType: z.enum(SCAN_MEDIA_TYPES), bytes: z.number() }).nullable() })
    .nullable(),
  /** Masked names ("Jane D."), as the customer list shows them; at most the first 50. */
  customers: z.array(z.object({ id, displayName: z.string() })),
  decisionReason: z.string().nullable(),
});
export type RequestDetail = z.input<typeof requestDetail>;

// ---- register ----

export const registerEntry = z.object({
  seq: z.number().int(),
  id,
  type: z.enum(REGISTER_ENTRY_TYPES),
  correctsId: id.nullable(),
  requestId: id.nullable(),
  requestedBy: id.nullable(),
  requestedByName: z.string().nullable(),
  approvedBy: id.nullable(),
  approvedByName: z.string().nullable(),
  approvedAt: z.string().nullable(),
  recordedBy: id,
  recordedByName: z.string().nullable(),
  recordedAt: z.string(),
  recipientId: id.nullable(),
  recipientName: z.string().nullable(),
  recipientVersion: z.number().int().nullable(),
  kind: z.enum(DISCLOSURE_KINDS).nullable(),
  legalReference: z.string().nullable(),
  legalAuthority: z.string().nullable(),
  note: z.string().nullable(),
  fields: z.array(z.enum(DISCLOSABLE_FIELDS)),
  customerCount: z.number().int(),
  /** The customers' ids (the register holds no names); at most the first 200 in a list. */
  customerIds: z.array(id),
  fileFormat: z.enum(RELEASE_FORMATS).nullable(),
  encrypted: z.boolean(),
  fileSha256: z.string().nullable(),
  /** Ids of later entries correcting this one. */
  correctedBy: z.array(id),
});
export type RegisterEntry = z.input<typeof registerEntry>;

export const registerFilter = z
  .object({
    recipientId: id.optional(),
    kind: z.enum(DISCLOSURE_KINDS).optional(),
    from: isoDay.optional(),
    to: isoDay.optional(),
    customerId: id.optional(),
  })
  .strict();
export type RegisterFilter = z.output<typeof registerFilter>;

/** One release about one customer: what, to whom, when and why (GDPR art. 15(1)(c), art. 19). */
export const customerDisclosure = z.object({
  entryId: id,
  releasedAt: z.string(),
  recipientId: id,
  recipientName: z.string(),
  recipientVersion: z.number().int(),
  kind: z.enum(DISCLOSURE_KINDS),
  fields: z.array(z.enum(DISCLOSABLE_FIELDS)),
  /** The request's purpose; "(erased…)" when its key was shredded. */
  purpose: z.string(),
  legalReference: z.string().nullable(),
  /** Corrections recorded against the entry. */
  corrected: z.boolean(),
});
export type CustomerDisclosure = z.input<typeof customerDisclosure>;

export const recipientToTell = z.object({ recipientId: id, recipientName: z.string(), kind: z.enum(RECIPIENT_KINDS), lastReleasedAt: z.string(), fields: z.array(z.enum(DISCLOSABLE_FIELDS)) });
export type RecipientToTell = z.input<typeof recipientToTell>;

/** How fields and kinds are named to people (the access export and the recipients list word them so). */
export { DISCLOSABLE_FIELD_LABELS, DISCLOSURE_KIND_LABELS } from './disclosureRules.std.ts';

// ---- channels ----

export const disclosuresChannels = {
  /** Recipients (all, or active only) with their current allowed fields. */
  'disclosures.recipients.list': channel({
    input: z.object({ includeInactive: z.boolean().default(false) }).strict(),
    output: z.object({ recipients: z.array(recipient) }),
    access: { kind: 'permission', permission: 'disclosures.read' },
  }),
  /** Every version of one recipient, newest first: who changed what, when and why. */
  'disclosures.recipients.versions': channel({
    input: z.object({ recipientId: id }).strict(),
    output: z.object({ versions: z.array(recipientVersion) }),
    access: { kind: 'permission', permission: 'disclosures.read' },
  }),
  /**
   * Creates a recipient or edits one (a new version). Fields beyond the kind's default set are a widening: it
   * needs a reason (sealed, shown in the version history) and stays within the kind's maximum.
   */
  'disclosures.recipients.save': channel({
    input: z
      .object({
        id: id.optional(),
        name: line(200),
        kind: z.enum(RECIPIENT_KINDS),
        allowedFields: fieldList,
        active: z.boolean().default(true),
        reason: text(1000, 10).optional(),
      })
      .strict(),
    output: z.object({ recipient }),
    access: { kind: 'permission', permission: 'disclosures.recipients' },
    audit: 'disclosure.recipient_saved',
  }),
  /** Files a disclosure request for a manager's approval. */
  'disclosures.requests.create': channel({
    input: z
      .object({
        customerIds: z
          .array(id)
          .min(1, { message: 'Choose at least one customer' })
          .max(MAX_REQUEST_CUSTOMERS)
          .refine((ids) => new Set(ids).size === ids.length, { message: 'A customer is listed twice' }),
        recipientId: id,
        kind: z.enum(DISCLOSURE_KINDS),
        fields: fieldList,
        purpose: text(2000, 10),
        legal: legalBasisInput.optional(),
      })
      .strict()
      .check((ctx) => {
        if (ctx.value.kind === 'legal' && !ctx.value.legal) {
          ctx.issues.push({ code: 'custom', message: 'A legal disclosure needs its authority, reference and document date', input: undefined, path: ['legal'] });
        }
        if (ctx.value.kind !== 'legal' && ctx.value.legal) {
          ctx.issues.push({ code: 'custom', message: 'Only a legal disclosure has a legal basis', input: undefined, path: ['legal'] });
        }
      }),
    output: z.object({ request: requestSummary }),
    access: { kind: 'permission', permission: 'disclosures.request' },
    audit: 'disclosure.requested',
  }),
  /** The caller's own requests and, for managers, every request waiting for a decision or a release. */
  'disclosures.requests.list': channel({
    input: z.object({ limit: z.number().int().min(1).max(200).default(50) }).strict(),
    output: z.object({ mine: z.array(requestSummary), queue: z.array(requestSummary) }),
    access: { kind: 'permission', permission: 'disclosures.read' },
  }),
  /** One request with its purpose and legal basis (its requester, or a manager). */
  'disclosures.requests.get': channel({
    input: z.object({ id }).strict(),
    output: z.object({ request: requestDetail }),
    access: { kind: 'permission', permission: 'disclosures.read' },
    audit: 'disclosure.request_viewed',
  }),
  /** The served document of a legal request, for the manager deciding it (never for staff, never logged). */
  'disclosures.requests.scan': channel({
    input: z.object({ id }).strict(),
    output: z.object({ mediaType: z.enum(SCAN_MEDIA_TYPES), base64: z.string() }),
    access: { kind: 'permission', permission: 'disclosures.approve' },
    audit: 'disclosure.scan_viewed',
  }),
  /**
   * Releases an approved request: the rules are checked again, a file holding exactly the approved fields is
   * written where the manager chooses (optionally encrypted with a one-time passphrase shown only in this
   * reply), and the register records its SHA-256. Runs as a job with `progress` events for `taskId`.
   */
  'disclosures.release': channel({
    input: z.object({ taskId: id, requestId: id, format: z.enum(RELEASE_FORMATS), encrypt: z.boolean() }).strict(),
    output: z.object({
      entryId: id,
      fileName: z.string(),
      fileSha256: z.string(),
      rows: z.number().int(),
      /** Shown once; never stored or logged. Null when the file is not encrypted. */
      passphrase: z.string().nullable(),
    }),
    access: { kind: 'permission', permission: 'disclosures.approve' },
    reauth: true,
    audit: 'disclosure.released',
    transactional: false,
  }),
  /** The disclosure register, newest first, filtered. */
  'disclosures.register.list': channel({
    input: z.object({ filter: registerFilter.default({}), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    output: z.object({ entries: z.array(registerEntry), total: z.number().int() }),
    access: { kind: 'permission', permission: 'disclosures.register' },
    audit: 'disclosure.register_viewed',
  }),
  /** Exports the filtered register for auditors (CSV or PDF) where the caller chooses; returns its SHA-256. */
  'disclosures.register.export': channel({
    input: z.object({ filter: registerFilter.default({}), format: z.enum(['csv', 'pdf']) }).strict(),
    output: z.object({ fileName: z.string(), fileSha256: z.string(), entries: z.number().int() }),
    access: { kind: 'permission', permission: 'disclosures.register' },
    audit: 'disclosure.register_exported',
    transactional: false,
  }),
  /** Records a correction of a register entry: a new entry naming the old one, which never changes. */
  'disclosures.register.correct': channel({
    input: z.object({ entryId: id, note: text(2000, 10) }).strict(),
    output: z.object({ entry: registerEntry }),
    access: { kind: 'permission', permission: 'disclosures.approve' },
    reauth: true,
    audit: 'disclosure.register_corrected',
  }),
  /** What was released about one customer, and the recipients to tell after a correction or deletion. */
  'disclosures.forCustomer': channel({
    input: z.object({ customerId: id }).strict(),
    output: z.object({ disclosures: z.array(customerDisclosure), recipientsToTell: z.array(recipientToTell) }),
    access: { kind: 'permission', permission: 'disclosures.read' },
    audit: 'disclosure.accounting_viewed',
  }),
};
