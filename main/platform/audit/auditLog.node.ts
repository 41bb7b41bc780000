import { createHmac, createSecretKey, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Clock } from '../clock.std.ts';
import type { KeyRing } from '../crypto/keyRing.node.ts';
import type { Db, Queryable } from '../store/database.node.ts';
import { dialectOf, type AuditStaging } from '../store/dialect.node.ts';
import { countRows, insertChunked } from '../store/queries.node.ts';
import { inTransaction, withRetries } from '../store/transaction.node.ts';
import { auditDetails, type AuditDetails, type AuditOutcome, type AuditVerification } from './auditEvent.std.ts';
import type { AuditSink, NewAuditEvent } from './auditSink.node.ts';
import { INTEGRITY_ACTION, type WitnessedHead } from './chainWitness.node.ts';

export type { AuditSink, NewAuditEvent } from './auditSink.node.ts';

export interface AuditRow {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  outcome: AuditOutcome;
  details: string;
  prev_hash: string;
  hash: string;
  /** Version of the audit domain key the hash was made with. */
  key_version: number;
}

const GENESIS = '0'.repeat(64);
/** Events read per query while verifying. */
const VERIFY_PAGE = 5000;
const HEAD_KEY = 'audit_head';
const STAGED_TABLE = 'audit_staged';
/** Staged events chained per batch (one transaction each in `sealStaged`; all in the caller's in `sealStagedIn`). */
const SEAL_BATCH = 500;
/** Where the head and the staged events are, for the dialect's seal (both seals take the same batch). */
const STAGED_EVENTS = { headTable: 'meta', headKey: HEAD_KEY, stagedTable: STAGED_TABLE, limit: SEAL_BATCH, eventsTable: 'audit_events' };
/** What the chain records in place of a staged event that was altered while it waited. */
export const STAGED_ALTERED_ACTION = 'audit.staged_event_altered';

/** An event as hashed: everything but its place in the chain. */
type EventBody = Pick<AuditRow, 'at' | 'actor_id' | 'action' | 'outcome' | 'details'>;

/** An event waiting in `audit_staged` (migration 0021). */
interface StagedRow extends EventBody {
  id: string;
  key_version: number;
  mac: string;
}

export interface AuditLogOptions {
  /**
   * First-run setup is itself audited under this action. Whenever `happened` says setup has taken place (accounts
   * exist), the chain must hold that event: otherwise the log was wiped, which the chain alone cannot show.
   */
  firstRun: { action: string; happened(q: Queryable): Promise<boolean> };
  /** Told after every append (the chain witness schedules its refresh; it never runs inside the transaction). */
  onAppend?: () => void;
  /** The head witnessed outside the database (chainWitness.node.ts): the chain must still hold it. */
  witnessed?: () => WitnessedHead | null;
}

/** What the start-up check appended when it found the chain cut short: where it ended, which head it missed. */
const integrityDetails = z.object({ witnessedSeq: z.number(), chainEndsAt: z.number() }).passthrough();

/** Sorted keys so the same event always hashes the same way. */
function canonicalDetails(details: AuditDetails): string {
  return JSON.stringify(Object.fromEntries(Object.entries(details).sort(([a], [b]) => a.localeCompare(b))));
}

/**
 * Append-only, hash-chained audit log. Each hash is an HMAC (key derived from the KEK) over the previous hash
 * and the event, so editing, inserting or deleting an event breaks the chain at that sequence number, and a
 * copied database cannot be re-chained without the key.
 */
export class AuditLog implements AuditSink {
  /** Transactions that have taken the head's lock (held until they end; a retried call runs in a new one). */
  private readonly holdingHead = new WeakSet<Queryable>();

  constructor(
    private readonly db: Db,
    private readonly ring: () => KeyRing,
    private readonly clock: Clock,
    private readonly options: AuditLogOptions,
  ) {}

  /** The version is not hashed: a changed version selects another key, so the hash no longer verifies. */
  private hash(key: Buffer | KeyObject, prevHash: string, row: Omit<AuditRow, 'prev_hash' | 'hash' | 'key_version'>): string {
    const body = [row.seq, row.at, row.actor_id ?? '', row.action, row.outcome, row.details].join('\u001f');
    return createHmac('sha256', key).update(`${prevHash}\u001e${body}`).digest('hex');
  }

