import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { empty, id, text } from '../../platform/ipc/schemas.std.ts';

/** A calendar date (YYYY-MM-DD) that exists. */
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Use the date format YYYY-MM-DD' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { message: 'Not a real calendar date' });

// ---- vocabulary ----

/** What the customer asked for (policy: "iTechno shall correct, update, or delete users' personally identifiable information"). */
export const REQUEST_TYPES = ['access', 'correction', 'deletion'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
export const REQUEST_TYPE_LABELS: Record<RequestType, string> = {
  access: 'Access',
  correction: 'Correction',
  deletion: 'Deletion',
};

/** How the request reached iTechno. */
export const REQUEST_CHANNELS = ['email', 'phone', 'letter', 'in_person', 'web_form'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];
export const REQUEST_CHANNEL_LABELS: Record<RequestChannel, string> = {
  email: 'Email',
  phone: 'Phone',
  letter: 'Letter',
  in_person: 'In person',
  web_form: 'Web form',
};

export const REQUEST_STATUSES = ['open', 'in_progress', 'extended', 'completed', 'refused'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const CLOSED_STATUSES: readonly RequestStatus[] = ['completed', 'refused'];
export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  extended: 'Extended',
  completed: 'Completed',
  refused: 'Refused',
};

export const URGENCIES = ['overdue', 'due_this_week', 'later', 'closed'] as const;

/** An extension moves the due date by at most this many days, once. */
export const MAX_EXTENSION_DAYS = 60;

export const EXPORT_FORMATS = ['json', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

// ---- views ----

export const subjectRequestView = z.object({
  id,
  customerId: id,
  /** The masked list name ("Jane D."), for roles that may read customer records; null otherwise or once erased. */
  customerName: z.string().nullable(),
  /** False once the customer's records were deleted: the entry stays as evidence under an opaque id. */
  customerPresent: z.boolean(),
  /** A minor's record set apart for deletion: never named, never exported. */
  customerQuarantined: z.boolean(),
  type: z.enum(REQUEST_TYPES),
  channel: z.enum(REQUEST_CHANNELS),
  receivedOn: z.string(),
  originalDueOn: z.string(),
  /** The due date in force: the original one, or the extended one. */
  dueOn: z.string(),
  status: z.enum(REQUEST_STATUSES),
  urgency: z.enum(URGENCIES),
  /** Days until the due date (negative: days overdue); null once closed. */
  daysLeft: z.number().nullable(),
  createdBy: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  extendedAt: z.string().nullable(),
  extendedByName: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedByName: z.string().nullable(),
  closedVia: z.enum(['staff', 'approval']).nullable(),
  /** Free text is shown only to roles that may read customer records; `hasExtensionReason` says one exists. */
  extensionReason: z.string().nullable(),
  refusalReason: z.string().nullable(),
  hasExtensionReason: z.boolean(),
  hasRefusalReason: z.boolean(),
  linkedApprovalId: z.string().nullable(),
  linkedCorrectionId: z.string().nullable(),
  linkedExportId: z.string().nullable(),
  exportedAt: z.string().nullable(),
});
export type SubjectRequestView = z.infer<typeof subjectRequestView>;

export const recipientView = z.object({
  recipient: z.string(),
  /** What was disclosed (categories), as the register words it. */
  categories: z.array(z.string()),
  disclosedAt: z.string(),
});
export type RecipientView = z.infer<typeof recipientView>;

// ---- channels ----

const requestId = id;
const reason = text(1000, 10);

export const subjectRequestsChannels = {
  /** The tracker: open requests by due date (or closed ones, newest first), optionally for one customer. */
  'subjectRequests.list': channel({
    input: z
      .object({
        state: z.enum(['open', 'closed']).default('open'),
        customerId: id.optional(),
        limit: z.number().int().min(1).max(500).default(200),
      })
      .strict(),
    output: z.object({ requests: z.array(subjectRequestView), total: z.number(), today: z.string() }),
    access: { kind: 'permission', permission: 'requests.read' },
  }),
  /** The home card: open requests overdue, and due within seven days. */
  'subjectRequests.summary': channel({
    input: empty,
    output: z.object({
      today: z.string(),
      overdue: z.array(subjectRequestView),
      dueThisWeek: z.array(subjectRequestView),
      openCount: z.number(),
    }),
    access: { kind: 'permission', permission: 'requests.read' },
  }),
  /** Logs a request as received. Due date = received date + the office's deadline (days). */
  'subjectRequests.open': channel({
    input: z
      .object({ customerId: id, type: z.enum(REQUEST_TYPES), channel: z.enum(REQUEST_CHANNELS), receivedOn: calendarDate })
      .strict(),
    output: z.object({ request: subjectRequestView }),
    access: { kind: 'permission', permission: 'requests.file' },
    audit: 'subject_request.opened',
  }),
  /** Someone is working on it. */
  'subjectRequests.start': channel({
    input: z.object({ requestId }).strict(),
    output: z.object({ request: subjectRequestView }),
    access: { kind: 'permission', permission: 'requests.file' },
    audit: 'subject_request.started',
  }),
  /** The one extension a request may get: a new due date and the reason the customer is told. */
  'subjectRequests.extend': channel({
    input: z.object({ requestId, extensionDays: z.number().int().min(1).max(MAX_EXTENSION_DAYS), reason }).strict(),
    output: z.object({ request: subjectRequestView }),
    access: { kind: 'permission', permission: 'requests.decide' },
    audit: 'subject_request.extended',
  }),
  /**
   * Done. An access request needs an export made for it; a correction may name the correction that answered it;
   * a deletion request is closed by its deletion approval, not by hand.
   */
  'subjectRequests.complete': channel({
    input: z.object({ requestId, correctionId: id.optional() }).strict(),
    output: z.object({ request: subjectRequestView }),
    access: { kind: 'permission', permission: 'requests.file' },
    audit: 'subject_request.completed',
  }),
  /** Refused, with the reason the customer is told (a manager's decision). */
  'subjectRequests.refuse': channel({
    input: z.object({ requestId, reason }).strict(),
    output: z.object({ request: subjectRequestView }),
    access: { kind: 'permission', permission: 'requests.decide' },
    audit: 'subject_request.refused',
  }),
  /**
   * Everything held about one customer, as JSON or a readable PDF, written where the user chooses (a save dialog).
   * Runs outside a transaction so the dialog holds no lock; the file is written and the export recorded in one
   * transaction afterwards. Refused for a quarantined (minor's) record.
   */
  'subjectRequests.exportAccess': channel({
    input: z.object({ customerId: id, format: z.enum(EXPORT_FORMATS), requestId: id.optional() }).strict(),
    output: z.object({ saved: z.boolean(), fileName: z.string().nullable(), exportId: id.nullable() }),
    access: { kind: 'permission', permission: 'requests.export' },
    reauth: true,
    audit: 'subject_request.access_exported',
    transactional: false,
  }),
  /** After a correction or deletion: who received this customer's data and must be told. */
  'subjectRequests.recipients': channel({
    input: z.object({ customerId: id }).strict(),
    output: z.object({ note: z.string().nullable(), recipients: z.array(recipientView) }),
    access: { kind: 'permission', permission: 'requests.read' },
  }),
};
