import type { Queryable } from '../../platform/store/database.node.ts';
import type { PolicyStatus } from './policy.contract.std.ts';

export const POLICY_VERSIONS_TABLE = 'policy_versions';

/** One stored version. The text is the company's public policy, so it is clear text; no PII lives here. */
export interface PolicyVersionRecord {
  id: string;
  version: number;
  status: PolicyStatus;
  title: string;
  body: string;
  revision: number;
  changeSummary: string | null;
  material: boolean | null;
  createdBy: string | null;
  createdAt: string;
  updatedBy: string | null;
  updatedAt: string;
  approvalId: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
  effectiveDate: string | null;
  archivedAt: string | null;
}
export type PolicyVersionHeader = Omit<PolicyVersionRecord, 'body'>;

/** A conditional change: applied only while the row still has `from` status (and `revision`, when given). */
export interface PolicyTransition {
  id: string;
  from: readonly PolicyStatus[];
  revision?: number;
  set: Partial<Omit<PolicyVersionRecord, 'id' | 'version' | 'createdBy' | 'createdAt'>>;
}

/** Where policy versions are kept. The SQL implementation below; tests may wrap it. */
export interface PolicyVersions {
  list(q: Queryable): Promise<PolicyVersionHeader[]>;
  get(q: Queryable, id: string): Promise<PolicyVersionRecord | null>;
  /** The newest published (or archived-after-publication) version in effect on `day` (YYYY-MM-DD). */
  inForceOn(q: Queryable, day: string): Promise<PolicyVersionHeader | null>;
  latestPublished(q: Queryable): Promise<PolicyVersionRecord | null>;
  /** Versions still open for editing or review (at most one by the service's rule). */
  openDrafts(q: Queryable): Promise<PolicyVersionHeader[]>;
  nextVersionNumber(q: Queryable): Promise<number>;
  insert(q: Queryable, record: PolicyVersionRecord): Promise<void>;
  /** True when the row changed; false when it was no longer in a `from` state or at `revision`. */
  transition(q: Queryable, change: PolicyTransition): Promise<boolean>;
  /** Version labels (as stored on customers, orders, consents) of every published version before `version`. */
  labelsBefore(q: Queryable, version: number): Promise<string[]>;
}

/** The label records carry for a version: its number. */
export const versionLabel = (version: number): string => String(version);

interface PolicyVersionDbRow {
  id: string;
  version: number;
  status: PolicyStatus;
  title: string;
  body: string;
  revision: number;
  change_summary: string | null;
  material: boolean | number | null;
  created_by: string | null;
  created_at: string;
  updated_by: string | null;
  updated_at: string;
  approval_id: string | null;
  published_by: string | null;
  published_at: string | null;
  effective_at: string | null;
  archived_at: string | null;
}

type HeaderDbRow = Omit<PolicyVersionDbRow, 'body'>;
const HEADER_COLUMNS: string[] = [
  'id',
  'version',
  'status',
  'title',
  'revision',
  'change_summary',
  'material',
  'created_by',
  'created_at',
  'updated_by',
  'updated_at',
  'approval_id',
  'published_by',
  'published_at',
  'effective_at',
  'archived_at',
];

function fromDb(row: PolicyVersionDbRow): PolicyVersionRecord;
function fromDb(row: HeaderDbRow): PolicyVersionHeader;
function fromDb(row: HeaderDbRow & { body?: string }): PolicyVersionHeader & { body?: string } {
  const header: PolicyVersionHeader = {
    id: row.id,
    version: Number(row.version),
    status: row.status,
    title: row.title,
    revision: Number(row.revision),
    changeSummary: row.change_summary,
    material: row.material === null ? null : Boolean(row.material),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
    approvalId: row.approval_id,
    publishedBy: row.published_by,
    publishedAt: row.published_at,
    effectiveDate: row.effective_at,
    archivedAt: row.archived_at,
  };
  return row.body === undefined ? header : { ...header, body: row.body };
}