  /** The audit key an event names, or null for a version this database does not hold. */
  private keyFor(version: number): Buffer | null {
    try {
      return this.ring().domainKey('audit', Number(version)).key;
    } catch {
      return null;
    }
  }

  /** Appends inside the caller's transaction, or its own. The head row serialises concurrent writers. */
  async append(q: Queryable, event: NewAuditEvent): Promise<number> {
    if (!q.isTransaction) {
      return inTransaction(this.db, async (trx) => {
        await this.reserve(trx);
        return this.append(trx, event);
      });
    }
    return this.extend(q as Knex.Transaction, [this.bodyOf(event, this.clock.nowIso())]);
  }

  /**
   * Appends many events in the caller's transaction under one lock of the head: the same chain, hashes and
   * key version as one `append` after another, with the rows inserted in chunks and the head written once.
   * For bulk work that records an event per item (and the benchmark's million-event chain).
   */
  async appendBatch(q: Knex.Transaction, events: readonly NewAuditEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    return this.extend(q, events.map((event) => this.bodyOf(event, this.clock.nowIso())));
  }

  /**
   * Records a reads-only call's event in the caller's transaction. Where workstations share the chain
   * (the dialect's `auditStaging`) the event is staged, touching no head, and `sealStaged` must be called after the commit;
   * elsewhere it is appended at once. Returns whether it was staged.
   */
  async stage(q: Queryable, event: NewAuditEvent): Promise<boolean> {
    if (!q.isTransaction || !dialectOf(q).auditStaging) {
      await this.append(q, event);
      return false;
    }
    const key = this.ring().audit;
    const row = { id: randomUUID(), ...this.bodyOf(event, this.clock.nowIso()), key_version: key.version };
    await q(STAGED_TABLE).insert({ ...row, mac: this.stagedMac(key.key, row) });
    return true;
  }

  /**
   * Chains every staged event (of this workstation and the others), oldest first, under one hold of the head, in
   * its own short transaction; returns how many. Whoever holds the head next takes all that waits, so the head is
   * held once per batch of calls, not once per call. A staged event whose MAC fails was altered while it waited:
   * the chain records that finding in its place. Does nothing where events are never staged.
   */
  async sealStaged(): Promise<number> {
    const staging = dialectOf(this.db).auditStaging;
    if (!staging) return 0;
    let sealed = 0;
    for (;;) {
      const batch = await withRetries(this.db, () => this.sealOwnBatch(staging));
      sealed += batch;
      if (batch < SEAL_BATCH) return sealed;
    }
  }

  /** One batch of `sealStaged`: the dialect's two-round-trip seal; the first event of a chain goes the long way. */
  private async sealOwnBatch(staging: AuditStaging): Promise<number> {
    let headMissing = false;
    const sealed = await staging.sealInOwnTransaction(this.db, STAGED_EVENTS, ({ head, staged }) => {
      if (staged.length === 0) return null;
      // No head yet (nothing ever appended): `extend` creates it, in a transaction of knex's.
      if (head === null) {
        headMissing = true;
        return null;
      }
      return this.chained(head, this.sealedBodies(staged));
    });
    // Inside `sealStaged`'s retries already: one knex transaction, not retried again on its own.
    if (headMissing) return this.db.transaction((trx) => this.sealBatch(trx), { isolationLevel: 'read committed' });
    if (sealed > 0) this.options.onAppend?.();
    return sealed;
  }

  /**
   * As `sealStaged`, in the caller's transaction, which then holds the head until it commits: what an auditor's
   * verify or head export does first, so the chain it checks holds every event a workstation has committed (one
   * that died before its seal included). Returns how many were chained; 0 where events are never staged. Call it
   * after the head is reserved (the router does so first in every audited writing call): a SERIALIZABLE transaction
   * that has read before taking the lock would fail here with a serialization error and be retried.
   */
  async sealStagedIn(q: Queryable): Promise<number> {
    if (!dialectOf(q).auditStaging) return 0;
    if (!q.isTransaction) throw new Error('sealStagedIn needs the transaction that holds the audit head');
    let sealed = 0;
    for (;;) {
      const batch = await this.sealBatch(q as Knex.Transaction);
      sealed += batch;
      if (batch < SEAL_BATCH) return sealed;
    }
  }

