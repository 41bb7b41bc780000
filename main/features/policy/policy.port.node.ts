import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { dayOf } from './noticePeriod.std.ts';
import { SqlPolicyVersions, versionLabel } from './policyVersions.node.ts';
import { countOf, type HomeWorkProvider } from '../home/home.port.node.ts';

/**
 * What other features use of the policy: the version in force when they collect data. Customers, orders and
 * consents stamp it on the rows they insert, inside the inserting transaction, so a record always carries the
 * version that applied at the moment it was collected.
 */
const store = new SqlPolicyVersions();

/**
 * The label of the version in force at `nowIso`: the newest published version whose effective date has come.
 * During a material change's notice period that is still the previous version.
 */
export async function policyVersionInForce(q: Queryable, nowIso: string): Promise<string> {
  const version = await store.inForceOn(q, dayOf(Date.parse(nowIso)));
  if (!version) throw new AppError('INTERNAL', 'No published privacy policy is in force.');
  return versionLabel(version.version);
}

/** A version that has been published (still current or archived since), as announcements need it. */
export interface PublishedPolicyVersion {
  id: string;
  version: number;
  title: string;
  material: boolean;
  effectiveDate: string;
}

/** Null when there is no such version or it was never published (a draft has nothing to announce). */
export async function publishedPolicyVersion(q: Queryable, id: string): Promise<PublishedPolicyVersion | null> {
  const found = await store.get(q, id);
  if (!found || !found.publishedAt || !found.effectiveDate) return null;
  return { id: found.id, version: found.version, title: found.title, material: found.material === true, effectiveDate: found.effectiveDate };
}

/**
 * Labels of every version published before `version`: the customers collected under them are the ones a change
 * in `version` affects (they were told something else at collection).
 */
export async function policyLabelsBefore(q: Queryable, version: number): Promise<string[]> {
  return store.labelsBefore(q, version);
}

/** Version numbers by id, for lists that name the version an announcement is about. */
export async function policyVersionNumbers(q: Queryable): Promise<Map<string, number>> {
  return new Map((await store.list(q)).map((v) => [v.id, v.version]));
}

/** Home: published material changes whose notice period still runs (effective date not reached yet). */
export function policyHomeWork(): HomeWorkProvider {
  return {
    id: 'policy',
    permissions: ['policy.publish'],
    async items(q, viewer) {
      const today = viewer.now.slice(0, 10);
      const running = countOf(await q('policy_versions').where({ status: 'published' }).where('effective_at', '>', today).count<{ n: number | string }[]>({ n: '*' }));
      return [{ id: 'policy.noticeRunning', section: 'decide', label: 'Policy notice periods running', count: running, tone: 'info', page: 'policy', detail: null, at: null }];
    },
  };
}
