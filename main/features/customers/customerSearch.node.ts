import type { Knex } from 'knex';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { countRows } from '../../platform/store/queries.node.ts';
import type { CustomerListOrder, CustomerRow } from './customers.contract.std.ts';
import type { CustomerStatus } from './customerFields.std.ts';
import { countQuarantined, QUARANTINED_AT } from './quarantine.node.ts';
import { CUSTOMERS_TABLE, listRowsWithKey, STAGED_BY_IMPORT, type CustomerStore, type ListDbRow, type SearchField } from './customerStore.node.ts';

/**
 * Exact search by blind index, and the paged list. Rows are masked: only the summary section is opened.
 * Quarantined records (minors) are in neither: they wait, apart, for their deletion.
 */

export const SEARCH_LIMIT = 50;

const INDEX_COLUMN: Record<SearchField, string> = {
  email: 'email_index',
  phone: 'phone_index',
  postalCode: 'postal_index',
  familyName: 'family_index',
};
const NEWEST_FIRST = [
  { column: 'created_at', order: 'desc' },
  { column: 'id', order: 'desc' },
] as const;
const OLDEST_FIRST = [
  { column: 'created_at', order: 'asc' },
  { column: 'id', order: 'asc' },
] as const;
/**
 * Each order walks `customers_listed` (created_at, id) one way: a B-tree is read backwards as cheaply as forwards
 * on both engines, so the oldest-first list needs no index of its own. `later` is the row-value comparison that
 * keeps the rows after a cursor in that order.
 */
const LIST_ORDERS: Record<CustomerListOrder, { sort: typeof NEWEST_FIRST | typeof OLDEST_FIRST; later: '<' | '>' }> = {
  newest: { sort: NEWEST_FIRST, later: '<' },
  oldest: { sort: OLDEST_FIRST, later: '>' },
};

export async function searchCustomers(
  q: Queryable,
  store: CustomerStore,
  by: SearchField,
  value: string,
): Promise<{ rows: CustomerRow[]; truncated: boolean }> {
  const probes = store.searchProbes(by, value);
  if (!probes) throw new AppError('INVALID_INPUT', `Invalid request — value: nothing searchable in this ${by === 'phone' ? 'phone number (no digits)' : 'value'}`);
  const rows: ListDbRow[] = await searchQuery(q, by, probes);
  return { rows: rows.slice(0, SEARCH_LIMIT).map((row) => store.toRow(row)), truncated: rows.length > SEARCH_LIMIT };
}

/** The search's one query (rows with their keys): exported so a test can ask each engine how it plans this very query. */
export function searchQuery(q: Queryable, by: SearchField, probes: readonly string[]): Knex.QueryBuilder {
  const column = `${CUSTOMERS_TABLE}.${INDEX_COLUMN[by]}`;
  return listRowsWithKey(q)
    // One probe outside a blind-index rotation, so the plan stays a plain equality lookup.
    .modify((b) => void (probes.length === 1 ? b.where(column, probes[0]!) : b.whereIn(column, probes)))
    .whereNull(`${CUSTOMERS_TABLE}.${STAGED_BY_IMPORT}`)
    .whereNull(`${CUSTOMERS_TABLE}.${QUARANTINED_AT}`)
    .orderBy(NEWEST_FIRST.map(({ column: c, order }) => ({ column: `${CUSTOMERS_TABLE}.${c}`, order })))
    .limit(SEARCH_LIMIT + 1);
}

/** Where a list page starts: the key of the row just before it in the list's order (rows strictly after it are listed). */
export interface ListCursor {
  createdAt: string;
  id: string;
}

/** A known position in one version of the list: the key of the row at `position` (0 = the top). */
interface Anchor {
  position: number;
  key: ListCursor;
}

/**
 * Positions the list has already seen, per status filter, order and list total, so a jump to row 600,000 of a million
 * walks the position index (`customers_listed`, migration 0019) only from the nearest known row before it, not
 * from the top. Known positions are exact for the list they were read from: a different total (a customer added,
 * deleted, quarantined or published on any workstation) starts a fresh set. A change that keeps the total (one
 * added and one deleted between two calls) can shift a jumped-to page by a row; scrolling on from a loaded page
 * uses its cursor and is exact.
 */
class ListPositions {
  private readonly lists = new Map<string, { total: number; anchors: Anchor[] }>();
  private static readonly MAX_ANCHORS = 4096;

  nearestAtOrBefore(list: string, total: number, position: number): Anchor | null {
    const known = this.lists.get(list);
    if (!known || known.total !== total) return null;
    let best: Anchor | null = null;
    for (const anchor of known.anchors) if (anchor.position <= position && (!best || anchor.position > best.position)) best = anchor;
    return best;
  }

