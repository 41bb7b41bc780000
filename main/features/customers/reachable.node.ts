import type { Knex } from 'knex';
import type { Queryable } from '../../platform/store/database.node.ts';
import { countRows } from '../../platform/store/queries.node.ts';
import type { ConsentPurpose } from './consents.std.ts';
import { CUSTOMER_KEYS_TABLE, CUSTOMERS_TABLE, STAGED_BY_IMPORT } from './customerStore.node.ts';
import { QUARANTINED_AT } from './quarantine.node.ts';

/**
 * Customers an announcement or a marketing audience may reach: active records (not closed), published (not
 * staged by a running import), not quarantined (minors are never contacted: the policy deletes what a minor
 * sent), not erased (a customer row still there with a shredded key; an erased customer without a row is simply
 * absent). Adults: minors found among the records are quarantined, and a date of birth under 18 is refused at
 * entry, so no further filter on the (sealed) date of birth is needed.
 */
export interface ReachableFilter {
  /** Only customers collected under one of these policy versions (labels as stored). */
  collectedUnder?: readonly string[];
  /** Only customers whose current consent to this purpose is granted. */
  consentTo?: ConsentPurpose;
}

function reachable(q: Queryable, filter: ReachableFilter): Knex.QueryBuilder {
  return q(`${CUSTOMERS_TABLE} as c`)
    .leftJoin(`${CUSTOMER_KEYS_TABLE} as k`, 'k.customer_id', 'c.id')
    .where('c.status', 'active')
    .whereNull(`c.${STAGED_BY_IMPORT}`)
    .whereNull(`c.${QUARANTINED_AT}`)
    .whereNull('k.shredded_at')
    .modify((b) => {
      if (filter.collectedUnder) b.whereIn('c.policy_version', filter.collectedUnder);
      if (filter.consentTo) {
        const purpose = filter.consentTo;
        b.whereExists((s) => void s.select(q.raw('1')).from('customer_consents as cc').whereRaw('cc.customer_id = c.id').where('cc.purpose', purpose).where('cc.granted', true));
      }
    });
}

/** Where a page of reachable customers ended: a creation time and an id (a job's resume cursor, no PII). */
export interface ReachableCursor {
  createdAt: string;
  id: string;
}

/**
 * One page of reachable customers after `after`, in (created_at, id) order: the order of the (status, created_at,
 * id) index, so each page is a range read of that index, never a sort of every active customer.
 */
export async function reachableCustomerIds(
  q: Queryable,
  filter: ReachableFilter,
  page: { after: ReachableCursor | null; limit: number },
): Promise<{ ids: string[]; last: ReachableCursor | null }> {
  const rows = await reachable(q, filter)
    .modify((b) => {
      if (page.after) b.whereRaw('(c.created_at, c.id) > (?, ?)', [page.after.createdAt, page.after.id]);
    })
    .orderBy([{ column: 'c.created_at' }, { column: 'c.id' }])
    .limit(page.limit)
    .select<{ id: string; created_at: string }[]>('c.id as id', 'c.created_at as created_at');
  const last = rows.at(-1);
  return { ids: rows.map((r) => r.id), last: last ? { createdAt: last.created_at, id: last.id } : null };
}

export async function countReachable(q: Queryable, filter: ReachableFilter): Promise<number> {
  return countRows(reachable(q, filter));
}

/** Of these ids, the ones still reachable now (a list prepared earlier is checked again when it is written). */
export async function stillReachable(q: Queryable, ids: readonly string[], filter: ReachableFilter = {}): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await reachable(q, filter).whereIn('c.id', ids.slice(i, i + 500)).select<{ id: string }[]>('c.id as id');
    for (const row of rows) found.add(row.id);
  }
  return found;
}