const COLUMN_OF: Record<keyof PolicyTransition['set'], keyof PolicyVersionDbRow> = {
  status: 'status',
  title: 'title',
  body: 'body',
  revision: 'revision',
  changeSummary: 'change_summary',
  material: 'material',
  updatedBy: 'updated_by',
  updatedAt: 'updated_at',
  approvalId: 'approval_id',
  publishedBy: 'published_by',
  publishedAt: 'published_at',
  effectiveDate: 'effective_at',
  archivedAt: 'archived_at',
};

/** Statuses of versions that were published at some point. */
const PUBLISHED_ONCE: readonly PolicyStatus[] = ['published', 'archived'];

export class SqlPolicyVersions implements PolicyVersions {
  async list(q: Queryable): Promise<PolicyVersionHeader[]> {
    const rows = await q(POLICY_VERSIONS_TABLE).select<HeaderDbRow[]>(HEADER_COLUMNS).orderBy('version', 'desc');
    return rows.map((r) => fromDb(r));
  }

  async get(q: Queryable, id: string): Promise<PolicyVersionRecord | null> {
    const row = await q<PolicyVersionDbRow>(POLICY_VERSIONS_TABLE).where({ id }).first();
    return row ? fromDb(row) : null;
  }

  /**
   * The newest published version effective on `day`. Before the first one's recorded date its text still applies:
   * version 1 is the policy the company had before the console recorded versions (the migration dates it the day
   * it ran, not the day the company adopted it).
   */
  async inForceOn(q: Queryable, day: string): Promise<PolicyVersionHeader | null> {
    const published = () => q(POLICY_VERSIONS_TABLE).whereIn('status', PUBLISHED_ONCE).whereNotNull('published_at');
    const row =
      (await published().where('effective_at', '<=', day).orderBy('version', 'desc').first<HeaderDbRow | undefined>(HEADER_COLUMNS)) ??
      (await published().orderBy('version').first<HeaderDbRow | undefined>(HEADER_COLUMNS));
    return row ? fromDb(row) : null;
  }

  async latestPublished(q: Queryable): Promise<PolicyVersionRecord | null> {
    const row = await q<PolicyVersionDbRow>(POLICY_VERSIONS_TABLE).where({ status: 'published' }).orderBy('version', 'desc').first();
    return row ? fromDb(row) : null;
  }

  async openDrafts(q: Queryable): Promise<PolicyVersionHeader[]> {
    const rows = await q(POLICY_VERSIONS_TABLE).whereIn('status', ['draft', 'in_review']).select<HeaderDbRow[]>(HEADER_COLUMNS);
    return rows.map((r) => fromDb(r));
  }

  async nextVersionNumber(q: Queryable): Promise<number> {
    const row = await q(POLICY_VERSIONS_TABLE).max<{ v: number | null }>('version as v').first();
    return Number(row?.v ?? 0) + 1;
  }

  async insert(q: Queryable, r: PolicyVersionRecord): Promise<void> {
    await q(POLICY_VERSIONS_TABLE).insert({
      id: r.id,
      version: r.version,
      status: r.status,
      title: r.title,
      body: r.body,
      revision: r.revision,
      change_summary: r.changeSummary,
      material: r.material,
      created_by: r.createdBy,
      created_at: r.createdAt,
      updated_by: r.updatedBy,
      updated_at: r.updatedAt,
      approval_id: r.approvalId,
      published_by: r.publishedBy,
      published_at: r.publishedAt,
      effective_at: r.effectiveDate,
      archived_at: r.archivedAt,
    } satisfies PolicyVersionDbRow);
  }

  async transition(q: Queryable, change: PolicyTransition): Promise<boolean> {
    const update: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(change.set)) update[COLUMN_OF[key as keyof PolicyTransition['set']]] = value;
    const changed = await q(POLICY_VERSIONS_TABLE)
      .where({ id: change.id })
      .whereIn('status', change.from)
      .modify((b) => {
        if (change.revision !== undefined) b.where({ revision: change.revision });
      })
      .update(update);
    return changed > 0;
  }

  async labelsBefore(q: Queryable, version: number): Promise<string[]> {
    const rows = await q<PolicyVersionDbRow>(POLICY_VERSIONS_TABLE).whereIn('status', PUBLISHED_ONCE).where('version', '<', version).select('version');
    return rows.map((r) => versionLabel(Number(r.version)));
  }
}
