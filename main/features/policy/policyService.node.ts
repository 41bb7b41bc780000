import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.std.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { id as idSchema } from '../../platform/ipc/schemas.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import type { ApprovalKind, ApprovalService } from '../approvals/approvals.port.node.ts';
import { dayOf, effectiveDateProblem, noticeDaysRemaining } from './noticePeriod.std.ts';
import type { PolicyStatus } from './policy.contract.std.ts';
import type { PolicyVersionHeader, PolicyVersionRecord, PolicyVersions } from './policyVersions.node.ts';

export const POLICY_PUBLISH_KIND = 'policy.publish';
/** A publication request stays open for a fortnight: long enough for a manager's review, short enough to stay current. */
const PUBLISH_REQUEST_EXPIRES_MS = 14 * 86_400_000;
const NO_SUCH_VERSION = 'No such policy version.';

/** Ids, a boolean and a day number only (the change summary lives on the version row: it is not personal). */
export const publishPayload = z
  .object({
    versionId: idSchema,
    material: z.boolean(),
    /** The effective date as days since 1970-01-01 (UTC). */
    effectiveDay: z.number().int().min(0),
  })
  .strict();
type PublishPayload = z.output<typeof publishPayload>;

export interface Publication {
  changeSummary: string;
  material: boolean;
  effectiveDate: string;
}

export interface ActiveNotice {
  versionId: string;
  version: number;
  title: string;
  changeSummary: string;
  publishedAt: string;
  effectiveDate: string;
  daysRemaining: number;
}

const DAY_MS = 86_400_000;
const toDayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const fromDayNumber = (n: number) => dayOf(n * DAY_MS);

/**
 * Policy versions: drafted, reviewed, published by a manager (through approvals when the drafter asks someone
 * else), archived. Published text never changes: every edit is a conditional update on a draft at the revision
 * the editor loaded. Only one version is open (draft or in review) at a time, so version numbers follow
 * publication order and a diff always compares against what customers were actually told.
 */
export class PolicyService {
  constructor(
    private readonly store: PolicyVersions,
    private readonly clock: Clock,
    private readonly approvals: ApprovalService,
  ) {}

  /** The approval kind that publishes a version when a manager (not the requester) approves it. */
  approvalKind(): ApprovalKind<typeof publishPayload> {
    return {
      name: POLICY_PUBLISH_KIND,
      label: 'Publish a privacy policy version',
      permission: 'policy.publish',
      payload: publishPayload,
      expiresInMs: PUBLISH_REQUEST_EXPIRES_MS,
      onApproved: async (q, request) => {
        const version = await this.mustGet(q, request.payload.versionId);
        if (version.status !== 'in_review' || version.approvalId !== request.id) {
          throw new AppError('CONFLICT', 'This version is no longer waiting for this request; nothing was published.');
        }
        await this.applyPublication(q, version, this.publicationOf(version, request.payload), request.deciderId!, ['in_review']);
      },
    };
  }

  private publicationOf(version: PolicyVersionRecord, payload: PublishPayload): Publication {
    return { changeSummary: version.changeSummary ?? '', material: payload.material, effectiveDate: fromDayNumber(payload.effectiveDay) };
  }

  async list(q: Queryable): Promise<{ versions: PolicyVersionHeader[]; inForceId: string | null }> {
    const [versions, inForce] = await Promise.all([this.store.list(q), this.store.inForceOn(q, this.today())]);
    return { versions, inForceId: inForce?.id ?? null };
  }

  async get(q: Queryable, id: string): Promise<{ version: PolicyVersionRecord; inForce: boolean }> {
    const version = await this.mustGet(q, id);
    const inForce = await this.store.inForceOn(q, this.today());
    return { version, inForce: inForce?.id === version.id };
  }

  async latestPublished(q: Queryable): Promise<PolicyVersionRecord> {
    const latest = await this.store.latestPublished(q);
    if (!latest) throw new AppError('NOT_FOUND', 'No version of the policy has been published.');
    return latest;
  }

  private today(): string {
    return dayOf(this.clock.now());
  }

  private async mustGet(q: Queryable, id: string): Promise<PolicyVersionRecord> {
    const version = await this.store.get(q, id);
    if (!version) throw new AppError('NOT_FOUND', NO_SUCH_VERSION);
    return version;
  }

