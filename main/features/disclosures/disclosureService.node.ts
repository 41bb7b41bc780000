import { basename } from 'node:path';
import type { Knex } from 'knex';
import type { Clock } from '../../platform/clock.std.ts';
import type { FileSaver } from '../../platform/files/fileSaver.node.ts';
import type { ApiEvents } from '../../platform/ipc/events.std.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { JobRunner } from '../../platform/jobs/jobRunner.node.ts';
import type { Db, Queryable } from '../../platform/store/database.node.ts';
import type { StaffNameOf } from '../accounts/accounts.port.node.ts';
import type { CustomerPersonalData } from '../customers/customers.port.node.ts';
import { assertCustomersDisclosable } from './disclosureChecks.node.ts';
import type { DisclosureRegister } from './disclosureRegister.node.ts';
import type { DisclosureRequests } from './disclosureRequests.node.ts';
import type { DisclosableField, RecipientKind, ReleaseFormat } from './disclosureRules.std.ts';
import type { CustomerDisclosure, RecipientToTell, RegisterFilter } from './disclosures.contract.std.ts';
import type { CustomerDisclosures } from './disclosures.port.node.ts';
import { oneTimePassphrase, removeIfPresent, sha256Hex, writeWhole } from './releaseFile.node.ts';
import { RELEASE_JOB, ReleaseWork, type ReleaseOutcome } from './releaseJob.node.ts';
import { registerCsv, registerPdf } from './registerExport.node.ts';

/** The files a disclosure produces, as the save dialog offers them. */
const SAVE_FILTERS = {
  csv: { name: 'CSV file', extensions: ['csv'] },
  json: { name: 'JSON file', extensions: ['json'] },
  pdf: { name: 'PDF document', extensions: ['pdf'] },
  age: { name: 'Encrypted file (age)', extensions: ['age'] },
} as const;
type SaveFileType = keyof typeof SAVE_FILTERS;

export type ProgressEmitter = (senderId: string, payload: ApiEvents['progress']) => void;

export interface ReleaseInput {
  taskId: string;
  requestId: string;
  format: ReleaseFormat;
  encrypt: boolean;
}

export interface ReleaseResult extends ReleaseOutcome {
  fileName: string;
  passphrase: string | null;
}

/**
 * Releases and the register's exports and accounting. Requests and recipients have their own modules; this
 * ties them to the job runner, the file saver and the customers' data.
 */
