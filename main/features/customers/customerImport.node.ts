import type { Knex } from 'knex';
import Papa from 'papaparse';
import type { z } from 'zod';
import type { ApiEvents } from '../../platform/ipc/events.std.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { timeSlicer } from '../../platform/jobs/job.node.ts';
import type { JobRunner } from '../../platform/jobs/jobRunner.node.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { isCardSecurityCodeKey } from '../../shared/cardSecurityCode.std.ts';
import { IMPORTABLE_CONSENTS, type ConsentPurpose } from './consents.std.ts';
import {
  IMPORT_FIELDS,
  MAX_IMPORT_PROBLEMS,
  REQUIRED_IMPORT_FIELDS,
  type customersChannels,
  type ImportField,
} from './customers.contract.std.ts';
import { customerDetails, normalizeEmail, type CustomerDetails } from './customerFields.std.ts';
import type { CustomerStore } from './customerStore.node.ts';
import { CUSTOMER_IMPORT_JOB, ImportWork, type ImportRow } from './importJob.node.ts';

type RunInput = z.output<(typeof customersChannels)['customers.importRun']['input']>;
type RunResult = z.input<(typeof customersChannels)['customers.importRun']['output']>;
type Problem = { row: number; field: string; problem: string };
export type ProgressEmitter = (senderId: string, payload: ApiEvents['progress']) => void;

/** Header spellings the preview recognises, after lower-casing and dropping everything but letters and digits. */
const SYNONYMS: Record<ImportField, readonly string[]> = {
  kind: ['kind', 'type', 'customertype', 'contacttype'],
  givenName: ['givenname', 'firstname', 'first', 'forename', 'forenames', 'fname'],
  familyName: ['familyname', 'lastname', 'last', 'surname', 'lname'],
  organisationName: ['organisation', 'organization', 'organisationname', 'organizationname', 'company', 'companyname', 'business', 'client'],
  email: ['email', 'emailaddress', 'mail', 'eaddress'],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'mobilenumber', 'cell', 'contactnumber'],
  street: ['street', 'streetaddress', 'address', 'address1', 'addressline1', 'line1', 'shippingaddress', 'shippingstreet'],
  city: ['city', 'town', 'locality', 'shippingcity'],
  region: ['region', 'state', 'county', 'province', 'stateprovince'],
  postalCode: ['postalcode', 'postcode', 'zip', 'zipcode', 'postal', 'shippingpostcode', 'shippingzip'],
  country: ['country', 'countrycode', 'shippingcountry'],
  dateOfBirth: ['dateofbirth', 'dob', 'birthdate', 'birthday', 'born'],
  newsletter: ['newsletter', 'newsletteroptin', 'marketingnewsletter'],
  productUpgrades: ['productupgrades', 'upgrades', 'productupdates', 'newproducts'],
  research: ['research', 'researchoptin', 'surveys'],
};

/** Columns that look like card data: never mapped, never imported, named in the preview. */
const CARD_COLUMN = /(^|[^a-z])(card|cc|pan|cvv2?|cvc2?|csc|expiry|expiration|exp)([^a-z]|$)|cardnumber|creditcard|securitycode/i;

const squash = (header: string) => header.toLowerCase().replace(/[^a-z0-9]+/g, '');
const YES = new Set(['yes', 'y', 'true', '1', 'x', 'optin', 'optedin', 'subscribed']);
const NO = new Set(['no', 'n', 'false', '0', 'optout', 'optedout', 'unsubscribed']);
const KINDS: Record<string, CustomerDetails['kind']> = {
  person: 'person',
  individual: 'person',
  consumer: 'person',
  organisation: 'organisation_contact',
  organization: 'organisation_contact',
  organisationcontact: 'organisation_contact',
  organizationcontact: 'organisation_contact',
  company: 'organisation_contact',
  business: 'organisation_contact',
  client: 'organisation_contact',
};

export function isRefusedColumn(header: string): boolean {
  return CARD_COLUMN.test(header) || isCardSecurityCodeKey(header.replace(/\s+/g, ''));
}