  private async sealBatch(trx: Knex.Transaction): Promise<number> {
    const staging = dialectOf(trx).auditStaging;
    if (!staging) return 0;
    // The head is locked before the staged rows are read (a sealer reading them first could chain rows another
    // sealer chains while it waits, and chain them twice); they are taken out of staging in the same round trip,
    // and the chain is extended in the same transaction, so a failure puts them all back.
    const { head, staged } = await staging.takeStaged(trx, STAGED_EVENTS);
    this.holdingHead.add(trx);
    if (staged.length === 0) return 0;
    await this.extend(trx, this.sealedBodies(staged), head ?? undefined);
    return staged.length;
  }

  /** Staged rows as the chain records them, oldest first (by time, then id: the order `takeStaged` took them in). */
  private sealedBodies(staged: readonly Record<string, unknown>[]): EventBody[] {
    const rows = [...(staged as unknown as StagedRow[])].sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1));
    return rows.map((row) => this.sealedBodyOf(row));
  }

  private stagedMac(key: Buffer, row: Omit<StagedRow, 'mac'>): string {
    const body = [row.id, row.at, row.actor_id ?? '', row.action, row.outcome, row.details].join('\u001f');
    return createHmac('sha256', key).update(`staged\u001e${body}`).digest('hex');
  }

  private sealedBodyOf(row: StagedRow): EventBody {
    const key = this.keyFor(Number(row.key_version));
    const expected = key ? Buffer.from(this.stagedMac(key, row), 'hex') : null;
    const stored = Buffer.from(String(row.mac), 'hex');
    if (expected && stored.length === expected.length && timingSafeEqual(stored, expected)) {
      return { at: row.at, actor_id: row.actor_id, action: row.action, outcome: row.outcome, details: row.details };
    }
    return { at: this.clock.nowIso(), actor_id: null, action: STAGED_ALTERED_ACTION, outcome: 'failed', details: canonicalDetails({ stagedId: row.id }) };
  }

  private bodyOf(event: NewAuditEvent, at: string): EventBody {
    return { at, actor_id: event.actorId, action: event.action, outcome: event.outcome, details: canonicalDetails(auditDetails.parse(event.details ?? {})) };
  }

  /**
   * Extends the chain by `bodies` in the caller's transaction: one lock and one write of the head; returns the last
   * seq. `lockedHead` is the head's value when the caller has already locked and read it (a seal).
   */
  private async extend(q: Knex.Transaction, bodies: readonly EventBody[], lockedHead?: string): Promise<number> {
    const dialect = dialectOf(q);
    await dialect.claimWrite(q);
    // The table lock before the head's row lock, in every appender (the router's writers take it first): a
    // sealer and a job appending directly then queue in one order and never deadlock.
    await this.reserve(q);
    const lockHead = () => dialect.forUpdate(q('meta').where({ key: HEAD_KEY })).first<{ value: string } | undefined>();
    let head = lockedHead === undefined ? await lockHead() : { value: lockedHead };
    if (!head) {
      // The very first event: two workstations may both find no head. Both create it (the second's insert does
      // nothing), then both lock the one row, so their appends still take turns and make one chain.
      await q('meta').insert({ key: HEAD_KEY, value: `0:${GENESIS}` }).onConflict('key').ignore();
      head = await lockHead();
    }
    const { rows, head: next } = this.chained(head?.value ?? `0:${GENESIS}`, bodies);
    await insertChunked(q, 'audit_events', rows, 500);
    await q('meta').where({ key: HEAD_KEY }).update({ value: next });
    this.options.onAppend?.();
    return Number(next.split(':')[0]);
  }

  /** `bodies` chained after the head `seq:hash` (no database access): the rows to insert and the head's new value. */
  private chained(head: string, bodies: readonly EventBody[]): { rows: AuditRow[]; head: string } {
    const [seqText, headHash] = head.split(':');
    const lastSeq = Number(seqText);
    const key = this.ring().audit;
    let prevHash = headHash ?? GENESIS;
    const rows = bodies.map((body, i): AuditRow => {
      const row = { seq: lastSeq + 1 + i, ...body };
      const hash = this.hash(key.key, prevHash, row);
      const chained = { ...row, prev_hash: prevHash, hash, key_version: key.version };
      prevHash = hash;
      return chained;
    });
    return { rows, head: `${lastSeq + bodies.length}:${prevHash}` };
  }

  /**
   * Every append extends the one head, so appending transactions run one at a time on PostgreSQL. Taken first in
   * the transaction (the router does so for every audited writing call; reads-only calls stage instead), they
   * queue for the head instead of failing with a serialization error when they reach it. SQLite: nothing to do.
   */
  async reserve(q: Queryable): Promise<void> {
    // Once per transaction: the router reserves first and the append reserves again, and a lock held until the
    // commit needs no second round trip to the server.
    if (!q.isTransaction || this.holdingHead.has(q)) return;
    // The head lives in `meta`: the lock is taken there, so the app's role needs no UPDATE, DELETE or TRUNCATE
    // on audit_events (which a lock mode that excludes writers would require on that table).
    await dialectOf(q).lockForAppend(q as Knex.Transaction, 'meta');
    this.holdingHead.add(q);
  }

  async list(q: Queryable, opts: { beforeSeq?: number; limit: number } & AuditListFilter): Promise<{ rows: AuditRow[]; total: number }> {
    const base = q<AuditRow>('audit_events').modify((b) => filterEvents(b, opts));
    const rows = await base
      .clone()
      .modify((b) => {
        if (opts.beforeSeq) b.where('seq', '<', opts.beforeSeq);
      })
      .orderBy('seq', 'desc')
      .limit(opts.limit);
    const total = await countRows(base);
    return { rows, total };
  }

  /** The distinct action names in the log, sorted. */
  async actions(q: Queryable): Promise<string[]> {
    const rows = await q('audit_events').distinct('action').orderBy('action');
    return rows.map((r: { action: string }) => r.action);
  }

  /** Walks the whole chain and reports the first sequence number that does not verify. */
  async verify(q: Queryable = this.db, against: readonly WitnessedHead[] = [], opts: { onProgress?: (checked: number, total: number) => void } = {}): Promise<AuditVerification> {
    return (await this.verifyChain(q, against, opts)).result;
  }

  /**
   * Walks the whole chain and reports the first sequence number that does not verify; also the last event's
   * (seq, hash) when it does. `against` are heads witnessed outside the database (besides the workstation's own
   * witness): the chain must still hold each of them. Holding MORE than a witness is fine (others appended since).
   * `onProgress` is told (events checked, events in the chain) after each page, at most every 200 ms, and at the end.
   */
  async verifyChain(
    q: Queryable = this.db,
    against: readonly WitnessedHead[] = [],
    opts: { onProgress?: (checked: number, total: number) => void } = {},
  ): Promise<{ result: AuditVerification; head: WitnessedHead }> {
    // One consistent snapshot (its own transaction, or the caller's, which the router runs SERIALIZABLE on
    // PostgreSQL): the head first, then the events, so events other workstations append meanwhile never look like
    // a break. In one snapshot nothing lies past the head unless it was planted: the count check below catches it.
    if (!q.isTransaction) return inTransaction(this.db, (trx) => this.verifyChain(trx, against, opts), { readOnly: true });
    const head = await q('meta').where({ key: HEAD_KEY }).first<{ value: string } | undefined>();
    const [headSeq, headHash] = head ? [Number(head.value.split(':')[0]), head.value.split(':')[1]] : [0, GENESIS];
    let prevHash = GENESIS;
    let expected = 1;
    let checked = 0;
    let sawSetup = false;
    const own = this.options.witnessed?.();
    const witnesses = [...(own ? [own] : []), ...against];
    const witnessSeqs = new Set(witnesses.map((w) => w.seq));
    const hashAt = new Map<number, string>();
    /** Where the start-up check found the chain cut, by the witnessed seq it missed (from verified events only). */
    const cutAt = new Map<number, number>();
    // One key object per audit-key version, not one key import per event.
    const keys = new Map<number, KeyObject | null>();
    const keyOf = (version: number) => {
      let key = keys.get(version);
      if (key === undefined) {
        const raw = this.keyFor(version);
        key = raw ? createSecretKey(raw) : null;
        keys.set(version, key);
      }
      return key;
    };
    const broken = (seq: number, reason: string) => ({ result: { ok: false, checked, firstBrokenSeq: seq, reason }, head: { seq: checked, hash: prevHash } });
    const pageSize = VERIFY_PAGE;
    let told = performance.now();
    opts.onProgress?.(0, headSeq);
    for (;;) {
      // Keyset pages on the primary key: each page costs the same however far into the chain it is.
      const rows = await q<AuditRow>('audit_events').where('seq', '>=', expected).orderBy('seq').limit(pageSize);
      for (const row of rows) {
        if (row.seq !== expected) return broken(expected, 'event missing');
        if (row.prev_hash !== prevHash) return broken(row.seq, 'link to previous event broken');
        const key = keyOf(Number(row.key_version));
        if (!key || this.hash(key, prevHash, row) !== row.hash) return broken(row.seq, 'event altered');
        prevHash = row.hash;
        // Only a setup that succeeded proves the log began with the first run; a refused one is logged as failed.
        sawSetup ||= row.action === this.options.firstRun.action && row.outcome === 'ok';
        if (witnessSeqs.has(row.seq)) hashAt.set(row.seq, row.hash);
        if (row.action === INTEGRITY_ACTION) {
          const found = integrityDetails.safeParse(JSON.parse(row.details));
          if (found.success && !cutAt.has(found.data.witnessedSeq)) cutAt.set(found.data.witnessedSeq, found.data.chainEndsAt);
        }
        expected += 1;
        checked += 1;
      }
      if (opts.onProgress && performance.now() - told >= 200) {
        told = performance.now();
        opts.onProgress(checked, headSeq);
      }
      if (rows.length < pageSize) break;
    }
    opts.onProgress?.(checked, headSeq);
    if (headSeq !== checked) return broken(Math.min(headSeq, checked) + 1, 'events missing at the end of the log');
    if (headHash !== prevHash) return broken(headSeq, 'event altered');
    // A head witnessed outside the database that the chain no longer holds: events were cut off the end (and the
    // head row rewritten), perhaps with new events appended since. Reported where the chain was cut.
    for (const witness of [...witnesses].sort((a, b) => a.seq - b.seq)) {
      if (hashAt.get(witness.seq) === witness.hash) continue;
      const endsAt = cutAt.get(witness.seq);
      if (endsAt !== undefined) {
        return broken(endsAt + 1, `events missing at the end of the log: it no longer reaches the witnessed event ${witness.seq} (the chain was cut after event ${endsAt})`);
      }
      if (checked < witness.seq) {
        return broken(checked + 1, `events missing at the end of the log: it ends at event ${checked} but event ${witness.seq} was witnessed`);
      }
      // Events were appended after the cut, so where it was cut is unknown: the witnessed event is the first known wrong.
      return broken(witness.seq, `events missing at the end of the log: it no longer holds the witnessed event ${witness.seq} (cut at or before it, then continued)`);
    }
    // A cut the start-up check recorded stays a finding even if the witness itself is lost later: the record is part
    // of the keyed chain, so it cannot be removed without breaking the chain where it stands.
    for (const [witnessedSeq, endsAt] of cutAt) {
      return broken(endsAt + 1, `events missing at the end of the log: the start-up check found it cut after event ${endsAt} (witnessed event ${witnessedSeq} was no longer held)`);
    }
    // Setup has happened but its event is not in the chain: the log was wiped (and perhaps restarted).
    if (!sawSetup && (await this.options.firstRun.happened(q))) {
      return broken(1, 'events missing: the log no longer holds the first-run setup');
    }
    return { result: { ok: true, checked, firstBrokenSeq: null, reason: null }, head: { seq: checked, hash: prevHash } };
  }
}

/** How the log is narrowed (the audit feature's filter): actor (`system`: no actor), action, outcome, UTC days. */
export interface AuditListFilter {
  actorId?: string | undefined;
  action?: string | undefined;
  outcome?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export function filterEvents(b: Knex.QueryBuilder, filter: AuditListFilter): void {
  if (filter.actorId === 'system') b.whereNull('actor_id');
  else if (filter.actorId) b.where('actor_id', filter.actorId);
  if (filter.action) b.where('action', filter.action);
  if (filter.outcome) b.where('outcome', filter.outcome);
  // `at` is ISO UTC: whole days compare as strings.
  if (filter.from) b.where('at', '>=', filter.from);
  if (filter.to) b.where('at', '<', nextDay(filter.to));
}