export class DisclosureService implements CustomerDisclosures {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      requests: DisclosureRequests;
      register: DisclosureRegister;
      customers: CustomerPersonalData;
      jobs: JobRunner;
      saver: FileSaver;
      progress: ProgressEmitter;
      /** Rows per release batch (tests use small batches to see several). */
      releaseBatch?: number;
    },
  ) {}

  private async destination(senderId: string, name: string, type: SaveFileType): Promise<string> {
    const chosen = await this.deps.saver.choosePath({ senderId, suggestedName: name, filter: SAVE_FILTERS[type] });
    if (!chosen) throw new AppError('CANCELLED', 'No file was chosen. Nothing was saved.');
    return chosen;
  }

  /**
   * Releases an approved request: checks the rules before asking where to save (so a refusal asks nothing),
   * then runs the release job, which checks them again batch by batch and once more when it registers.
   */
  async release(
    input: ReleaseInput,
    caller: { userId: string; senderId: string },
    publish: (trx: Knex.Transaction, outcome: ReleaseOutcome) => Promise<void>,
  ): Promise<ReleaseResult> {
    const { db, requests } = this.deps;
    const stored = await requests.load(db, input.requestId);
    if (stored.status === 'released') throw new AppError('CONFLICT', 'This request was released already.');
    if (stored.status !== 'approved') throw new AppError('CONFLICT', `This request is ${stored.status}: only an approved request can be released.`);
    if (stored.row.release_state !== 'none') throw new AppError('CONFLICT', 'This request is being released by someone else.');
    await requests.recheck(db, stored, 'release');
    await assertCustomersDisclosable(db, 'release', stored.row.kind, await requests.customerIds(db, stored.row.id));
    const day = this.deps.clock.nowIso().slice(0, 10);
    const extension = input.encrypt ? `${input.format}.age` : input.format;
    const destination = await this.destination(caller.senderId, `disclosure-${day}-${stored.row.id.slice(0, 8)}.${extension}`, input.encrypt ? 'age' : input.format);
    // Generated here, shown once in the reply, never stored or logged.
    const passphrase = input.encrypt ? oneTimePassphrase() : null;
    const work = new ReleaseWork({ requests, register: this.deps.register, customers: this.deps.customers }, stored, {
      releaserId: caller.userId,
      format: input.format,
      passphrase,
      destination,
      batch: this.deps.releaseBatch,
      publish,
    });
    const total = Number(stored.row.customer_count);
    const handle = await this.deps.jobs.start(RELEASE_JOB, work, {
      startedBy: caller.userId,
      total,
      onProgress: (job) => this.deps.progress(caller.senderId, { taskId: input.taskId, done: job.done, total }),
    });
    try {
      await handle.result;
    } catch (error) {
      work.discard();
      throw error;
    }
    if (!work.outcome) throw new AppError('CONFLICT', 'The release did not complete. Nothing was released.');
    return { ...work.outcome, fileName: basename(destination), passphrase };
  }

  /** Writes the filtered register as CSV or PDF where the caller chooses; returns its hash. */
  async exportRegister(
    q: Queryable,
    input: { filter: RegisterFilter; format: 'csv' | 'pdf' },
    senderId: string,
    nameOf: StaffNameOf,
  ): Promise<{ fileName: string; fileSha256: string; entries: number }> {
    const entries = await this.deps.register.all(q, input.filter);
    const now = this.deps.clock.nowIso();
    const bytes =
      input.format === 'csv'
        ? registerCsv(entries, nameOf)
        : await registerPdf(entries, nameOf, { generatedAt: now, filter: describeFilter(input.filter) });
    const destination = await this.destination(senderId, `disclosure-register-${now.slice(0, 10)}.${input.format}`, input.format);
    try {
      writeWhole(destination, bytes);
    } catch (error) {
      removeIfPresent(destination);
      throw error;
    }
    return { fileName: basename(destination), fileSha256: sha256Hex(bytes), entries: entries.length };
  }

  async disclosuresAbout(q: Queryable, customerId: string): Promise<CustomerDisclosure[]> {
    const entries = await this.deps.register.releasesAbout(q, customerId);
    const out: CustomerDisclosure[] = [];
    for (const entry of entries) {
      const request = entry.requestId ? await this.deps.requests.load(q, entry.requestId).catch(() => null) : null;
      const texts = request ? await this.deps.requests.texts(q, request.row) : null;
      out.push({
        entryId: entry.id,
        releasedAt: entry.recordedAt,
        recipientId: entry.recipientId!,
        recipientName: entry.recipientName ?? '(unknown recipient)',
        recipientVersion: entry.recipientVersion ?? 0,
        kind: entry.kind!,
        fields: entry.fields,
        purpose: texts?.purpose ?? '(not recorded)',
        legalReference: entry.legalReference,
        corrected: entry.correctedBy.length > 0,
      });
    }
    return out;
  }

  async recipientsToTell(q: Queryable, customerId: string): Promise<RecipientToTell[]> {
    const entries = await this.deps.register.releasesAbout(q, customerId);
    const names = await this.deps.register.recipientNames(q, entries.map((e) => e.recipientId!).filter(Boolean));
    const byRecipient = new Map<string, { last: string; fields: Set<DisclosableField> }>();
    for (const entry of entries) {
      if (!entry.recipientId) continue;
      const seen = byRecipient.get(entry.recipientId) ?? { last: entry.recordedAt, fields: new Set<DisclosableField>() };
      if (entry.recordedAt > seen.last) seen.last = entry.recordedAt;
      for (const f of entry.fields) seen.fields.add(f);
      byRecipient.set(entry.recipientId, seen);
    }
    // Recipients are never deleted (only deactivated), so each entry's recipient is found.
    return [...byRecipient.entries()].flatMap(([recipientId, seen]) => {
      const recipient = names.get(recipientId);
      return recipient ? [{ recipientId, recipientName: recipient.name, kind: recipient.kind as RecipientKind, lastReleasedAt: seen.last, fields: [...seen.fields] }] : [];
    });
  }
}

function describeFilter(filter: RegisterFilter): string {
  const parts = Object.entries(filter)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${String(v)}`);
  return parts.length ? parts.join(', ') : 'none (all entries)';
}

