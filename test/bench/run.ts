/**
 * Customer-records benchmark (issue #3). Run with `npm run bench`.
 *
 *  1. Import of N synthetic customers, each with one order (1–2 lines), through the real encrypted service path
 *     (CustomerStore.prepare / OrderService.prepare → insertPrepared, pipelined, one transaction) versus a
 *     plaintext insert of the same rows into a database built by the same migrations (so tables, columns, indexes
 *     and triggers cannot drift) with the sections as clear JSON and the blind-index columns holding the clear
 *     normalised values, same 500-row chunks, same pipelined loop.
 *  2. Exact search p50/p95 and list-page (50 rows, decrypted) p50/p95 at N, at the service and through the IPC
 *     router (session, permission, schema, audit-event write and commit included).
 *  2b. At BENCH_MILLION_SIZE (1M) customers and as many audit events: the database grows through the same
 *     CustomerStore.prepare / insertPrepared path (real keys, ciphertexts and blind indexes; no orders) and
 *     AuditLog.appendBatch (the real chain), then test/bench/millionProbe.ts, bundled as the main process is and
 *     run by plain Node in a fresh process, measures cold
 *     start, list jumps and keyset pages, search, audit verify against a raw HMAC loop, and its RSS.
 *  3. The CSV import channel end to end (customers.importRun: parse, validate, seal, insert) for N rows.
 *  4. list / search / open p95 through IPC while an N-row CSV import job runs on the N-customer database, beside
 *     the same p95 with nothing running, and the longest event-loop stall meanwhile.
 *
 *  5. Deletions (test/bench/erasure.ts): one approved deletion with 10 orders at N and 1M, a 10k retention batch
 *     (BENCH_ERASURE=0 skips it).
 *  6. Backup and restore (test/bench/backup.ts) of the N-customer database (BENCH_BACKUP=0 skips it).
 *  7. BENCH_PG=1: the PostgreSQL section (test/bench/pg.ts), under a throw-away server.
 *  8. BENCH_KEYS=1: key rotation (test/bench/keyRotation.ts): KEK rotation and the DEK-wrap rotation job at N, with
 *     searches answered meanwhile (it seeds its own database, so it is off by default).
 *
 * Environment: BENCH_CUSTOMERS (default 100000), BENCH_MILLION=0 to skip the 1M step, BENCH_MILLION_SIZE (default
 * 1000000: its customers and audit events), BENCH_QUERIES (default 400), BENCH_ROUNDS (default 3), BENCH_CACHE_MB
 * (page cache of both import paths; default the app's), BENCH_SLICE (items sealed between event-loop turns, both
 * paths; 500 = no overlap), BENCH_IMPORT_ONLY=1 (the import rounds only), BENCH_ONLY=backup (that section alone),
 * BENCH_JSON=path to also write every printed figure as flat JSON (keys end in their
 * unit: Ms, S, PerS; ratios are ×).
 */
import { spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { DATABASE_FILE, openCore } from '../../main/core.node.ts';
import type { Core } from '../../main/core.contract.std.ts';
import { pipelinedWrite, PREPARE_SLICE } from '../../main/features/customers/bulkWrite.node.ts';
import {
  maskedDisplayName,
  normalizeEmail,
  normalizeFamilyName,
  normalizePhone,
  normalizePostalCode,
  POLICY_VERSION,
  type CustomerDetails,
} from '../../main/features/customers/customerFields.std.ts';
import { listCustomers, searchCustomers } from '../../main/features/customers/customerSearch.node.ts';
import { CUSTOMER_KEYS, CustomerStore, type SearchField } from '../../main/features/customers/customerStore.node.ts';
import { cardBrand, cardDigits } from '../../main/features/orders/card.std.ts';
import { generateLicenceKey, OrderService, type OrderInput } from '../../main/features/orders/orderService.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { openDatabase, SQLITE_CACHE_MIB, type DatabaseConfig, type Db } from '../../main/platform/store/database.node.ts';
import type { SecretVault } from '../../main/platform/keychain/vault.std.ts';
import { backupSection } from './backup.ts';
import { AuditLog, type NewAuditEvent } from '../../main/platform/audit/auditLog.node.ts';
import { MIGRATED_KEY } from '../../main/features/keys/customerKeyMigration.node.ts';
import { erasureSection } from './erasure.ts';
import { keyRotationSection } from './keyRotation.ts';
import { pgSection } from './pg.ts';
import { INSERT_CHUNK, insertChunked } from '../../main/platform/store/queries.node.ts';
import { migrate } from '../../main/platform/store/migrate.node.ts';
import { MAIN_BUILD } from '../../scripts/buildConfig.mjs';
import { ADMIN, tempDir } from '../support/core.ts';
import { customerAt, orderFor, pools, prng, type Pools } from './synthetic.ts';
import { threadCpuMs } from './threadCpu.ts';

const N = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const MILLION = process.env.BENCH_MILLION !== '0';
/** The size of the "1M" stage (customers and audit events); smaller where a full million cannot be seeded in time. */
const M = Number(process.env.BENCH_MILLION_SIZE ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 400);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Items prepared between two turns of the event loop while a chunk is written (both paths); 500 = no overlap. */
const SLICE = Number(process.env.BENCH_SLICE ?? PREPARE_SLICE);
/** Optional: SQLite page cache per connection for both paths, in MiB (default: the app's own, SQLITE_CACHE_MIB). */
const CACHE_MB = Number(process.env.BENCH_CACHE_MB ?? 0);
/** BENCH_PG=1 adds the PostgreSQL section (test/bench/pg.ts); BENCH_SQLITE=0 skips the SQLite sections above. */
const PG = process.env.BENCH_PG === '1';
const SQLITE = process.env.BENCH_SQLITE !== '0';
async function applyCache(db: Db): Promise<void> {
  if (CACHE_MB > 0) await db.raw(`PRAGMA cache_size = -${CACHE_MB * 1024}`);
}
const vault = new MemoryVault();
/** The benchmark's throw-away keychain as JSON (name → base64), for the probe processes. */
const benchVaultJson = () => JSON.stringify(Object.fromEntries([...(vault as unknown as { secrets: Map<string, Buffer> }).secrets].map(([k, v]) => [k, v.toString('base64')])));
const log = (...args: unknown[]) => console.error('[bench]', ...args);

interface Item {
  details: CustomerDetails;
  order: Omit<OrderInput, 'customerId'>;
}

function makeItems(count: number, offset: number, p: Pools, seed: number): Item[] {
  const rand = prng(seed);
  return Array.from({ length: count }, (_, k) => {
    const details = customerAt(offset + k, p, rand);
    return { details, order: orderFor(details, rand) };
  });
}

// ---------- encrypted path ----------

/** The encrypted store on the SQLite file in `dir`, or on the database `where` names (e.g. PostgreSQL). */
async function openEncrypted(where: string | DatabaseConfig, keys: SecretVault = vault) {
  const db = openDatabase(typeof where === 'string' ? { client: 'sqlite', filename: join(where, DATABASE_FILE) } : where);
  if (db.client.config.client !== 'pg') await applyCache(db);
  await migrate(db);
  // Every row the benchmark writes is under its customer's key, as in a database the app created itself (whose
  // key-migration job finds nothing and says so at once): without the flag, each core opened on it would walk
  // every customer in the background (customerKeyMigration.node.ts) while it is being measured.
  await db('meta').insert({ key: MIGRATED_KEY, value: 'done' }).onConflict('key').ignore();
  const ring = await unlockKeyRing(db, keys, systemClock.nowIso());
  const customerKeys = new SubjectKeys(() => ring, CUSTOMER_KEYS);
  return { db, customers: new CustomerStore(() => ring, systemClock, customerKeys), orders: new OrderService(systemClock, customerKeys) };
}

/**
 * CPU time (all threads of this process: main thread and the SQLite driver's) of the last write, in ms. On a
 * machine shared with other work, wall time depends on what else runs; the CPU each path spends does not.
 */
let lastWriteCpuMs = 0;
/** The last write's CPU split: main thread (preparing, sealing) and driver threads (SQLite), in ms. */
let lastWriteThreads: { main: number; others: number } | null = null;
function threadsSince(before: { main: number; others: number } | null): { main: number; others: number } | null {
  const after = threadCpuMs();
  return before && after ? { main: after.main - before.main, others: after.others - before.others } : null;
}
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function writeEncrypted(db: Db, customers: CustomerStore, orders: OrderService, items: readonly Item[], withOrders: boolean): Promise<number> {
  const started = performance.now();
  const cpuStarted = cpuMs();
  const threadsStarted = threadCpuMs();
  await db.transaction(async (q) => {
    const now = customers.now();
    await pipelinedWrite(
      items,
      INSERT_CHUNK,
      (item) => {
        const c = customers.prepare(item.details, { actorId: null, now });
        return { c, o: withOrders ? orders.prepare({ ...item.order, customerId: c.row.id }, { actorId: null, now, keys: c.keys }) : null };
      },
      async (prepared) => {
        await customers.insertPrepared(q, prepared.map((p) => p.c));
        const o = prepared.flatMap((p) => (p.o ? [p.o] : []));
        if (o.length) await orders.insertPrepared(q, o);
      },
      { slice: SLICE },
    );
  });
  lastWriteCpuMs = cpuMs() - cpuStarted;
  lastWriteThreads = threadsSince(threadsStarted);
  return performance.now() - started;
}

// ---------- plaintext baseline: same rows, same columns (clear), same indexes, same batching ----------

/**
 * The plaintext baseline runs the app's own migrations, so its tables, columns, indexes and triggers are the
 * encrypted path's exactly and cannot drift; only the values differ (clear JSON in the section columns, clear
 * normalised values in the index columns, an empty data key).
 */
async function createPlainSchema(db: Db): Promise<void> {
  await migrate(db);
}
const NO_KEY = Buffer.alloc(0);

function plainRows(item: Item, now: string) {
  const d = item.details;
  const a = d.shippingAddress;
  const id = randomUUID();
  const identity = { kind: d.kind, givenName: d.givenName, familyName: d.familyName, organisationName: d.organisationName ?? null, dateOfBirth: d.dateOfBirth ?? null };
  const address = { street: a.street, city: a.city, region: a.region ?? null, postalCode: a.postalCode, country: a.country };
  const contact = { email: d.email, phone: d.phone ?? null, shippingAddress: address };
  const customer = {
    id,
    kind: d.kind,
    status: 'active',
    policy_version: POLICY_VERSION,
    dek: NO_KEY,
    summary: JSON.stringify({ displayName: maskedDisplayName(d.givenName, d.familyName, d.organisationName), city: a.city }),
    identity: JSON.stringify(identity),
    contact: JSON.stringify(contact),
    email_index: normalizeEmail(d.email),
    phone_index: d.phone ? normalizePhone(d.phone) : null,
    postal_index: normalizePostalCode(a.postalCode),
    family_index: normalizeFamilyName(d.familyName),
    created_by: null,
    created_at: now,
    updated_at: now,
  };
  const orderId = randomUUID();
  const licenceKeys: Record<string, string> = {};
  const items = item.order.items.map((line, i) => {
    const itemId = randomUUID();
    if (line.kind === 'licence') licenceKeys[itemId] = generateLicenceKey();
    return { id: itemId, order_id: orderId, line_no: i + 1, sku: line.sku, product_name: line.name, kind: line.kind, quantity: line.quantity };
  });
  const digits = cardDigits(item.order.card.number);
  const b = item.order.billing.address;
  const billing = {
    name: item.order.billing.name,
    address: { street: b.street, city: b.city, region: b.region ?? null, postalCode: b.postalCode, country: b.country },
    card: { brand: cardBrand(digits), first6: digits.slice(0, 6), last4: digits.slice(-4), length: digits.length, expiryMonth: item.order.card.expiryMonth, expiryYear: item.order.card.expiryYear },
    licenceKeys,
  };
  const order = {
    id: orderId,
    customer_id: id,
    status: 'placed',
    policy_version: POLICY_VERSION,
    dek: NO_KEY,
    billing: JSON.stringify(billing),
    card: JSON.stringify({ number: digits, expiryMonth: item.order.card.expiryMonth, expiryYear: item.order.card.expiryYear }),
    created_by: null,
    created_at: now,
  };
  return { customer, order, items };
}

async function writePlain(dir: string, items: readonly Item[]): Promise<number> {
  const db = openDatabase({ client: 'sqlite', filename: join(dir, 'plaintext.sqlite') });
  try {
    await applyCache(db);
    await createPlainSchema(db);
    const started = performance.now();
    const cpuStarted = cpuMs();
    const threadsStarted = threadCpuMs();
    await db.transaction(async (q) => {
      const now = new Date().toISOString();
      await pipelinedWrite(
        items,
        INSERT_CHUNK,
        (item) => plainRows(item, now),
        async (rows) => {
          await insertChunked(q, 'customers', rows.map((r) => r.customer));
          await insertChunked(q, 'orders', rows.map((r) => r.order));
          await insertChunked(q, 'order_items', rows.flatMap((r) => r.items));
        },
        { slice: SLICE },
      );
    });
    lastWriteCpuMs = cpuMs() - cpuStarted;
    lastWriteThreads = threadsSince(threadsStarted);
    return performance.now() - started;
  } finally {
    await db.destroy();
  }
}

/**
 * The 1M probe bundled the way the app's main process is (scripts/buildConfig.mjs), run by plain Node: its RSS
 * and cold start are then those of bundled code, not of a process also running tsx's module loader (a thread of
 * its own) over the TypeScript sources. Written under node_modules/.cache, never dist/ (which electron-builder
 * packs), so the externals (sqlite3, knex) still resolve from node_modules.
 */
async function bundledProbe(): Promise<string> {
  const outfile = fileURLToPath(new URL('../../node_modules/.cache/itpc-bench/millionProbe.mjs', import.meta.url));
  await esbuild.build({ ...MAIN_BUILD, entryPoints: [fileURLToPath(new URL('./millionProbe.ts', import.meta.url))], outfile, logLevel: 'warning' });
  return outfile;
}

// ---------- latency measurements ----------

function percentiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95) };
}

