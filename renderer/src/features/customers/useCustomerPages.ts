import { useCallback, useEffect, useRef, useState } from 'react';
import type { CustomerStatus } from '../../../../main/features/customers/customerFields.std';
import type { CustomerListOrder, CustomerRow } from '../../../../main/features/customers/customers.contract.std';
import { errorMessage } from '../../api/ApiCallError';
import { call } from '../../api/client';

/** Rows per 'customers.list' call; the channel allows up to 200. */
export const LIST_PAGE_SIZE = 100;

/** Which list is shown: a status (or all) in an order. */
export interface CustomerListView {
  status?: CustomerStatus | undefined;
  order: CustomerListOrder;
}

export interface CustomerPages {
  /** Null until the first page arrived. */
  total: number | null;
  error: string | null;
  rowAt(index: number): CustomerRow | undefined;
  /** Loads the pages covering rows first..last (inclusive) that are not loaded or loading yet. */
  ensureRange(first: number, last: number): void;
  /** Forgets every page (after a create or an import) and starts again from the top. */
  reload(): void;
}

/**
 * The customer list, fetched a page at a time as rows scroll into view, so 100 000 customers cost only the
 * pages someone actually looks at. A page whose previous page is loaded is asked for by key (`after` its last
 * row: as cheap at row 900 000 as at the top, and nothing skipped or repeated while scrolling); any other page by
 * its position (jump-to-row: dragging the scrollbar). A reload bumps the generation, so answers for the old list
 * are dropped.
 */
export function useCustomerPages({ status, order }: CustomerListView): CustomerPages {
  const shown = useRef<CustomerListView>({ status, order });
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<ReadonlyMap<number, readonly CustomerRow[]>>(() => new Map());
  const [error, setError] = useState<string | null>(null);
  const requested = useRef(new Set<number>());
  const loaded = useRef(new Map<number, readonly CustomerRow[]>());
  const generation = useRef(0);

  const loadPage = useCallback((page: number) => {
    if (requested.current.has(page)) return;
    requested.current.add(page);
    const current = generation.current;
    const previous = loaded.current.get(page - 1);
    const last = previous?.length === LIST_PAGE_SIZE ? previous[LIST_PAGE_SIZE - 1] : undefined;
    const input = last
      ? { after: { createdAt: last.createdAt, id: last.id }, limit: LIST_PAGE_SIZE }
      : { offset: page * LIST_PAGE_SIZE, limit: LIST_PAGE_SIZE };
    const { status: statusShown, order: orderShown } = shown.current;
    call('customers.list', { ...input, order: orderShown, ...(statusShown ? { status: statusShown } : {}) }).then(
      (result) => {
        if (current !== generation.current) return;
        loaded.current.set(page, result.rows);
        setTotal(result.total);
        setError(null);
        setPages((previous) => new Map(previous).set(page, result.rows));
      },
      (failure: unknown) => {
        if (current !== generation.current) return;
        requested.current.delete(page);
        setError(errorMessage(failure));
      },
    );
  }, []);

  useEffect(() => loadPage(0), [loadPage]);

  const ensureRange = useCallback(
    (first: number, last: number) => {
      for (let page = Math.floor(first / LIST_PAGE_SIZE); page <= Math.floor(last / LIST_PAGE_SIZE); page += 1) loadPage(page);
    },
    [loadPage],
  );

  const reload = useCallback(() => {
    generation.current += 1;
    requested.current = new Set();
    loaded.current = new Map();
    setPages(new Map());
    loadPage(0);
  }, [loadPage]);

  // Another status or order is another list: its positions and keys start again from the top.
  useEffect(() => {
    if (shown.current.status === status && shown.current.order === order) return;
    shown.current = { status, order };
    reload();
  }, [status, order, reload]);

  const rowAt = useCallback((index: number) => pages.get(Math.floor(index / LIST_PAGE_SIZE))?.[index % LIST_PAGE_SIZE], [pages]);

  return { total, error, rowAt, ensureRange, reload };
}
