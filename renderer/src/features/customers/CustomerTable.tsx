import { VisuallyHidden } from '@mantine/core';
import { IconFolderOpen } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { CustomerRow } from '../../../../main/features/customers/customers.contract.std';
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
  /** Height of the scrolling area in pixels. */
  height: number;
  emptyText: string;
}

/**
 * Only the rows in view (plus a few either side) exist in the DOM, so a list of 100 000 customers scrolls as
 * smoothly as one of ten. Rows not fetched yet show a placeholder until their page arrives.
 */
export function CustomerTable({ label, count, rowAt, onVisibleRange, onOpen, height, emptyText }: CustomerTableProps) {
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
    if (!onVisibleRange || last < 0) return;
    // Waits for scrolling to settle so a fling through the list does not fetch every page it passes.
    const timer = window.setTimeout(() => onVisibleRange(first, last), 80);
    return () => window.clearTimeout(timer);
  }, [first, last, onVisibleRange]);

  return (
    <div className={classes.table} role="table" aria-label={label} aria-rowcount={count + 1}>
      <div role="rowgroup">
        <div className={classes.head} role="row" aria-rowindex={1}>
          <div role="columnheader">Name</div>
          <div role="columnheader">City</div>
          <div role="columnheader">Status</div>
          <div role="columnheader" className={classes.actions}>
            <VisuallyHidden>Actions</VisuallyHidden>
          </div>
        </div>
      </div>
      {count === 0 ? (
        <div className={classes.empty}>{emptyText}</div>
      ) : (
        <div ref={scroller} className={classes.scroller} style={{ height }} role="rowgroup">
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
          <div role="cell" />
        </>
      )}
    </div>
  );
});
