import { diffLines, diffWordsWithSpace } from 'diff';

/** One piece of a line: unchanged, or the words removed (left side) / added (right side). */
export interface Segment {
  text: string;
  changed: boolean;
}

/** A row of the side-by-side view: the old line on the left, the new one on the right (either may be absent). */
export interface DiffRow {
  kind: 'same' | 'changed' | 'removed' | 'added';
  left: { number: number; segments: Segment[] } | null;
  right: { number: number; segments: Segment[] } | null;
}

const splitLines = (value: string) => value.replace(/\n$/, '').split('\n');
const whole = (text: string, changed: boolean): Segment[] => [{ text, changed }];

/** Word-level differences of a changed line pair, split into the left and right segments. */
function wordSegments(before: string, after: string): { left: Segment[]; right: Segment[] } {
  const left: Segment[] = [];
  const right: Segment[] = [];
  for (const part of diffWordsWithSpace(before, after)) {
    if (!part.added) left.push({ text: part.value, changed: Boolean(part.removed) });
    if (!part.removed) right.push({ text: part.value, changed: Boolean(part.added) });
  }
  return { left, right };
}

/**
 * Side-by-side line diff (jsdiff): removed lines are paired with the added lines that follow them, in order, and
 * each pair gets word highlights; unpaired lines are shown alone on their side.
 */
export function sideBySide(before: string, after: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let leftNo = 0;
  let rightNo = 0;
  const parts = diffLines(before, after);
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i]!;
    if (!part.added && !part.removed) {
      for (const line of splitLines(part.value)) {
        rows.push({ kind: 'same', left: { number: (leftNo += 1), segments: whole(line, false) }, right: { number: (rightNo += 1), segments: whole(line, false) } });
      }
      continue;
    }
    const removed = part.removed ? splitLines(part.value) : [];
    const next = parts[i + 1];
    const added = part.added ? splitLines(part.value) : next?.added ? splitLines(next.value) : [];
    if (part.removed && next?.added) i += 1;
    for (let k = 0; k < Math.max(removed.length, added.length); k += 1) {
      const old = removed[k];
      const fresh = added[k];
      if (old !== undefined && fresh !== undefined && old === fresh) {
        // Only the line ending differed (e.g. a newline added after the last line): not a change anyone reads.
        rows.push({ kind: 'same', left: { number: (leftNo += 1), segments: whole(old, false) }, right: { number: (rightNo += 1), segments: whole(fresh, false) } });
      } else if (old !== undefined && fresh !== undefined) {
        const words = wordSegments(old, fresh);
        rows.push({ kind: 'changed', left: { number: (leftNo += 1), segments: words.left }, right: { number: (rightNo += 1), segments: words.right } });
      } else if (old !== undefined) {
        rows.push({ kind: 'removed', left: { number: (leftNo += 1), segments: whole(old, true) }, right: null });
      } else {
        rows.push({ kind: 'added', left: null, right: { number: (rightNo += 1), segments: whole(fresh!, true) } });
      }
    }
  }
  return rows;
}

/** Counts for the summary line above the view. */
export function diffSummary(rows: readonly DiffRow[]): { changed: number; removed: number; added: number } {
  return {
    changed: rows.filter((r) => r.kind === 'changed').length,
    removed: rows.filter((r) => r.kind === 'removed').length,
    added: rows.filter((r) => r.kind === 'added').length,
  };
}
