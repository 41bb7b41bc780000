import { useCallback, useState } from 'react';
import { call } from '../../api/client';
import { useRemoteData } from '../../ui/useRemoteData';
import type { AuditFilter } from '../../../../main/features/audit/audit.contract.std';

export const AUDIT_PAGE_SIZE = 50;

/**
 * Keyset paging, newest first: each page asks for events before the oldest one shown, so events written
 * while reading never shift what the next page contains. The stack remembers how to go back.
 */
export function useAuditPages(filter: AuditFilter) {
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  // A new filter starts again from the newest event.
  const [shownFilter, setShownFilter] = useState(filter);
  if (shownFilter !== filter) {
    setShownFilter(filter);
    setCursors([undefined]);
  }
  const beforeSeq = cursors[cursors.length - 1];
  const load = useCallback(() => call('audit.list', { ...filter, beforeSeq, limit: AUDIT_PAGE_SIZE }), [beforeSeq, filter]);
  const page = useRemoteData(load);
  const events = page.data?.events ?? [];
  const oldestShown = events[events.length - 1]?.seq;

  return {
    ...page,
    pageIndex: cursors.length - 1,
    hasNewer: cursors.length > 1,
    hasOlder: events.length === AUDIT_PAGE_SIZE && oldestShown !== undefined && oldestShown > 1,
    older: () => {
      if (oldestShown !== undefined) setCursors((stack) => [...stack, oldestShown]);
    },
    newer: () => setCursors((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack)),
    newest: () => setCursors([undefined]),
  };
}
