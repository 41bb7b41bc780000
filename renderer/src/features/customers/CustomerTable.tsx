import { VisuallyHidden } from '@mantine/core';
import { IconFolderOpen, IconSortAscending, IconSortDescending } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { CustomerListOrder, CustomerRow } from '../../../../main/features/customers/customers.contract.std';
import { formatDate } from '../../ui/format';
import classes from './CustomerTable.module.css';
import { STATUS_LABELS } from './labels';

const ROW_HEIGHT = 48;

interface CustomerTableProps {
  label: string;
  count: number;
  rowAt(index: number): CustomerRow | undefined;
  /** Told which rows are on screen (after scrolling settles), so the missing pages can be fetched. */
  onVisibleRange?(first: number, last: number): void;
  onOpen(row: CustomerRow): void;
  /**
   * `fill`: the rows take the height left down to the bottom of the window (the page is a flex column), and follow
   * its resizes; `rows`: as tall as the rows, shrinking to the space left.
   */
  size: 'fill' | 'rows';
  /** The list's order, when the Created column may sort it (the other columns are encrypted: never sortable). */
  order?: { value: CustomerListOrder; onChange(order: CustomerListOrder): void };
  emptyText: string;
  /** Names the list shown (its filter and order): another list starts scrolled to the top. */
  listKey?: string;
}

/**
 * Only the rows in view (plus a few either side) exist in the DOM, so a list of 100 000 customers scrolls as
 * smoothly as one of ten. Rows not fetched yet show a placeholder until their page arrives.
 */
export function CustomerTable({ label, count, rowAt, onVisibleRange, onOpen, size, order, emptyText, listKey }: CustomerTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render on purpose
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [listKey]);

  useEffect(() => {
    if (!onVisibleRange || last < 0) return;
    // Waits for scrolling to settle so a fling through the list does not fetch every page it passes.
    const timer = window.setTimeout(() => onVisibleRange(first, last), 80);
    return () => window.clearTimeout(timer);
  }, [first, last, onVisibleRange]);

  return (
    <div className={classes.table} data-size={size} role="table" aria-label={label} aria-rowcount={count + 1}>
      <div role="rowgroup">
        <div className={classes.head} role="row" aria-rowindex={1}>
          <div role="columnheader">Name</div>
          <div role="columnheader">City</div>
          <div role="columnheader">Status</div>
          <CreatedHeader order={order} />
          <div role="columnheader" className={classes.actions}>
            <VisuallyHidden>Actions</VisuallyHidden>
          </div>
        </div>
      </div>
      {count === 0 ? (
        <div className={classes.empty}>{emptyText}</div>
      ) : (
        <div ref={scroller} className={classes.scroller} style={size === 'rows' ? { height: count * ROW_HEIGHT } : undefined} role="rowgroup">
          <div className={classes.sizer} style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => (
              <CustomerRowView key={item.key} index={item.index} start={item.start} size={item.size} row={rowAt(item.index)} onOpen={onOpen} />
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

/** The Created column's header: a button that flips the order, its state in `aria-sort`, when the list may sort. */
function CreatedHeader({ order }: { order: CustomerTableProps['order'] }) {
  if (!order) return <div role="columnheader">Created</div>;
  const newest = order.value === 'newest';
  const Icon = newest ? IconSortDescending : IconSortAscending;
  return (
    <div role="columnheader" aria-sort={newest ? 'descending' : 'ascending'}>
      <button
        type="button"
        className={classes.sort}
        onClick={() => order.onChange(newest ? 'oldest' : 'newest')}
        title={newest ? 'Newest first: show the oldest first' : 'Oldest first: show the newest first'}
      >
        Created
        <Icon size={14} stroke={1.8} aria-hidden />
      </button>
    </div>
  );
}

interface CustomerRowViewProps {
  index: number;
  start: number;
  size: number;
  row: CustomerRow | undefined;
  onOpen(row: CustomerRow): void;
}

/**
 * One row, in plain elements styled by the CSS module (no Mantine components), and memoised: while scrolling,
 * only rows that come into view render, which keeps a fling through 100 000 rows smooth.
 */
const CustomerRowView = memo(function CustomerRowView({ index, start, size, row, onOpen }: CustomerRowViewProps) {
  return (
    <div
      className={classes.bodyRow}
      role="row"
      aria-rowindex={index + 2}
      style={{ height: size, transform: `translateY(${start}px)` }}
      onClick={row ? () => onOpen(row) : undefined}
    >
      {row ? (
        <>
          <div role="cell" className={`${classes.cell} ${classes.name}`}>
            {row.displayName}
          </div>
          <div role="cell" className={classes.cell}>
            {row.city}
          </div>
          <div role="cell" className={classes.cell}>
            <span className={classes.status} data-status={row.status}>
              {STATUS_LABELS[row.status]}
            </span>
          </div>
          <div role="cell" className={classes.cell}>
            {formatDate(row.createdAt)}
          </div>
          <div role="cell" className={classes.actions}>
            {/* The click bubbles to the row, which opens the purpose dialog. */}
            <button type="button" className={classes.open} aria-label={`Open record of ${row.displayName}`}>
              <IconFolderOpen size={14} aria-hidden />
              Open
            </button>
          </div>
        </>
      ) : (
        <>
          <div role="cell">
            <div className={classes.placeholder} data-width="wide" />
          </div>
          <div role="cell">
            <div className={classes.placeholder} />
          </div>
          <div role="cell">
            <div className={classes.placeholder} data-width="narrow" />
          </div>
          <div role="cell">
            <div className={classes.placeholder} data-width="narrow" />
          </div>
          <div role="cell" />
        </>
      )}
    </div>
  );
});
