import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';

/**
 * Tasks (issue #13): the jobs behind long work (imports, releases, exports, retention batches, key moves, and
 * rotations or backups to come), listed for the task indicator and the Tasks page. A job row holds no PII.
 */
export const TASK_STATES = ['queued', 'running', 'rolling_back', 'succeeded', 'failed', 'cancelled', 'rolled_back'] as const;

/** Names shown for the job kinds known today; a kind added later shows its own name until it gets one here. */
export const JOB_KIND_LABELS: Readonly<Record<string, string>> = {
  'customers.import': 'Customer import',
  'disclosures.release': 'Disclosure release',
  'announcements.recipients': 'Announcement recipients',
  'outreach.csv_export': 'Mailing list export',
  'retention-batch': 'Retention deletion batch',
  'customer-keys': 'Customers moving to their own keys',
  'key-rotation.dek-wrap': 'Customer keys moving to a new wrapping key',
  'key-rotation.blind-index': 'Search index moving to a new key',
};

export const taskView = z.object({
  id: z.string(),
  kind: z.string(),
  label: z.string(),
  state: z.enum(TASK_STATES),
  done: z.number(),
  total: z.number().nullable(),
  errorCode: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Started by the caller (others' jobs are listed to IT only, without who started them). */
  mine: z.boolean(),
});
export type TaskView = z.input<typeof taskView>;

export const tasksChannels = {
  /**
   * The caller's own jobs, newest first; IT administrators (`jobs.monitor`) see every job of the office. Counts and
   * states only: never what a job works on.
   */
  'tasks.list': channel({
    input: z.object({ limit: z.number().int().min(1).max(200).default(50) }).strict(),
    output: z.object({ tasks: z.array(taskView), allJobs: z.boolean() }),
    access: { kind: 'session' },
    readsOnly: true,
    passive: true,
  }),
};
