import Papa from 'papaparse';
import type { z } from 'zod';
import type { ApiEvents } from '../../platform/ipc/events.std.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
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
import { pipelinedWrite } from './bulkWrite.node.ts';
import { INSERT_CHUNK } from '../../platform/store/queries.node.ts';
import type { CustomerStore } from './customerStore.node.ts';

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

function parseCsv(csv: string): { header: string[]; rows: string[][]; malformedRows: Set<number> } {
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const [header, ...rows] = parsed.data;
  if (!header || header.every((h) => !h.trim())) throw new AppError('INVALID_INPUT', 'The file has no header row.');
  // Papa's row numbers count the header as row 0; ours count data rows from 0.
  const malformedRows = new Set(parsed.errors.filter((e) => e.row !== undefined && e.row > 0).map((e) => e.row! - 1));
  return { header: header.map((h) => h.trim()), rows, malformedRows };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * CSV import of an existing customer list. Every row is validated with the same schema as the create form;
 * the valid rows are then sealed and inserted in chunks inside the caller's one transaction, so a cancel or
 * a failure leaves nothing behind. Problems name the row, the field and the rule — never the value.
 */
export class CustomerImportService {
  private readonly running = new Map<string, { userId: string; cancelled: boolean }>();
  /** Cancels that arrived before their run started (the renderer picks the task id up front). */
  private readonly earlyCancels = new Map<string, string>();

  constructor(
    private readonly customers: CustomerStore,
    private readonly emitProgress: ProgressEmitter,
    private readonly options: { progressEvery?: number; chunk?: number } = {},
  ) {}

  preview(csv: string) {
    const { header, rows } = parseCsv(csv);
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
      if (task.userId === userId) task.cancelled = true;
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

  async run(q: Queryable, input: RunInput, caller: { userId: string; senderId: string }): Promise<RunResult> {
    const { taskId } = input;
    if (this.running.has(taskId)) throw new AppError('CONFLICT', 'An import with this task id is already running.');
    const task = { userId: caller.userId, cancelled: this.earlyCancels.get(taskId) === caller.userId };
    this.earlyCancels.delete(taskId);
    this.running.set(taskId, task);
    const checkCancelled = () => {
      if (task.cancelled) throw new AppError('CANCELLED', 'The import was cancelled. Nothing was imported.');
    };
    try {
      checkCancelled();
      const { header, rows, malformedRows } = parseCsv(input.csv);
      const columns = this.columnIndexes(header, input.mapping);
      const total = rows.length;
      const progress = (done: number) => this.emitProgress(caller.senderId, { taskId, done, total });
      progress(0);

      // 1. Validate every row (no database writes yet).
      const problems: Problem[] = [];
      const rejected = new Set<number>();
      const valid: { index: number; details: CustomerDetails; consents: Partial<Record<ConsentPurpose, boolean>>; emailIndex: string }[] = [];
      const firstRowByEmail = new Map<string, number>();
      const reject = (index: number, field: string, problem: string) => {
        rejected.add(index);
        problems.push({ row: index + 2, field, problem });
      };
      for (let i = 0; i < rows.length; i += 1) {
        if (i % 1000 === 999) {
          await yieldToEventLoop();
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
        const emailIndex = this.customers.searchIndex('email', normalizeEmail(result.details.email))!;
        const first = firstRowByEmail.get(emailIndex);
        if (first !== undefined) {
          reject(i, 'email', `Same email address as row ${first + 2}`);
          continue;
        }
        firstRowByEmail.set(emailIndex, i);
        valid.push({ index: i, ...result, emailIndex });
      }
      const existing = await this.customers.existingEmailIndexes(q, valid.map((v) => v.emailIndex));
      const toImport = valid.filter((v) => {
        if (!existing.has(v.emailIndex)) return true;
        reject(v.index, 'email', 'A customer with this email address already exists');
        return false;
      });
      problems.sort((a, b) => a.row - b.row);

      const result: RunResult = {
        taskId,
        totalRows: total,
        validRows: toImport.length,
        imported: 0,
        rejectedRows: rejected.size,
        rejected: problems.slice(0, MAX_IMPORT_PROBLEMS),
        problemsTruncated: problems.length > MAX_IMPORT_PROBLEMS,
        dryRun: input.dryRun,
      };
      if (input.dryRun || (input.requireAllValid && rejected.size > 0) || toImport.length === 0) {
        checkCancelled();
        progress(total);
        return result;
      }

      // 2. Seal and insert the valid rows in chunks, all inside the caller's one transaction.
      const chunk = this.options.chunk ?? INSERT_CHUNK;
      const every = this.options.progressEvery ?? 1000;
      const now = this.customers.now();
      let lastReported = 0;
      const inserted = await pipelinedWrite(
        toImport,
        chunk,
        (batch) => batch.map((v) => this.customers.prepare(v.details, { actorId: caller.userId, now, consents: v.consents, consentChannel: 'import' })),
        (prepared) => this.customers.insertPrepared(q, prepared, chunk),
        {
          beforeChunk: checkCancelled,
          afterChunk: (written) => {
            if (written - lastReported >= every || written === toImport.length) {
              lastReported = written;
              progress(rejected.size + written);
            }
          },
        },
      );
      checkCancelled();
      return { ...result, imported: inserted };
    } finally {
      this.running.delete(taskId);
    }
  }
}
