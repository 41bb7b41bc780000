import { Group, Table, UnstyledButton } from '@mantine/core';
import { IconArrowsSort, IconSortAscending, IconSortDescending } from '@tabler/icons-react';
import { useState } from 'react';

export type SortDirection = 'asc' | 'desc';
export interface SortState<K extends string> {
  column: K;
  direction: SortDirection;
}

/** The sort of a table: the same column again flips the direction, another starts ascending. */
export function useSort<K extends string>(initial: SortState<K>): [SortState<K>, (column: K) => void] {
  const [sort, setSort] = useState(initial);
  const toggle = (column: K) => setSort((current) => (current.column === column ? { column, direction: current.direction === 'asc' ? 'desc' : 'asc' } : { column, direction: 'asc' }));
  return [sort, toggle];
}

/** Sorts a copy of `rows` by `key` (strings by the locale's rules, nulls last). */
export function sortRows<T, K extends string>(rows: readonly T[], sort: SortState<K>, key: (row: T, column: K) => string | number | null): T[] {
  const factor = sort.direction === 'asc' ? 1 : -1;
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  return [...rows].sort((a, b) => {
    const x = key(a, sort.column);
    const y = key(b, sort.column);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return factor * (typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y)));
  });
}

/** A column header that sorts: a button inside the header cell, its state in `aria-sort`. */
export function SortableTh<K extends string>({ label, column, sort, onSort }: { label: string; column: K; sort: SortState<K>; onSort(column: K): void }) {
  const active = sort.column === column;
  const Icon = !active ? IconArrowsSort : sort.direction === 'asc' ? IconSortAscending : IconSortDescending;
  return (
    <Table.Th aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'} scope="col">
      <UnstyledButton onClick={() => onSort(column)} fw={700} fz="sm">
        <Group gap={4} wrap="nowrap">
          {label}
          <Icon size={14} stroke={1.6} aria-hidden opacity={active ? 1 : 0.5} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