async function time(times: number[], fn: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await fn();
  times.push(performance.now() - started);
}

interface Probe {
  by: SearchField;
  value: string;
}

/** Search values as a person would type them (not pre-normalised). */
function probes(items: readonly Item[], count: number, seed: number): Probe[] {
  const rand = prng(seed);
  const fields: SearchField[] = ['email', 'phone', 'postalCode', 'familyName'];
  return Array.from({ length: count }, (_, i) => {
    const d = items[Math.floor(rand() * items.length)]!.details;
    const by = fields[i % fields.length]!;
    const value = by === 'email' ? d.email.toUpperCase() : by === 'phone' ? d.phone! : by === 'postalCode' ? d.shippingAddress.postalCode.toLowerCase() : d.familyName;
    return { by, value };
  });
}

interface Latencies {
  search: { p50: number; p95: number };
  searchByField: Record<SearchField, { p50: number; p95: number }>;
  listRandom: { p50: number; p95: number };
  listFirstPages: { p50: number; p95: number };
  meanMatches: number;
}

async function measure(
  search: (p: Probe) => Promise<{ rows: unknown[] }>,
  list: (offset: number) => Promise<{ rows: unknown[] }>,
  total: number,
  sample: Probe[],
  seed: number,
): Promise<Latencies> {
  const rand = prng(seed);
  for (const p of sample.slice(0, 20)) await search(p); // warm-up
  const all: number[] = [];
  const byField: Record<string, number[]> = { email: [], phone: [], postalCode: [], familyName: [] };
  let matches = 0;
  for (const p of sample) {
    const started = performance.now();
    const result = await search(p);
    const ms = performance.now() - started;
    all.push(ms);
    byField[p.by]!.push(ms);
    matches += result.rows.length;
    if (result.rows.length === 0) throw new Error(`search by ${p.by} found nothing`);
  }
  const random: number[] = [];
  const first: number[] = [];
  const pages = Math.max(50, Math.floor(sample.length / 4));
  for (let i = 0; i < pages; i += 1) {
    await time(random, async () => {
      const r = await list(Math.floor(rand() * Math.max(1, total - 50)));
      if (r.rows.length !== 50) throw new Error('short page');
    });
    await time(first, () => list(Math.floor(rand() * 20) * 50));
  }
  return {
    search: percentiles(all),
    searchByField: Object.fromEntries(Object.entries(byField).map(([k, v]) => [k, percentiles(v)])) as Latencies['searchByField'],
    listRandom: percentiles(random),
    listFirstPages: percentiles(first),
    meanMatches: matches / sample.length,
  };
}

async function measureService(db: Db, customers: CustomerStore, total: number, sample: Probe[]): Promise<Latencies> {
  return measure(
    (p) => searchCustomers(db, customers, p.by, p.value),
    (offset) => listCustomers(db, customers, { offset, limit: 50 }),
    total,
    sample,
    7,
  );
}

