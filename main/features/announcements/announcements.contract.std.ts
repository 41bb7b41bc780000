import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { id, line, text } from '../../platform/ipc/schemas.std.ts';
import { MARKETING_PURPOSES } from '../customers/customers.contract.std.ts';

/** Who an announcement goes to: every active client, or only customers collected under earlier versions. */
export const AUDIENCES = ['all_active', 'affected_only'] as const;
export type Audience = (typeof AUDIENCES)[number];
/** How it is sent: a batch file for the mail system, or a list for printed letters. */
export const ANNOUNCEMENT_CHANNELS = ['email_batch', 'letter_list'] as const;
export type AnnouncementChannel = (typeof ANNOUNCEMENT_CHANNELS)[number];
export const RECIPIENT_STATUSES = ['queued', 'sent', 'bounced', 'acknowledged'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];
/** preparing: a job is listing the recipients; ready: the list is complete. */
export const ANNOUNCEMENT_STATES = ['preparing', 'ready'] as const;

export const MAX_RESULTS_CSV_CHARS = 20 * 1024 * 1024;
/** Problems listed back from a results import; the rest are counted. */
export const MAX_RESULT_PROBLEMS = 200;

export const announcementView = z.object({
  id,
  policyVersionId: id,
  policyVersion: z.number().int(),
  title: z.string(),
  summary: z.string(),
  audience: z.enum(AUDIENCES),
  channel: z.enum(ANNOUNCEMENT_CHANNELS),
  status: z.enum(ANNOUNCEMENT_STATES),
  recipientCount: z.number().int(),
  /** Recipients per status. */
  counts: z.object({ queued: z.number(), sent: z.number(), bounced: z.number(), acknowledged: z.number() }),
  createdBy: id.nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});
export type AnnouncementView = z.input<typeof announcementView>;

export const recipientView = z.object({
  customerId: id,
  /** Masked, as the customer list shows it ("Jane D."); "(erased)" once the customer's records are erased. */
  displayName: z.string(),
  status: z.enum(RECIPIENT_STATUSES),
  statusAt: z.string(),
});

export const resultProblem = z.object({
  /** Line in the file (1 = header). */
  line: z.number().int(),
  problem: z.string(),
});

const exportResult = z.object({ saved: z.boolean(), fileName: z.string().nullable(), rows: z.number().int() });

export const announcementsChannels = {
  'announcements.list': channel({
    input: z.object({}).strict(),
    output: z.object({ announcements: z.array(announcementView) }),
    access: { kind: 'permission', permission: 'announcements.read' },
  }),
  /** How many customers each audience would reach for a published version, before anything is created. */
  'announcements.audienceCounts': channel({
    input: z.object({ policyVersionId: id }).strict(),
    output: z.object({ allActive: z.number().int(), affectedOnly: z.number().int(), earlierVersions: z.array(z.string()) }),
    access: { kind: 'permission', permission: 'announcements.read' },
  }),
  /**
   * Creates the one announcement of a published version and lists its recipients in a job (batches, progress
   * events for `taskId`, resumed after a restart). Minors (quarantined), closed and erased customers are never on it.
   */
  'announcements.create': channel({
    input: z
      .object({
        taskId: id,
        policyVersionId: id,
        title: line(200),
        summary: text(4000),
        audience: z.enum(AUDIENCES),
        channel: z.enum(ANNOUNCEMENT_CHANNELS),
      })
      .strict(),
    output: z.object({ announcement: announcementView }),
    access: { kind: 'permission', permission: 'announcements.manage' },
    audit: 'announcement.created',
    transactional: false,
  }),
  'announcements.recipients': channel({
    input: z
      .object({
        announcementId: id,
        status: z.enum(RECIPIENT_STATUSES).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    output: z.object({ recipients: z.array(recipientView), total: z.number().int() }),
    access: { kind: 'permission', permission: 'announcements.read' },
  }),
  /**
   * Writes the mailing list (email batch or letter list) as CSV where the user chooses, in a job with progress.
   * Addresses are opened only into that file; customers no longer reachable are left out.
   */
  'announcements.exportMailingList': channel({
    input: z.object({ announcementId: id, taskId: id }).strict(),
    output: exportResult,
    access: { kind: 'permission', permission: 'announcements.manage' },
    audit: 'announcement.mailing_list_exported',
    transactional: false,
  }),
  /**
   * The mail system's results (recipient_id, status): valid rows update their recipients; unknown or malformed
   * rows are reported by line (never by value) and change nothing.
   */
  'announcements.importResults': channel({
    input: z
      .object({
        announcementId: id,
        csv: z.string().min(1, { message: 'The file is empty' }).max(MAX_RESULTS_CSV_CHARS, { message: 'The file is larger than 20 MB' }),
      })
      .strict(),
    output: z.object({
      rows: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      problemRows: z.number().int(),
      problems: z.array(resultProblem),
      problemsTruncated: z.boolean(),
    }),
    access: { kind: 'permission', permission: 'announcements.manage' },
    audit: 'announcement.results_imported',
  }),
  /** A customer acknowledged the announcement (by phone, letter, at the counter). */
  'announcements.acknowledge': channel({
    input: z.object({ announcementId: id, customerId: id }).strict(),
    output: z.object({ recipient: recipientView }),
    access: { kind: 'permission', permission: 'announcements.acknowledge' },
    audit: 'announcement.acknowledged',
  }),
  /** Per marketing purpose: how many active adult customers currently consent (shown before any export). */
  'audiences.counts': channel({
    input: z.object({}).strict(),
    output: z.object({ counts: z.array(z.object({ purpose: z.enum(MARKETING_PURPOSES), count: z.number().int() })) }),
    access: { kind: 'permission', permission: 'audiences.export' },
  }),
  /** Writes a marketing audience as CSV where the user chooses; audited with the purpose and the row count. */
  'audiences.export': channel({
    input: z.object({ purpose: z.enum(MARKETING_PURPOSES), taskId: id }).strict(),
    output: exportResult,
    access: { kind: 'permission', permission: 'audiences.export' },
    audit: 'audience.exported',
    transactional: false,
  }),
};
