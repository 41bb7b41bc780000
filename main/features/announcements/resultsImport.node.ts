import Papa from 'papaparse';
import { z } from 'zod';
import type { RecipientStatus } from './announcements.contract.std.ts';
import { MAX_RESULT_PROBLEMS } from './announcements.contract.std.ts';

/**
 * The mail system's results file: one row per recipient, `recipient_id` (as the mailing list gave it) and
 * `status`. Spellings mail systems use are accepted; anything else is reported by line, never by value (a
 * malformed row may hold an address).
 */
const STATUS_WORDS: Record<string, Exclude<RecipientStatus, 'queued' | 'acknowledged'>> = {
  sent: 'sent',
  delivered: 'sent',
  ok: 'sent',
  bounced: 'bounced',
  bounce: 'bounced',
  failed: 'bounced',
  undeliverable: 'bounced',
  rejected: 'bounced',
};
const uuid = z.string().uuid();

export interface ParsedResult {
  line: number;
  recipientId: string;
  status: 'sent' | 'bounced';
}
export interface ResultProblem {
  line: number;
  problem: string;
}

const squash = (header: string) => header.toLowerCase().replace(/[^a-z]+/g, '');
const ID_HEADERS = new Set(['recipientid', 'recipient', 'id', 'customerid']);
const STATUS_HEADERS = new Set(['status', 'result', 'outcome', 'deliverystatus']);

/** Parses and checks the file's shape and each row; membership is checked against the store afterwards. */
export function parseResults(csv: string): { rows: ParsedResult[]; problems: ResultProblem[]; fileProblem: string | null } {
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const [header, ...body] = parsed.data;
  if (!header) return { rows: [], problems: [], fileProblem: 'The file has no header row.' };
  const idColumn = header.findIndex((h) => ID_HEADERS.has(squash(h)));
  const statusColumn = header.findIndex((h) => STATUS_HEADERS.has(squash(h)));
  if (idColumn < 0 || statusColumn < 0) return { rows: [], problems: [], fileProblem: 'The header needs the columns recipient_id and status.' };
  const rows: ParsedResult[] = [];
  const problems: ResultProblem[] = [];
  const seen = new Set<string>();
  // Papa numbers rows from the header (row 0); body row i is Papa's row i + 1 and the file's line i + 2.
  const malformed = new Set(parsed.errors.map((e) => e.row));
  body.forEach((cells, index) => {
    const line = index + 2;
    if (malformed.has(index + 1) || cells.length !== header.length) return void problems.push({ line, problem: `Expected ${header.length} columns, found ${cells.length}` });
    const id = (cells[idColumn] ?? '').trim().toLowerCase();
    const status = STATUS_WORDS[(cells[statusColumn] ?? '').trim().toLowerCase()];
    if (!uuid.safeParse(id).success) return void problems.push({ line, problem: 'recipient_id is not a recipient id from the mailing list' });
    if (!status) return void problems.push({ line, problem: 'status is not one of sent, delivered, bounced, failed' });
    if (seen.has(id)) return void problems.push({ line, problem: 'This recipient appears earlier in the file; the later row was ignored' });
    seen.add(id);
    rows.push({ line, recipientId: id, status });
  });
  return { rows, problems, fileProblem: null };
}

export function truncateProblems(problems: ResultProblem[]): { problems: ResultProblem[]; problemsTruncated: boolean } {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  return { problems: sorted.slice(0, MAX_RESULT_PROBLEMS), problemsTruncated: sorted.length > MAX_RESULT_PROBLEMS };
}
