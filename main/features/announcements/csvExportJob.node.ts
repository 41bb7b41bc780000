import { appendFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Knex } from 'knex';
import Papa from 'papaparse';
import type { Job, JobCursor, JobKind, JobWork, StepResult } from '../../platform/jobs/job.node.ts';

export const CSV_EXPORT_JOB = 'outreach.csv_export';
/** Rows per batch: each opens 200 sealed records (≈0.1 s), short enough that other calls barely wait. */
export const CSV_EXPORT_BATCH = 200;

/** Stored with the job: where the unfinished file is (so a roll-back can remove it), the position and a count. */
interface CsvCursor {
  partial: string;
  after: JobCursor;
  rows: number;
}

/** What an export reads, page by page in id order. Rows hold personal data: they go only into the file. */
export interface CsvSource {
  readonly header: readonly string[];
  /** `after` is the source's own position (ids and times only: it is stored with the job). */
  page(trx: Knex.Transaction, after: JobCursor, limit: number): Promise<{ rows: string[][]; after: JobCursor; exhausted: boolean }>;
}

/**
 * Writes a CSV in batches. Each batch reads in its own transaction and appends to `<target>.partial` only after
 * that transaction committed (a retried transaction appends once); the finished file is renamed into place, so
 * the chosen name never holds half a list. Cells that a spreadsheet would run as a formula are escaped.
 */
export class CsvExportWork implements JobWork {
  private pending: { chunk: string; first: boolean; finished: boolean } | null = null;
  private readonly partial: string;

  constructor(
    private readonly source: CsvSource,
    private readonly target: string,
    private readonly batch = CSV_EXPORT_BATCH,
  ) {
    this.partial = `${target}.partial`;
  }

  async step(trx: Knex.Transaction, job: Job): Promise<StepResult> {
    const cursor = (job.cursor as CsvCursor | null) ?? { partial: this.partial, after: null, rows: 0 };
    const page = await this.source.page(trx, cursor.after, this.batch);
    const first = cursor.rows === 0 && cursor.after === null;
    const lines = first ? [[...this.source.header], ...page.rows] : page.rows;
    const chunk = lines.length ? `${Papa.unparse(lines, { escapeFormulae: true, newline: '\r\n' })}\r\n` : '';
    this.pending = { chunk, first, finished: page.exhausted };
    const next: CsvCursor = { partial: this.partial, after: page.after ?? cursor.after, rows: cursor.rows + page.rows.length };
    return { done: next.rows, cursor: { ...next }, finished: page.exhausted };
  }

  committed(): void {
    if (!this.pending) return;
    // Owner-only: the file holds names and addresses. The first batch replaces whatever an earlier try left.
    (this.pending.first ? writeFileSync : appendFileSync)(this.partial, this.pending.chunk, { mode: 0o600 });
    if (this.pending.finished) renameSync(this.partial, this.target);
    this.pending = null;
  }
}

/**
 * An export cannot resume after a restart (the destination was chosen in a dialog that is gone): it is rolled
 * back, which removes the unfinished file.
 */
export const csvExportJob: JobKind = {
  kind: CSV_EXPORT_JOB,
  async rollbackBatch(_trx, job) {
    const cursor = job.cursor as CsvCursor | null;
    if (cursor?.partial) rmSync(cursor.partial, { force: true });
    return true;
  },
};
