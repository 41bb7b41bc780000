import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { dayOf } from './noticePeriod.std.ts';
import { SqlPolicyVersions, versionLabel } from './policyVersions.node.ts';

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