  /** The next version, starting from `basedOn` (default: the latest published). Refused while one is open. */
  async createDraft(q: Queryable, actorId: string, basedOn?: string): Promise<PolicyVersionRecord> {
    await dialectOf(q).claimWrite(q);
    const open = await this.store.openDrafts(q);
    if (open.length > 0) {
      throw new AppError('CONFLICT', `Version ${open[0]!.version} is already being drafted or reviewed: finish or archive it first.`);
    }
    const base = basedOn ? await this.mustGet(q, basedOn) : await this.latestPublished(q);
    const now = this.clock.nowIso();
    const draft: PolicyVersionRecord = {
      id: randomUUID(),
      version: await this.store.nextVersionNumber(q),
      status: 'draft',
      title: base.title,
      body: base.body,
      revision: 1,
      changeSummary: null,
      material: null,
      createdBy: actorId,
      createdAt: now,
      updatedBy: actorId,
      updatedAt: now,
      approvalId: null,
      publishedBy: null,
      publishedAt: null,
      effectiveDate: null,
      archivedAt: null,
    };
    await this.store.insert(q, draft);
    return draft;
  }

  async saveDraft(q: Queryable, actorId: string, input: { id: string; revision: number; title: string; body: string }): Promise<PolicyVersionRecord> {
    const changed = await this.store.transition(q, {
      id: input.id,
      from: ['draft'],
      revision: input.revision,
      set: { title: input.title, body: input.body, revision: input.revision + 1, updatedBy: actorId, updatedAt: this.clock.nowIso() },
    });
    if (!changed) throw await this.whyNotEditable(q, input.id);
    return this.mustGet(q, input.id);
  }

  private async whyNotEditable(q: Queryable, id: string): Promise<AppError> {
    const version = await this.mustGet(q, id);
    if (version.status === 'draft') return new AppError('CONFLICT', 'Someone saved this draft after you opened it: reload it to see their changes.');
    if (version.status === 'in_review') return new AppError('CONFLICT', 'This version is waiting for a manager to publish it and cannot be edited.');
    return new AppError('CONFLICT', `Version ${version.version} is ${version.status} and can no longer be edited.`);
  }

  private checkPublication(publication: Publication, publishedDay: string): void {
    const problem = effectiveDateProblem(publishedDay, publication.effectiveDate, publication.material);
    if (problem) throw new AppError('INVALID_INPUT', `effectiveDate: ${problem}. Nothing was published.`);
  }

  /**
   * Asks a manager to publish: files a `policy.publish` approval and freezes the draft. The effective date is
   * checked now and again when the request is approved (the 30 days count from the day of publication).
   */
  async requestPublication(q: Queryable, actorId: string, input: Publication & { id: string; reason: string }): Promise<PolicyVersionRecord> {
    this.checkPublication(input, this.today());
    const version = await this.mustGet(q, input.id);
    if (version.status !== 'draft') throw await this.whyNotEditable(q, input.id);
    const request = await this.approvals.request(q, {
      kind: POLICY_PUBLISH_KIND,
      subjectId: version.id,
      requesterId: actorId,
      reason: input.reason,
      payload: { versionId: version.id, material: input.material, effectiveDay: toDayNumber(input.effectiveDate) } satisfies PublishPayload,
    });
    const changed = await this.store.transition(q, {
      id: version.id,
      from: ['draft'],
      revision: version.revision,
      set: {
        status: 'in_review',
        approvalId: request.id,
        changeSummary: input.changeSummary,
        material: input.material,
        effectiveDate: input.effectiveDate,
        updatedBy: actorId,
        updatedAt: this.clock.nowIso(),
      },
    });
    if (!changed) throw await this.whyNotEditable(q, input.id);
    return this.mustGet(q, version.id);
  }