/** Characters parsed between two yields to the event loop (a few ms of work). */
const PARSE_SLICE = 64 * 1024;

/**
 * Parses the CSV in slices, yielding to the event loop between them, so a 20 MB file never blocks other calls.
 * `between` runs at every yield (a cancel check may throw there).
 */
async function parseCsv(csv: string, between?: () => void): Promise<{ header: string[]; rows: string[][]; malformedRows: Set<number> }> {
  const all: string[][] = [];
  const malformed = new Set<number>();
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(csv.startsWith('\uFEFF') ? csv.slice(1) : csv, {
      skipEmptyLines: 'greedy',
      chunkSize: PARSE_SLICE,
      chunk(result: Papa.ParseResult<string[]>, parser: Papa.Parser) {
        // Papa's error rows count from the start of the slice; ours count from the header (row 0).
        for (const e of result.errors) if (e.row !== undefined) malformed.add(all.length + e.row);
        for (const row of result.data) all.push(row);
        parser.pause();
        setImmediate(() => {
          try {
            between?.();
          } catch (error) {
            parser.abort();
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          parser.resume();
        });
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });
  const [header, ...rows] = all;
  if (!header || header.every((h) => !h.trim())) throw new AppError('INVALID_INPUT', 'The file has no header row.');
  // Data rows count from 0 (the row after the header).
  const malformedRows = new Set([...malformed].filter((row) => row > 0).map((row) => row - 1));
  return { header: header.map((h) => h.trim()), rows, malformedRows };
}

/**
 * CSV import of an existing customer list. Every row is validated with the same schema as the create form;
 * the valid rows are then written by a job (`importJob.node.ts`): staged batch by batch, each batch its own
 * short transaction, and published in one final transaction — so an import lands whole or not at all, also
 * after a cancel, a failure or a kill (recovery at the next open rolls it back). Problems name the row, the
 * field and the rule — never the value.
 */
export class CustomerImportService {
  private readonly running = new Map<string, { userId: string; cancelled: boolean; jobId: string | null }>();
  /** Cancels that arrived before their run started (the renderer picks the task id up front). */
  private readonly earlyCancels = new Map<string, string>();

  constructor(
    private readonly customers: CustomerStore,
    private readonly jobs: JobRunner,
    private readonly emitProgress: ProgressEmitter,
    private readonly options: { progressEvery?: number; batch?: number } = {},
  ) {}

  async preview(csv: string) {
    const { header, rows } = await parseCsv(csv);
    const refusedColumns = header.filter((h) => h && isRefusedColumn(h));
    const suggestedMapping: Partial<Record<ImportField, string>> = {};
    const used = new Set<string>();
    for (const field of IMPORT_FIELDS) {
      const column = header.find((h) => !used.has(h) && !refusedColumns.includes(h) && SYNONYMS[field].includes(squash(h)));
      if (column) {
        suggestedMapping[field] = column;
        used.add(column);
      }
    }
    return {
      columns: header,
      rowCount: rows.length,
      suggestedMapping: suggestedMapping as Record<string, string>,
      requiredFields: [...REQUIRED_IMPORT_FIELDS],
      fields: [...IMPORT_FIELDS],
      refusedColumns,
    };
  }

  /** Marks a run of this user's for cancellation. Idempotent; a cancel for a run not yet started is remembered. */
  cancel(taskId: string, userId: string): void {
    const task = this.running.get(taskId);
    if (task) {
      if (task.userId !== userId) return;
      task.cancelled = true;
      if (task.jobId) this.jobs.cancel(task.jobId);
      return;
    }
    this.earlyCancels.set(taskId, userId);
    if (this.earlyCancels.size > 100) this.earlyCancels.delete(this.earlyCancels.keys().next().value!);
  }

  private columnIndexes(header: string[], mapping: RunInput['mapping']): Map<ImportField, number> {
    const indexes = new Map<ImportField, number>();
    const seen = new Map<string, ImportField>();
    for (const field of IMPORT_FIELDS) {
      const column = mapping[field];
      if (column === undefined) continue;
      const positions = header.flatMap((h, i) => (h === column.trim() ? [i] : []));
      if (positions.length === 0) throw new AppError('INVALID_INPUT', `Invalid request — mapping.${field}: no column with this name in the file`);
      if (positions.length > 1) throw new AppError('INVALID_INPUT', `Invalid request — mapping.${field}: the file has more than one column with this name`);
      if (isRefusedColumn(column)) throw new AppError('INVALID_INPUT', `Invalid request — mapping.${field}: card data columns are never imported`);
      const other = seen.get(column);
      if (other) throw new AppError('INVALID_INPUT', `Invalid request — mapping.${field}: this column is already mapped to ${other}`);
      seen.set(column, field);
      indexes.set(field, positions[0]!);
    }
    const missing = REQUIRED_IMPORT_FIELDS.filter((f) => !indexes.has(f));
    if (missing.length) throw new AppError('INVALID_INPUT', `Invalid request — mapping: map a column to ${missing.join(', ')}`);
    return indexes;
  }

  /** One row → customer details and consents, or the problems found (field names and rules only). */
  private validateRow(
    cells: string[],
    columns: Map<ImportField, number>,
    width: number,
  ): { details: CustomerDetails; consents: Partial<Record<ConsentPurpose, boolean>> } | { problems: { field: string; problem: string }[] } {
    if (cells.length !== width) return { problems: [{ field: '(row)', problem: `Has ${cells.length} columns; the header has ${width}` }] };
    const cell = (field: ImportField): string | undefined => {
      const i = columns.get(field);
      const value = i === undefined ? undefined : cells[i]?.trim();
      return value ? value : undefined;
    };
    const problems: { field: string; problem: string }[] = [];
    const rawKind = cell('kind');
    const kind = rawKind === undefined ? (cell('organisationName') ? 'organisation_contact' : 'person') : KINDS[squash(rawKind)];
    if (!kind) problems.push({ field: 'kind', problem: 'Use person or organisation' });
    const consents: Partial<Record<ConsentPurpose, boolean>> = {};
    for (const purpose of IMPORTABLE_CONSENTS) {
      const raw = cell(purpose);
      if (raw === undefined) continue;
      const word = squash(raw);
      if (YES.has(word)) consents[purpose] = true;
      else if (!NO.has(word)) problems.push({ field: purpose, problem: 'Use yes or no' });
    }
    const candidate = {
      kind: kind ?? 'person',
      givenName: cell('givenName'),
      familyName: cell('familyName'),
      organisationName: cell('organisationName'),
      email: cell('email'),
      phone: cell('phone'),
      shippingAddress: { street: cell('street'), city: cell('city'), region: cell('region'), postalCode: cell('postalCode'), country: cell('country') },
      dateOfBirth: cell('dateOfBirth'),
    };
    const parsed = customerDetails.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] === 'shippingAddress' ? (issue.path[1] ?? 'shippingAddress') : (issue.path[0] ?? '(row)'));
        const problem = issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'Required' : issue.message;
        problems.push({ field, problem });
      }
    } else {
      const dob = this.customers.dateOfBirthProblem(parsed.data.dateOfBirth);
      if (dob) problems.push({ field: 'dateOfBirth', problem: dob });
    }
    if (problems.length || !parsed.success) return { problems };
    return { details: parsed.data, consents };
  }

  /**
   * `q` is the plain connection (the channel is not transactional): the job owns its transactions. `publish`
   * runs inside the final, publishing transaction (the channel writes its audit event there).
   */
  async run(
    q: Queryable,
    input: RunInput,
    caller: { userId: string; senderId: string },
    hooks: { publish?: (trx: Knex.Transaction, counts: { totalRows: number; imported: number; rejectedRows: number }) => Promise<void> } = {},
  ): Promise<RunResult> {
    const { taskId } = input;
    if (this.running.has(taskId)) throw new AppError('CONFLICT', 'An import with this task id is already running.');
    const task = { userId: caller.userId, cancelled: this.earlyCancels.get(taskId) === caller.userId, jobId: null as string | null };
    this.earlyCancels.delete(taskId);
    this.running.set(taskId, task);
    const cancelled = () => new AppError('CANCELLED', 'The import was cancelled. Nothing was imported.');
    const checkCancelled = () => {
      if (task.cancelled) throw cancelled();
    };
    try {
      checkCancelled();
      const { header, rows, malformedRows } = await parseCsv(input.csv, checkCancelled);
      const columns = this.columnIndexes(header, input.mapping);
      const total = rows.length;
      const progress = (done: number) => this.emitProgress(caller.senderId, { taskId, done, total });
      progress(0);

      // 1. Validate every row (no database writes yet), in time slices that yield to the event loop.
      const slice = timeSlicer();
      const problems: Problem[] = [];
      const rejected = new Set<number>();
      const valid: ImportRow[] = [];
      const firstRowByEmail = new Map<string, number>();
      const reject = (index: number, field: string, problem: string) => {
        rejected.add(index);
        problems.push({ row: index + 2, field, problem });
      };
      for (let i = 0; i < rows.length; i += 1) {
        const yielded = slice();
        if (yielded) {
          await yielded;
          checkCancelled();
        }
        if (malformedRows.has(i)) {
          reject(i, '(row)', 'Malformed CSV (unbalanced quotes or delimiters)');
          continue;
        }
        const result = this.validateRow(rows[i]!, columns, header.length);
        if ('problems' in result) {
          for (const p of result.problems) reject(i, p.field, p.problem);
          continue;
        }
        const email = normalizeEmail(result.details.email);
        const first = firstRowByEmail.get(email);
        if (first !== undefined) {
          reject(i, 'email', `Same email address as row ${first + 2}`);
          continue;
        }
        firstRowByEmail.set(email, i);
        valid.push({ index: i, ...result });
      }
      const EXISTS = 'A customer with this email address already exists';
      await this.customers.freshIndexKeys(q);
      const existing = await this.customers.takenEmails(q, valid.map((v) => v.details.email));
      const toImport = valid.filter((v, position) => {
        if (!existing.has(position)) return true;
        reject(v.index, 'email', EXISTS);
        return false;
      });

      let takenLater = 0;
      const report = (imported: number): RunResult => {
        problems.sort((a, b) => a.row - b.row);
        return {
          taskId,
          totalRows: total,
          validRows: toImport.length - takenLater,
          imported,
          rejectedRows: rejected.size,
          rejected: problems.slice(0, MAX_IMPORT_PROBLEMS),
          problemsTruncated: problems.length > MAX_IMPORT_PROBLEMS,
          dryRun: input.dryRun,
        };
      };
      if (input.dryRun || (input.requireAllValid && rejected.size > 0) || toImport.length === 0) {
        checkCancelled();
        progress(total);
        return report(0);
      }

      // 2. A job stages the valid rows batch by batch and publishes them in one final transaction.
      const every = this.options.progressEvery ?? 1000;
      let lastReported = 0;
      const work = new ImportWork(this.customers, toImport, {
        actorId: caller.userId,
        now: this.customers.now(),
        doneBefore: rejected.size,
        total,
        ...(this.options.batch ? { batch: this.options.batch } : {}),
        onTaken: (row) => {
          takenLater += 1;
          reject(row.index, 'email', EXISTS);
          if (input.requireAllValid) throw new AppError('CONFLICT', `${EXISTS} (row ${row.index + 2}). Nothing was imported.`);
        },
        publish: async (trx, published) => {
          checkCancelled();
          await hooks.publish?.(trx, { totalRows: total, imported: published, rejectedRows: rejected.size });
        },
      });
      const job = await this.jobs.start(CUSTOMER_IMPORT_JOB, work, {
        startedBy: caller.userId,
        total,
        cancelError: cancelled,
        onProgress: ({ done }) => {
          if (done - lastReported >= every || done === total) {
            lastReported = done;
            progress(done);
          }
        },
      });
      task.jobId = job.id;
      if (task.cancelled) this.jobs.cancel(job.id);
      await job.result;
      return report(work.published);
    } finally {
      this.running.delete(taskId);
    }
  }
}
