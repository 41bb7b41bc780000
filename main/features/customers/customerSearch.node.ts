import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { countRows } from '../../platform/store/queries.node.ts';
import type { CustomerRow } from './customers.contract.std.ts';
import type { CustomerStatus } from './customerFields.std.ts';
import { countQuarantined, QUARANTINED_AT } from './quarantine.node.ts';
import { CUSTOMERS_TABLE, LIST_COLUMNS, STAGED_BY_IMPORT, type CustomerStore, type ListDbRow, type SearchField } from './customerStore.node.ts';

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

export async function searchCustomers(
  q: Queryable,
  store: CustomerStore,
  by: SearchField,
  value: string,
): Promise<{ rows: CustomerRow[]; truncated: boolean }> {
  const index = store.searchIndex(by, value);
  if (!index) throw new AppError('INVALID_INPUT', `Invalid request — value: nothing searchable in this ${by === 'phone' ? 'phone number (no digits)' : 'value'}`);
  const rows = await q(CUSTOMERS_TABLE)
    .where(INDEX_COLUMN[by], index)
    .whereNull(STAGED_BY_IMPORT)
    .whereNull(QUARANTINED_AT)
    .orderBy([...NEWEST_FIRST])
    .limit(SEARCH_LIMIT + 1)
    .select<ListDbRow[]>(LIST_COLUMNS);
  return { rows: await store.toRows(q, rows.slice(0, SEARCH_LIMIT)), truncated: rows.length > SEARCH_LIMIT };
}

export async function listCustomers(
  q: Queryable,
  store: CustomerStore,
  opts: { offset: number; limit: number; status?: CustomerStatus | undefined },
): Promise<{ rows: CustomerRow[]; total: number }> {
  const rows = await q(CUSTOMERS_TABLE)
    .whereNull(STAGED_BY_IMPORT)
    .whereNull(QUARANTINED_AT)
    .modify((b) => {
      if (opts.status) b.where({ status: opts.status });
    })
    .orderBy([...NEWEST_FIRST])
    .offset(opts.offset)
    .limit(opts.limit)
    .select<ListDbRow[]>(LIST_COLUMNS);
  return { rows: await store.toRows(q, rows), total: await countCustomers(q, opts.status) };
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