async function signIn(core: Core): Promise<string> {
  const admin = { senderId: 'bench-admin', trusted: true };
  const must = async (sender: { senderId: string; trusted: boolean }, channel: string, input: unknown) => {
    const r = await core.handle(sender, channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const status = (await must(admin, 'session.status', {})) as { setupRequired: boolean };
  if (status.setupRequired) {
    await must(admin, 'session.setup', ADMIN);
    await must(admin, 'accounts.create', { username: 'bench.manager', displayName: 'Bench Manager', role: 'manager', password: ADMIN.password });
    await must(admin, 'accounts.create', { username: 'bench.auditor', displayName: 'Bench Auditor', role: 'auditor', password: ADMIN.password });
  }
  const sender = `bench-${randomUUID()}`;
  await must({ senderId: sender, trusted: true }, 'session.login', { username: 'bench.manager', password: ADMIN.password });
  return sender;
}

async function measureIpc(dir: string, total: number, sample: Probe[]): Promise<Latencies> {
  const core = await openCore({ dataDir: dir, vault, passwordCost: 10 });
  try {
    const sender = { senderId: await signIn(core), trusted: true };
    const call = async (channel: string, input: unknown) => {
      const r = await core.handle(sender, channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value as { rows: unknown[] };
    };
    return await measure(
      (p) => call('customers.search', p),
      (offset) => call('customers.list', { offset, limit: 50 }),
      total,
      sample,
      11,
    );
  } finally {
    await core.close();
  }
}

function toCsv(items: readonly Item[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['First name,Last name,Email,Phone,Street,City,Postcode,Country,Date of birth'];
  for (const { details: d } of items) {
    const a = d.shippingAddress;
    lines.push([d.givenName, d.familyName, d.email, d.phone!, a.street, a.city, a.postalCode, a.country, d.dateOfBirth!].map(q).join(','));
  }
  return lines.join('\n');
}

type Kind = 'list' | 'search' | 'open';
interface DuringImport {
  idle: Record<Kind, { p50: number; p95: number; n: number }>;
  during: Record<Kind, { p50: number; p95: number; n: number }>;
  importMs: number;
  imported: number;
  maxLoopDelayMs: number;
  idleMaxLoopDelayMs: number;
}

/**
 * list / search / open through IPC, one after another as a user clicking through would, first with nothing
 * running, then while an import job of `csvItems` runs on the same core (the N-customer database).
 */
async function duringImport(dir: string, total: number, sample: Probe[], csvItems: readonly Item[]): Promise<DuringImport> {
  const core = await openCore({ dataDir: dir, vault, passwordCost: 10 });
  try {
    const sender = { senderId: await signIn(core), trusted: true };
    const call = async (channel: string, input: unknown) => {
      const r = await core.handle(sender, channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value as { rows: { id: string }[] };
    };
    const rand = prng(23);
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1) ids.push(...(await call('customers.list', { offset: Math.floor(rand() * Math.max(1, total - 50)), limit: 50 })).rows.map((r) => r.id));
    let k = 0;
    const probe = async (times: Record<Kind, number[]>) => {
      const kind: Kind = (['list', 'search', 'open'] as const)[k % 3]!;
      k += 1;
      const started = performance.now();
      if (kind === 'list') await call('customers.list', { offset: Math.floor(rand() * Math.max(1, total - 50)), limit: 50 });
      else if (kind === 'search') await call('customers.search', sample[k % sample.length]!);
      else await call('customers.open', { customerId: ids[k % ids.length]!, purpose: 'customer_support' });
      times[kind].push(performance.now() - started);
    };
    const summarise = (times: Record<Kind, number[]>) =>
      Object.fromEntries(Object.entries(times).map(([kind, t]) => [kind, { ...percentiles(t), n: t.length }])) as DuringImport['idle'];

    const loop = monitorEventLoopDelay({ resolution: 5 });
    const idleTimes: Record<Kind, number[]> = { list: [], search: [], open: [] };
    loop.enable();
    for (let i = 0; i < Math.max(150, QUERIES); i += 1) await probe(idleTimes);
    loop.disable();
    const idleMaxLoopDelayMs = loop.max / 1e6;

    const csv = toCsv(csvItems);
    const preview = await core.handle(sender, 'customers.importPreview', { csv });
    if (!preview.ok) throw new Error(preview.error.message);
    const mapping = (preview.value as { suggestedMapping: Record<string, string> }).suggestedMapping;
    const duringTimes: Record<Kind, number[]> = { list: [], search: [], open: [] };
    loop.reset();
    loop.enable();
    const started = performance.now();
    let finished = false;
    const running = core.handle(sender, 'customers.importRun', { taskId: randomUUID(), csv, mapping }).finally(() => void (finished = true));
    while (!finished) await probe(duringTimes);
    const r = await running;
    const importMs = performance.now() - started;
    loop.disable();
    if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
    return {
      idle: summarise(idleTimes),
      during: summarise(duringTimes),
      importMs,
      imported: (r.value as { imported: number }).imported,
      maxLoopDelayMs: loop.max / 1e6,
      idleMaxLoopDelayMs,
    };
  } finally {
    await core.close();
  }
}

async function csvImportIpc(items: readonly Item[]): Promise<{ ms: number; imported: number; progressEvents: number; csvMB: number }> {
  const dir = tempDir('itpc-bench-csv-');
  const core = await openCore({ dataDir: dir, vault, passwordCost: 10 });
  try {
    const sender = { senderId: await signIn(core), trusted: true };
    const csv = toCsv(items);
    let progressEvents = 0;
    const off = core.onEvent((_s, event) => void (event === 'progress' && (progressEvents += 1)));
    const preview = await core.handle(sender, 'customers.importPreview', { csv });
    if (!preview.ok) throw new Error(preview.error.message);
    const mapping = (preview.value as { suggestedMapping: Record<string, string> }).suggestedMapping;
    const started = performance.now();
    const r = await core.handle(sender, 'customers.importRun', { taskId: randomUUID(), csv, mapping });
    const ms = performance.now() - started;
    off();
    if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
    return { ms, imported: (r.value as { imported: number }).imported, progressEvents, csvMB: Buffer.byteLength(csv) / 1e6 };
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------- main ----------

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(2)} ms`);
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en-GB')}/s`;

type Put = (key: string, value: number) => void;

async function main() {
  const p = pools(prng(42));
  log(`node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), N=${N}`);
  // Every printed figure, flat, for BENCH_JSON (keys end in their unit: Ms, S, PerS; ratio is ×).
  const figures: Record<string, number> = {};
  const put: Put = (key, value) => void (figures[key] = Number(value.toFixed(3)));
  const out: string[] = [];
  // BENCH_ONLY=backup runs the backup section alone (its own seeded database); BENCH_IMPORT_ONLY=1 the import rounds.
  const only = process.env.BENCH_ONLY ?? (process.env.BENCH_IMPORT_ONLY === '1' ? 'import' : undefined);
  if (SQLITE && (!only || only === 'import')) await sqliteSections(p, put, out);
  if (SQLITE && !only && process.env.BENCH_ERASURE !== '0') await erasureSection(put, out);
  if (SQLITE && (!only || only === 'backup') && process.env.BENCH_BACKUP !== '0') {
    const seed = async (dir: string, keys: SecretVault) => {
      const e = await openEncrypted(dir, keys);
      await writeEncrypted(e.db, e.customers, e.orders, makeItems(N, 0, p, 1), true);
      await e.db.destroy();
    };
    await backupSection({ n: N, seed }, put, out);
  }
  if (SQLITE && !only && process.env.BENCH_KEYS === '1') await keyRotationSection(put, out);
  if (PG) await pgSection({ n: N, items: (count, offset, seed) => makeItems(count, offset, p, seed), openEncrypted, writeEncrypted, log, fmt, rate, percentiles }, put, out);
  process.stdout.write(`${out.join('\n')}\n`);
  if (process.env.BENCH_JSON) {
    writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(figures, null, 2)}\n`);
    log(`figures written to ${process.env.BENCH_JSON}`);
  }
}

async function sqliteSections(p: Pools, put: Put, out: string[]): Promise<void> {
  const items = makeItems(N, 0, p, 1);
  const lines = items.reduce((n, i) => n + i.order.items.length, 0);

  // Warm-up both paths (JIT, OpenSSL init) in throw-away databases.
  {
    const warm = makeItems(3000, 10_000_000, p, 99);
    const d1 = tempDir('itpc-bench-warm-');
    await writePlain(d1, warm);
    const e = await openEncrypted(d1);
    await writeEncrypted(e.db, e.customers, e.orders, warm, true);
    await e.db.destroy();
    rmSync(d1, { recursive: true, force: true });
  }

  // Alternating rounds; the best of each is reported (the machine is shared, so noise is one-sided).
  const plainMs: number[] = [];
  const encMs: number[] = [];
  const plainCpu: number[] = [];
  const encCpu: number[] = [];
  const plainThreads: ({ main: number; others: number } | null)[] = [];
  const encThreads: ({ main: number; others: number } | null)[] = [];
  const dir = tempDir('itpc-bench-');
  for (let round = 0; round < ROUNDS; round += 1) {
    const pd = tempDir('itpc-bench-plain-');
    plainMs.push(await writePlain(pd, items));
    plainCpu.push(lastWriteCpuMs);
    plainThreads.push(lastWriteThreads);
    rmSync(pd, { recursive: true, force: true });
    log(`round ${round + 1}: plaintext ${fmt(plainMs.at(-1)!)}`);
    const ed = round === ROUNDS - 1 ? dir : tempDir('itpc-bench-enc-');
    const e = await openEncrypted(ed);
    encMs.push(await writeEncrypted(e.db, e.customers, e.orders, items, true));
    encCpu.push(lastWriteCpuMs);
    encThreads.push(lastWriteThreads);
    log(`round ${round + 1}: encrypted ${fmt(encMs.at(-1)!)}`);
    await e.db.destroy();
    if (ed !== dir) rmSync(ed, { recursive: true, force: true });
  }
  const plain = Math.min(...plainMs);
  const enc = Math.min(...encMs);
  const cpuRatio = Math.min(...encCpu) / Math.min(...plainCpu);
  put('import.cpuRatio', cpuRatio);
  put('import.plaintextCpuS', Math.min(...plainCpu) / 1000);
  put('import.encryptedCpuS', Math.min(...encCpu) / 1000);
  // The split of the fastest round of each path: which thread the encrypted path's extra CPU lands on.
  const split = (threads: typeof plainThreads, ms: number[]) => threads[ms.indexOf(Math.min(...ms))];
  const plainSplit = split(plainThreads, plainMs);
  const encSplit = split(encThreads, encMs);
  if (plainSplit && encSplit) {
    put('import.plaintextMainThreadCpuS', plainSplit.main / 1000);
    put('import.plaintextDriverCpuS', plainSplit.others / 1000);
    put('import.encryptedMainThreadCpuS', encSplit.main / 1000);
    put('import.encryptedDriverCpuS', encSplit.others / 1000);
  }
  const splitText =
    plainSplit && encSplit
      ? `; fastest rounds' CPU, main thread / driver threads: plaintext ${fmt(plainSplit.main)} / ${fmt(plainSplit.others)}, encrypted ${fmt(encSplit.main)} / ${fmt(encSplit.others)}`
      : '';
  if (process.env.BENCH_IMPORT_ONLY === '1') {
    out.push(`import (${N.toLocaleString('en-GB')} customers with orders, page cache ${CACHE_MB > 0 ? CACHE_MB : SQLITE_CACHE_MIB} MiB, slice ${SLICE}): plaintext ${plainMs.map(fmt).join(', ')}; encrypted ${encMs.map(fmt).join(', ')}; ratio ${(enc / plain).toFixed(3)} (target ≤ 1.15); CPU (all threads) plaintext ${plainCpu.map(fmt).join(', ')}, encrypted ${encCpu.map(fmt).join(', ')}: ratio ${cpuRatio.toFixed(3)}${splitText}`);
    put('import.ratio', enc / plain);
    return;
  }

  // Search and list at N.
  const sampleN = probes(items, QUERIES, 5);
  let e = await openEncrypted(dir);
  const serviceN = await measureService(e.db, e.customers, N, sampleN);
  await e.db.destroy();
  log('service latencies at N done');
  const ipcN = await measureIpc(dir, N, sampleN);
  log('IPC latencies at N done');
  // BENCH_JOBS=0 skips the two CSV-import-job stages (during-import latencies, the channel end to end).
  const JOBS = process.env.BENCH_JOBS !== '0';
  const during = JOBS ? await duringImport(dir, N, sampleN, makeItems(N, 20_000_000, p, 3)) : null;
  if (during) log('latencies while an import job runs done');
  const afterImport = N + (during?.imported ?? 0);

  // 1M (BENCH_MILLION_SIZE): add customers (no orders) through the same CustomerStore.prepare / insertPrepared
  // path, pipelined, in 100k-row transactions; then audit events up to the same count through AuditLog.appendBatch
  // (the real hash chain); then measure in a process of its own (test/bench/millionProbe.ts).
  let million: Record<string, number> | null = null;
  let seed1M = 0;
  let seedAudit1M = 0;
  if (MILLION && afterImport < M) {
    e = await openEncrypted(dir);
    let started = performance.now();
    const step = 100_000;
    let lastBatch: Item[] = [];
    for (let offset = afterImport; offset < M; offset += step) {
      lastBatch = makeItems(Math.min(step, M - offset), offset, p, 1000 + offset);
      await writeEncrypted(e.db, e.customers, e.orders, lastBatch, false);
      log(`seeded ${Math.min(offset + step, M).toLocaleString('en-GB')} customers`);
    }
    seed1M = performance.now() - started;
    started = performance.now();
    const ring = await unlockKeyRing(e.db, vault, systemClock.nowIso());
    const audit = new AuditLog(e.db, () => ring, systemClock, { firstRun: { action: 'session.setup', happened: async () => true } });
    const have = Number((await e.db('audit_events').max<{ n: number }[]>('seq as n'))[0]?.n ?? 0);
    for (let from = have; from < M; from += step) {
      const count = Math.min(step, M - from);
      const events = Array.from({ length: count }, (_, k): NewAuditEvent => ({
        actorId: null,
        action: k % 3 === 0 ? 'customer.list' : k % 3 === 1 ? 'customer.search' : 'record.view',
        outcome: 'ok',
        details: k % 3 === 0 ? { offset: (from + k) * 50, limit: 50, returned: 50 } : k % 3 === 1 ? { by: 'email', results: 1, truncated: false } : { customerId: randomUUID(), purpose: 'customer_support' },
      }));
      await e.db.transaction((trx) => audit.appendBatch(trx, events));
      log(`seeded ${(from + count).toLocaleString('en-GB')} audit events`);
    }
    seedAudit1M = performance.now() - started;
    await e.db.destroy();
    // Half the probes hit the first N customers (with orders), half the newest ones.
    const sample1M = [...sampleN.slice(0, Math.floor(QUERIES / 2)), ...probes(lastBatch, Math.ceil(QUERIES / 2), 77)];
    const probesFile = join(dir, 'probes.json');
    writeFileSync(probesFile, JSON.stringify(sample1M));
    const probeScript = await bundledProbe();
    const probe = (mode: 'open' | 'work') => {
      const child = spawnSync(process.execPath, [probeScript, dir, probesFile, String(M)], {
        env: {
          ...process.env,
          BENCH_PROBE_MODE: mode,
          ITPC_BENCH_VAULT: benchVaultJson(),
        },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 20,
      });
      if (child.status !== 0) throw new Error(`millionProbe (${mode}) failed (${child.status})`);
      return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    };
    const opens = [probe('open'), probe('open'), probe('open')].map((r) => r.openMs!);
    million = { ...probe('work'), openMs: Math.min(...opens), openWorstMs: Math.max(...opens) };
    log('1M stage done');
  }
  if (process.env.BENCH_KEEP_DIR === '1' && million) {
    // For probing the big database again: node node_modules/.cache/itpc-bench/millionProbe.mjs <dir>
    // <dir>/probes.json <size>, with ITPC_BENCH_VAULT set to the contents of <dir>/vault.json (the throw-away keys
    // of this run, nothing else).
    writeFileSync(join(dir, 'vault.json'), benchVaultJson());
    log(`kept ${dir} (BENCH_KEEP_DIR=1)`);
  } else rmSync(dir, { recursive: true, force: true });

  const csv = JOBS ? await csvImportIpc(items) : null;
  if (csv) log('CSV import through IPC done');

  out.push(`## Customer records benchmark`, '');
  out.push(
    `Node ${process.version}, ${cpus().length} CPU(s), SQLite (WAL, synchronous=FULL, secure_delete=ON, page cache ${CACHE_MB > 0 ? `${CACHE_MB} MiB (BENCH_CACHE_MB)` : `${SQLITE_CACHE_MIB} MiB, as shipped`}). N = ${N.toLocaleString('en-GB')} customers.`,
    '',
  );
  out.push(`### Import: encrypted service path vs plaintext insert (one transaction, 500-row chunks, best of ${ROUNDS})`, '');
  out.push('| path | customers | orders | order lines | time | customers/s |', '|---|---:|---:|---:|---:|---:|');
  out.push(`| plaintext insert (same schema from the migrations, clear values) | ${N.toLocaleString('en-GB')} | ${N.toLocaleString('en-GB')} | ${lines.toLocaleString('en-GB')} | ${fmt(plain)} | ${rate(N, plain)} |`);
  out.push(`| encrypted (CustomerStore/OrderService.prepare + insertPrepared) | ${N.toLocaleString('en-GB')} | ${N.toLocaleString('en-GB')} | ${lines.toLocaleString('en-GB')} | ${fmt(enc)} | ${rate(N, enc)} |`);
  out.push(`| **ratio encrypted / plaintext** | | | | **${(enc / plain).toFixed(2)}×** | target ≤ 1.15× (before issue #14: 1.68×) |`, '');
  out.push(`All runs: plaintext ${plainMs.map(fmt).join(', ')}; encrypted ${encMs.map(fmt).join(', ')}. CPU time (all threads), best: plaintext ${fmt(Math.min(...plainCpu))}, encrypted ${fmt(Math.min(...encCpu))} → ${cpuRatio.toFixed(2)}× (what the ratio tends to on a machine kept busy by other work)${splitText}.`, '');
  put('import.plaintextS', plain / 1000);
  put('import.encryptedS', enc / 1000);
  put('import.plaintextPerS', N / (plain / 1000));
  put('import.encryptedPerS', N / (enc / 1000));
  put('import.ratio', enc / plain);
  put('import.cacheMiB', CACHE_MB > 0 ? CACHE_MB : SQLITE_CACHE_MIB);
  plainMs.forEach((ms, i) => put(`import.plaintextRun${i + 1}S`, ms / 1000));
  encMs.forEach((ms, i) => put(`import.encryptedRun${i + 1}S`, ms / 1000));
  out.push('### Exact search and list page latency', '');
  out.push('| customers | layer | search p50 | search p95 | mean rows/search | list page (50) p50 | list page (50) p95 | first pages p95 |', '|---|---|---:|---:|---:|---:|---:|---:|');
  const row = (size: string, key: string, layer: string, l: Latencies) => {
    out.push(`| ${size} | ${layer} | ${fmt(l.search.p50)} | ${fmt(l.search.p95)} | ${l.meanMatches.toFixed(1)} | ${fmt(l.listRandom.p50)} | ${fmt(l.listRandom.p95)} | ${fmt(l.listFirstPages.p95)} |`);
    put(`${key}.searchP50Ms`, l.search.p50);
    put(`${key}.searchP95Ms`, l.search.p95);
    put(`${key}.meanRowsPerSearch`, l.meanMatches);
    put(`${key}.listP50Ms`, l.listRandom.p50);
    put(`${key}.listP95Ms`, l.listRandom.p95);
    put(`${key}.listFirstPagesP95Ms`, l.listFirstPages.p95);
  };
  row(N.toLocaleString('en-GB'), 'latency.n.service', 'service', serviceN);
  row(N.toLocaleString('en-GB'), 'latency.n.ipc', 'IPC (router + audit write)', ipcN);
  out.push('');
  out.push('Search p95 by field (service layer):', '');
  out.push('| customers | email | phone | postal code | family name |', '|---|---:|---:|---:|---:|');
  const byField = (size: string, key: string, l: Latencies) => {
    out.push(`| ${size} | ${fmt(l.searchByField.email.p95)} | ${fmt(l.searchByField.phone.p95)} | ${fmt(l.searchByField.postalCode.p95)} | ${fmt(l.searchByField.familyName.p95)} |`);
    for (const [field, v] of Object.entries(l.searchByField)) put(`${key}.search.${field}P95Ms`, v.p95);
  };
  byField(N.toLocaleString('en-GB'), 'latency.n.service', serviceN);
  out.push('');
  if (million) {
    const size = M.toLocaleString('en-GB');
    const verifyRatio = million.verifyMs! / million.rawHmacMs!;
    out.push(`### At ${size} customers and ${size} audit events${M === 1_000_000 ? '' : ` (BENCH_MILLION_SIZE=${M}: the "1M" keys below were measured at this size)`}`, '');
    out.push('| measure | result | baseline / before | target |', '|---|---:|---:|---:|');
    out.push(`| list page through IPC, random positions (jump), p50 / p95 | ${fmt(million.listJumpP50Ms!)} / **${fmt(million.listJumpP95Ms!)}** | 112 ms (OFFSET scan, issue #14) | p95 ≤ 50 ms |`);
    out.push(`| next page by key (after the jumped-to page), p50 / p95 | ${fmt(million.listNextP50Ms!)} / ${fmt(million.listNextP95Ms!)} | | |`);
    out.push(`| exact search through IPC (audit write included), p50 / p95 | ${fmt(million.searchP50Ms!)} / **${fmt(million.searchP95Ms!)}** | 17 ms (issue #14) | p95 ≤ 10 ms |`);
    const fields = ['email', 'phone', 'postalCode', 'familyName'] as const;
    out.push(`| search p95 by field: ${fields.join(' / ')} | ${fields.map((f) => fmt(million[`search_${f}P95Ms`] ?? NaN)).join(' / ')} | | |`);
    out.push(`| audit verify of ${million.verifyChecked!.toLocaleString('en-GB')} events (through IPC, ${million.verifyProgressEvents} progress events) vs raw HMAC loop over the same rows | ${fmt(million.verifyMs!)} vs ${fmt(million.rawHmacMs!)} → **${verifyRatio.toFixed(2)}×** | | ≤ 1.5× |`);
    out.push(`| cold start of the core (open, migrate check, key unlock, first query; a fresh process each), best / worst of 3 | **${fmt(million.openMs!)}** / ${fmt(million.openWorstMs!)} | | ≤ 300 ms |`);
    out.push(`| main-process RSS (fresh process running the bundled main-process code: open, the calls above, verify) | **${million.rssMB!.toFixed(0)} MB** (after open ${million.rssAfterOpenMB!.toFixed(0)} MB; JS heap used ${million.heapUsedMB!.toFixed(0)} of ${million.heapTotalMB!.toFixed(0)} MB, external ${million.externalMB!.toFixed(0)} MB) | | ≤ 250 MB |`, '');
    out.push(
      `Seeding: ${(M - afterImport).toLocaleString('en-GB')} more customers (no orders) through CustomerStore.prepare/insertPrepared, pipelined, 100k-row transactions: ${fmt(seed1M)} (${rate(M - afterImport, seed1M)}); ${size} audit events through AuditLog.appendBatch (the real chain): ${fmt(seedAudit1M)}.`,
      '',
    );
    put('list.at1M.ipcP50Ms', million.listJumpP50Ms!);
    put('list.at1M.ipcP95Ms', million.listJumpP95Ms!);
    put('list.at1M.nextPageP95Ms', million.listNextP95Ms!);
    put('search.at1M.ipcP50Ms', million.searchP50Ms!);
    put('search.at1M.ipcP95Ms', million.searchP95Ms!);
    for (const f of ['email', 'phone', 'postalCode', 'familyName']) if (million[`search_${f}P95Ms`] !== undefined) put(`search.at1M.${f}IpcP95Ms`, million[`search_${f}P95Ms`]!);
    put('audit.verify1M.ms', million.verifyMs!);
    put('audit.verify1M.rawHmacMs', million.rawHmacMs!);
    put('audit.verify1M.ratio', verifyRatio);
    put('audit.verify1M.progressEvents', million.verifyProgressEvents!);
    put('core.open.at1M.ms', million.openMs!);
    put('core.open.at1M.worstMs', million.openWorstMs!);
    put('core.firstList.at1M.ms', million.firstListMs!);
    put('rss.at1M.mb', million.rssMB!);
    put('rss.at1M.afterOpenMb', million.rssAfterOpenMB!);
    put('rss.at1M.heapUsedMb', million.heapUsedMB!);
    put('rss.at1M.heapTotalMb', million.heapTotalMB!);
    put('rss.at1M.externalMb', million.externalMB!);
    put('million.size', M);
    put('seed1m.S', seed1M / 1000);
    put('seedAudit1m.S', seedAudit1M / 1000);
  }
  if (csv) {
    out.push('### CSV import through the IPC channel (customers.importRun)', '');
    out.push('| rows | CSV size | time (parse + validate + seal + staged batches + publish + audit) | rows/s | progress events |', '|---:|---:|---:|---:|---:|');
    out.push(`| ${csv.imported.toLocaleString('en-GB')} | ${csv.csvMB.toFixed(1)} MB | ${fmt(csv.ms)} | ${rate(csv.imported, csv.ms)} | ${csv.progressEvents} |`, '');
    put('csvImport.S', csv.ms / 1000);
    put('csvImport.rowsPerS', csv.imported / (csv.ms / 1000));
    put('csvImport.csvMB', csv.csvMB);
  }

  if (during) {
    out.push(`### list / search / open through IPC while a ${during.imported.toLocaleString('en-GB')}-row import job runs (at ${N.toLocaleString('en-GB')} customers)`, '');
    out.push('| call | idle p50 | idle p95 | during import p50 | during import p95 | calls during import |', '|---|---:|---:|---:|---:|---:|');
    for (const kind of ['list', 'search', 'open'] as const) {
      const i = during.idle[kind];
      const d = during.during[kind];
      out.push(`| ${kind} | ${fmt(i.p50)} | ${fmt(i.p95)} | ${fmt(d.p50)} | ${fmt(d.p95)} | ${d.n} |`);
      put(`idle.${kind}P50Ms`, i.p50);
      put(`idle.${kind}P95Ms`, i.p95);
      put(`duringImport.${kind}P50Ms`, d.p50);
      put(`duringImport.${kind}P95Ms`, d.p95);
    }
    const worst = (r: DuringImport['idle']) => Math.max(r.list.p95, r.search.p95, r.open.p95);
    out.push(`| **worst p95** | | **${fmt(worst(during.idle))}** | | **${fmt(worst(during.during))}** | target ≤ 100 ms |`, '');
    out.push(
      `Import under this load: ${fmt(during.importMs)} (${rate(during.imported, during.importMs)}). Longest event-loop stall: ${fmt(during.idleMaxLoopDelayMs)} idle, ${fmt(during.maxLoopDelayMs)} during the import.`,
    );
    put('idle.p95Ms', worst(during.idle));
    put('duringImport.p95Ms', worst(during.during));
    put('duringImport.importS', during.importMs / 1000);
    put('duringImport.importRowsPerS', during.imported / (during.importMs / 1000));
    put('idle.maxEventLoopDelayMs', during.idleMaxLoopDelayMs);
    put('duringImport.maxEventLoopDelayMs', during.maxLoopDelayMs);
  }
  out.push('');
}

if (PG && !process.env.ITPC_TEST_PG) {
  // Re-run this benchmark under a throw-away PostgreSQL server, started and stopped the way the tests do it.
  const script = fileURLToPath(new URL('../../scripts/with-postgres.sh', import.meta.url));
  const r = spawnSync('bash', [script, process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