  /** A version in review whose request was denied, withdrawn or expired goes back to draft. */
  async reopenDraft(q: Queryable, actorId: string, id: string): Promise<PolicyVersionRecord> {
    const version = await this.mustGet(q, id);
    if (version.status !== 'in_review' || !version.approvalId) throw new AppError('CONFLICT', 'Only a version in review can be reopened.');
    const request = await this.approvals.get(q, version.approvalId);
    if (request.status === 'pending' && request.expiresAt > this.clock.nowIso()) {
      throw new AppError('CONFLICT', 'The publication request is still pending: withdraw it in Approvals first, or wait for the decision.');
    }
    const changed = await this.store.transition(q, {
      id,
      from: ['in_review'],
      set: { status: 'draft', approvalId: null, revision: version.revision + 1, updatedBy: actorId, updatedAt: this.clock.nowIso() },
    });
    if (!changed) throw await this.whyNotEditable(q, id);
    return this.mustGet(q, id);
  }

  /** A manager publishes a draft directly (no request: nobody else's decision is involved). */
  async publish(q: Queryable, publisherId: string, input: Publication & { id: string }): Promise<PolicyVersionRecord> {
    this.checkPublication(input, this.today());
    const version = await this.mustGet(q, input.id);
    if (version.status !== 'draft') {
      throw version.status === 'in_review'
        ? new AppError('CONFLICT', 'This version has a publication request waiting: it is published when a manager approves it.')
        : await this.whyNotEditable(q, input.id);
    }
    return this.applyPublication(q, version, input, publisherId, ['draft']);
  }

  private async applyPublication(
    q: Queryable,
    version: PolicyVersionRecord,
    publication: Publication,
    publisherId: string,
    from: readonly PolicyStatus[],
  ): Promise<PolicyVersionRecord> {
    this.checkPublication(publication, this.today());
    // A later version never takes effect before an earlier one: that would cut the earlier one's notice short.
    const previous = await this.store.latestPublished(q);
    if (previous?.effectiveDate && previous.effectiveDate > publication.effectiveDate) {
      throw new AppError('INVALID_INPUT', `effectiveDate: Version ${previous.version} takes effect on ${previous.effectiveDate}; this one cannot take effect before it. Nothing was published.`);
    }
    const now = this.clock.nowIso();
    const changed = await this.store.transition(q, {
      id: version.id,
      from,
      revision: version.revision,
      set: {
        status: 'published',
        changeSummary: publication.changeSummary,
        material: publication.material,
        effectiveDate: publication.effectiveDate,
        publishedBy: publisherId,
        publishedAt: now,
        updatedBy: publisherId,
        updatedAt: now,
      },
    });
    if (!changed) throw await this.whyNotEditable(q, version.id);
    return this.mustGet(q, version.id);
  }

  /** Abandons a draft, or retires a published version once a later one is in force. */
  async archive(q: Queryable, actorId: string, id: string): Promise<PolicyVersionRecord> {
    const version = await this.mustGet(q, id);
    const now = this.clock.nowIso();
    if (version.status === 'published') {
      const inForce = await this.store.inForceOn(q, this.today());
      if (!inForce || inForce.version <= version.version) {
        throw new AppError('CONFLICT', 'Only a version that a later one has replaced can be archived: this one is still in force or about to be.');
      }
    } else if (version.status !== 'draft') {
      throw new AppError('CONFLICT', version.status === 'in_review' ? 'Withdraw the publication request first.' : 'This version is already archived.');
    }
    const changed = await this.store.transition(q, { id, from: [version.status], set: { status: 'archived', archivedAt: now, updatedBy: actorId, updatedAt: now } });
    if (!changed) throw new AppError('CONFLICT', 'This version changed meanwhile: reload it.');
    return this.mustGet(q, id);
  }

  /** Material changes published and not yet in effect today: their notices stay posted until the effective date. */
  async activeNotices(q: Queryable): Promise<ActiveNotice[]> {
    const today = this.today();
    const nowIso = this.clock.nowIso();
    const versions = await this.store.list(q);
    return versions
      .filter((v) => v.material && v.publishedAt && v.publishedAt <= nowIso && v.effectiveDate && v.effectiveDate > today)
      .map((v) => ({
        versionId: v.id,
        version: v.version,
        title: v.title,
        changeSummary: v.changeSummary ?? '',
        publishedAt: v.publishedAt!,
        effectiveDate: v.effectiveDate!,
        daysRemaining: noticeDaysRemaining(today, v.effectiveDate!),
      }));
  }
}
