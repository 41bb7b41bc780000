import { Checkbox, Group, Paper, Text, VisuallyHidden } from '@mantine/core';
import { useMemo, useState } from 'react';
import { diffSummary, sideBySide, type DiffRow, type Segment } from './lineDiff';
import classes from './PolicyDiff.module.css';

interface Side {
  label: string;
  body: string;
}

function Words({ segments, as }: { segments: Segment[]; as: 'del' | 'ins' }) {
  const Tag = as;
  return (
    <>
      {segments.map((s, i) =>
        s.changed ? (
          <Tag key={i} className={as === 'del' ? classes.removedWord : classes.addedWord}>
            {s.text}
          </Tag>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}

function Cells({ row, side }: { row: DiffRow; side: 'left' | 'right' }) {
  const line = row[side];
  const changed = row.kind !== 'same' && line !== null;
  const tint = changed ? (side === 'left' ? classes.removedCell : classes.addedCell) : undefined;
  // Marked with a sign and a spoken word, not colour alone.
  const marker = changed ? (side === 'left' ? '−' : '+') : '';
  const spoken = changed ? (side === 'left' ? (row.kind === 'changed' ? 'Changed from: ' : 'Removed: ') : row.kind === 'changed' ? 'Changed to: ' : 'Added: ') : '';
  return (
    <>
      <td className={classes.number}>{line?.number ?? ''}</td>
      <td className={`${classes.marker} ${tint ?? ''}`} aria-hidden>
        {marker}
      </td>
      <td className={tint}>
        {line && (
          <>
            {spoken && <VisuallyHidden>{spoken}</VisuallyHidden>}
            <Words segments={line.segments} as={side === 'left' ? 'del' : 'ins'} />
          </>
        )}
      </td>
    </>
  );
}

/** Two versions side by side: line numbers, −/+ markers, struck-through removed words and underlined added ones. */
export function PolicyDiff({ before, after }: { before: Side; after: Side }) {
  const [onlyChanges, setOnlyChanges] = useState(true);
  const rows = useMemo(() => sideBySide(before.body, after.body), [before.body, after.body]);
  const summary = diffSummary(rows);
  const shown = onlyChanges ? rows.filter((r) => r.kind !== 'same') : rows;
  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="sm">
        <Text size="sm" aria-live="polite">
          {summary.changed + summary.removed + summary.added === 0
            ? 'The two versions have the same text.'
            : `${summary.changed} changed, ${summary.added} added and ${summary.removed} removed lines.`}
        </Text>
        <Checkbox label="Only changed lines" checked={onlyChanges} onChange={(e) => setOnlyChanges(e.currentTarget.checked)} />
      </Group>
      <div style={{ overflowX: 'auto' }}>
        <table className={classes.table} aria-label={`Differences between ${before.label} and ${after.label}`}>
          <colgroup>
            <col className={classes.number} />
            <col className={classes.marker} />
            <col />
            <col className={classes.number} />
            <col className={classes.marker} />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th>
                <VisuallyHidden>Line</VisuallyHidden>
              </th>
              <th>
                <VisuallyHidden>Change</VisuallyHidden>
              </th>
              <th scope="col">{before.label}</th>
              <th>
                <VisuallyHidden>Line</VisuallyHidden>
              </th>
              <th>
                <VisuallyHidden>Change</VisuallyHidden>
              </th>
              <th scope="col">{after.label}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row, i) => (
              <tr key={`${row.left?.number ?? 'x'}-${row.right?.number ?? 'x'}-${i}`}>
                <Cells row={row} side="left" />
                <Cells row={row} side="right" />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Paper>
  );
}