  remember(list: string, total: number, anchor: Anchor): void {
    let known = this.lists.get(list);
    if (!known || known.total !== total) {
      known = { total, anchors: [] };
      this.lists.set(list, known);
    }
    if (known.anchors.length >= ListPositions.MAX_ANCHORS) known.anchors.splice(0, known.anchors.length >>> 1);
    known.anchors.push(anchor);
  }
}

const positionsByStore = new WeakMap<CustomerStore, ListPositions>();
function positionsOf(store: CustomerStore): ListPositions {
  let positions = positionsByStore.get(store);
  if (!positions) positionsByStore.set(store, (positions = new ListPositions()));
  return positions;
}

/** Listed customers: published and not quarantined; exactly the `customers_listed` index's rows. */
function listed(q: Queryable, status: CustomerStatus | undefined): Knex.QueryBuilder {
  return q(CUSTOMERS_TABLE)
    .whereNull(STAGED_BY_IMPORT)
    .whereNull(QUARANTINED_AT)
    .modify((b) => {
      if (status) b.where({ status });
    });
}

/** Rows strictly after `cursor` in the list's order (a row-value comparison both engines answer from the index). */
function after(b: Knex.QueryBuilder, order: CustomerListOrder, cursor: ListCursor | null): Knex.QueryBuilder {
  return cursor ? b.whereRaw(`(created_at, id) ${LIST_ORDERS[order].later} (?, ?)`, [cursor.createdAt, cursor.id]) : b;
}

/** The keys of one list page: exported so a test can ask each engine how it plans this very query. */
export function listPageKeys(
  q: Queryable,
  opts: { status?: CustomerStatus | undefined; order: CustomerListOrder; after: ListCursor | null; skip: number; limit: number },
): Knex.QueryBuilder {
  return after(listed(q, opts.status), opts.order, opts.after)
    .orderBy([...LIST_ORDERS[opts.order].sort])
    .offset(opts.skip)
    .limit(opts.limit)
    .select('id', 'created_at');
}

/**
 * A page of the list, newest or oldest first. With `after` (the last row of the page before), keyset pagination: the page
 * starts `offset` rows (normally 0) after that row, found from the index in O(log n). Without it, `offset` is a
 * position from the top (the virtualised list's jump-to-row): the walk starts at the nearest position already
 * seen. Either way only the page's keys are read from the index, then its rows by id.
 */
export async function listCustomers(
  q: Queryable,
  store: CustomerStore,
  opts: { offset: number; limit: number; status?: CustomerStatus | undefined; order?: CustomerListOrder | undefined; after?: ListCursor | undefined },
): Promise<{ rows: CustomerRow[]; total: number }> {
  const total = await countCustomers(q, opts.status);
  let cursor = opts.after ?? null;
  let skip = opts.offset;
  const positions = positionsOf(store);
  const order = opts.order ?? 'newest';
  const list = `${opts.status ?? '*'}:${order}`;
  if (!cursor && skip > 0) {
    const anchor = positions.nearestAtOrBefore(list, total, skip - 1);
    if (anchor) {
      cursor = anchor.key;
      skip -= anchor.position + 1;
    }
  }
  const keys = (await listPageKeys(q, { status: opts.status, order, after: cursor, skip, limit: opts.limit })) as { id: string; created_at: string }[];
  // The row just before a jumped-to page: the next jump near it starts there.
  if (!opts.after && opts.offset > 0 && keys.length > 0 && skip > 0) {
    const last = keys.at(-1)!;
    positions.remember(list, total, { position: opts.offset + keys.length - 1, key: { createdAt: last.created_at, id: last.id } });
  }
  if (keys.length === 0) return { rows: [], total };
  const byId = new Map(
    ((await listRowsWithKey(q).whereIn(`${CUSTOMERS_TABLE}.id`, keys.map((k) => k.id))) as ListDbRow[]).map((row) => [row.id, row]),
  );
  const rows = keys.flatMap((k) => {
    const row = byId.get(k.id);
    return row ? [store.toRow(row)] : [];
  });
  return { rows, total };
}

/**
 * Number of listed customers (with a status): from the counts the database keeps where its dialect does, less
 * the few quarantined ones; else count(*).
 */
export async function countCustomers(q: Queryable, status?: CustomerStatus): Promise<number> {
  const byStatus = (b: ReturnType<Queryable>) => {
    if (status) b.where({ status });
  };
  if (dialectOf(q).keepsCounters) {
    const rows = await q('customer_counts').modify(byStatus).sum<{ n: number | null }[]>('n as n');
    return Number(rows[0]?.n ?? 0) - (await countQuarantined(q, status));
  }
  return countRows(q(CUSTOMERS_TABLE).whereNull(STAGED_BY_IMPORT).whereNull(QUARANTINED_AT).modify(byStatus));
}
