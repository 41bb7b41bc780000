/**
 * Deletion benchmark (issue #8), part of `npm run bench` (run.ts calls `erasureSection`) and runnable alone:
 * `node --import tsx test/bench/erasure.ts`.
 *
 *  1. One approved deletion of a customer with 10 orders, through the IPC router (erasure.decide: re-auth
 *     checked, approval, key destroyed, every row removed, tombstone, ledger, audit event, commit) plus the WAL
 *     checkpoint that follows, at N customers and (BENCH_MILLION, default on) at 1M.
 *  2. A retention batch of 10 000 closed customers: proposal (erasure.proposeRetention) and the approved job
 *     deleting them in batches, end to end.
 *
 * Environment: BENCH_CUSTOMERS (default 100000), BENCH_MILLION=0 to skip 1M, BENCH_DELETIONS (default 10),
 * BENCH_RETENTION (default 10000; 0 skips the batch), BENCH_JSON=path (standalone only; run.ts writes its own).
 */
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DATABASE_FILE, openCore } from '../../main/core.node.ts';
import type { Core } from '../../main/core.contract.std.ts';
import type { ErasurePort } from '../../main/features/erasure/erasure.port.node.ts';
import { CUSTOMER_KEYS, CustomerStore } from '../../main/features/customers/customerStore.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { openDatabase, type Db } from '../../main/platform/store/database.node.ts';
import { migrate } from '../../main/platform/store/migrate.node.ts';
import { ADMIN, tempDir } from '../support/core.ts';
import { customerAt, orderFor, pools, prng } from './synthetic.ts';

type Put = (key: string, value: number) => void;
const N = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const MILLION = process.env.BENCH_MILLION !== '0';
const DELETIONS = Number(process.env.BENCH_DELETIONS ?? 10);
const RETENTION = Number(process.env.BENCH_RETENTION ?? 10_000);
const log = (...args: unknown[]) => console.error('[bench:erasure]', ...args);
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(2)} ms`);
const PEOPLE = {
  staff: { username: 'bench.staff', displayName: 'Bench Staff', role: 'staff' },
  manager: { username: 'bench.manager', displayName: 'Bench Manager', role: 'manager' },
  manager2: { username: 'bench.manager2', displayName: 'Bench Manager Two', role: 'manager' },
} as const;

/** Adds `count` customers (no orders) through the real sealing path, in 100k-row transactions. */
async function seed(db: Db, vault: MemoryVault, from: number, count: number, closedAt: string | null): Promise<void> {
  const ring = await unlockKeyRing(db, vault, systemClock.nowIso());
  const customers = new CustomerStore(() => ring, systemClock, new SubjectKeys(() => ring, CUSTOMER_KEYS));
  const p = pools(prng(7));
  const rand = prng(from + 1);
  for (let offset = 0; offset < count; offset += 100_000) {
    const now = systemClock.nowIso();
    const size = Math.min(100_000, count - offset);
    await db.transaction(async (trx) => {
      for (let k = 0; k < size; k += 500) {
        const batch = Array.from({ length: Math.min(500, size - k) }, (_, j) => customers.prepare(customerAt(from + offset + k + j, p, rand), { actorId: null, now }));
        if (closedAt) for (const c of batch) Object.assign(c.row, { status: 'closed', closed_at: closedAt });
        await customers.insertPrepared(trx, batch);
      }
    });
    log(`seeded ${(from + offset + size).toLocaleString('en-GB')}`);
  }
}

interface Office {
  core: Core;
  port: ErasurePort;
  call<T>(who: keyof typeof PEOPLE, channel: string, input: unknown): Promise<T>;
}

async function openOffice(dir: string, vault: MemoryVault): Promise<Office> {
  let port!: ErasurePort;
  const core = await openCore({ dataDir: dir, vault, passwordCost: 10, onErasurePort: (p) => void (port = p) });
  const must = async <T>(senderId: string, channel: string, input: unknown): Promise<T> => {
    const r = await core.handle({ senderId, trusted: true }, channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  if ((await must<{ setupRequired: boolean }>('admin', 'session.status', {})).setupRequired) {
    await must('admin', 'session.setup', ADMIN);
    for (const person of Object.values(PEOPLE)) await must('admin', 'accounts.create', { ...person, password: ADMIN.password });
  }
  for (const [who, person] of Object.entries(PEOPLE)) await must(who, 'session.login', { username: person.username, password: ADMIN.password });
  return { core, port, call: (who, channel, input) => must(who, channel, input) };
}

/** Median and worst of `DELETIONS` approved deletions of customers with 10 orders each (commit + WAL checkpoint). */
async function timeDeletions(office: Office): Promise<{ medianMs: number; maxMs: number }> {
  const p = pools(prng(11));
  const rand = prng(12);
  const times: number[] = [];
  for (let i = 0; i < DELETIONS; i += 1) {
    const details = { ...customerAt(9_000_000 + i, p, rand), email: `bench.delete.${randomUUID()}@example.com` };
    const { customer } = await office.call<{ customer: { id: string } }>('staff', 'customers.create', details);
    for (let o = 0; o < 10; o += 1) await office.call('staff', 'orders.create', { ...orderFor(details, rand), customerId: customer.id });
    const { request } = await office.call<{ request: { id: string } }>('staff', 'erasure.file', { customerId: customer.id, reason: 'customer_request', channel: 'email' });
    await office.call('manager', 'session.reauthenticate', { password: ADMIN.password });
    const started = performance.now();
    await office.call('manager', 'erasure.decide', { id: request.id, decision: 'approve' });
    await office.port.reclaimed();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)]!, maxMs: times.at(-1)! };
}

export async function erasureSection(put: Put, out: string[]): Promise<void> {
  const vault = new MemoryVault();
  const dir = tempDir('itpc-bench-erasure-');
  const rows: string[] = [];
  try {
    const db = openDatabase({ client: 'sqlite', filename: join(dir, DATABASE_FILE) });
    await migrate(db);
    await seed(db, vault, 0, N, null);
    await db.destroy();
    let office = await openOffice(dir, vault);
    const atN = await timeDeletions(office);
    await office.core.close();
    rows.push(`| ${N.toLocaleString('en-GB')} | ${fmt(atN.medianMs)} | ${fmt(atN.maxMs)} |`);
    put('erasure.n.deleteMedianMs', atN.medianMs);
    put('erasure.n.deleteMaxMs', atN.maxMs);
    log(`deletion at ${N} done`);
    if (MILLION && N < 1_000_000) {
      const grow = openDatabase({ client: 'sqlite', filename: join(dir, DATABASE_FILE) });
      await grow.raw('PRAGMA cache_size = -65536');
      await seed(grow, vault, N, 1_000_000 - N, null);
      await grow.destroy();
      office = await openOffice(dir, vault);
      const at1M = await timeDeletions(office);
      await office.core.close();
      rows.push(`| 1,000,000 | ${fmt(at1M.medianMs)} | ${fmt(at1M.maxMs)} |`);
      put('erasure.1m.deleteMedianMs', at1M.medianMs);
      put('erasure.1m.deleteMaxMs', at1M.maxMs);
      log('deletion at 1M done');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  out.push('### Deletions (SQLite)', '');
  out.push(`One approved deletion of a customer with 10 orders through \`erasure.decide\` (router, approval, key destroyed, rows removed, tombstone, ledger, audit, commit) and the WAL checkpoint after it; ${DELETIONS} deletions each.`, '');
  out.push('| customers | median | worst |', '|---:|---:|---:|', ...rows, '');
  if (RETENTION === 0) return;

  // Retention: RETENTION closed customers (closed a year ago) beside as many open ones.
  const rdir = tempDir('itpc-bench-retention-');
  let retention: { proposeMs: number; jobMs: number } | null = null;
  try {
    const db = openDatabase({ client: 'sqlite', filename: join(rdir, DATABASE_FILE) });
    await migrate(db);
    await seed(db, vault, 0, RETENTION, new Date(Date.now() - 365 * 86_400_000).toISOString());
    await seed(db, vault, RETENTION, RETENTION, null);
    await db.destroy();
    const office = await openOffice(rdir, vault);
    try {
      let started = performance.now();
      const { batch } = await office.call<{ batch: { approvalId: string; itemCount: number } }>('manager', 'erasure.proposeRetention', {});
      const proposeMs = performance.now() - started;
      started = performance.now();
      await office.call('manager2', 'erasure.decide', { id: batch.approvalId, decision: 'approve' });
      for (;;) {
        const { batches } = await office.call<{ batches: { finishedAt: string | null }[] }>('manager', 'erasure.retention', {});
        if (batches[0]!.finishedAt) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await office.port.reclaimed();
      retention = { proposeMs, jobMs: performance.now() - started };
      if (batch.itemCount !== RETENTION) throw new Error(`expected ${RETENTION} in the batch, got ${batch.itemCount}`);
    } finally {
      await office.core.close();
    }
  } finally {
    rmSync(rdir, { recursive: true, force: true });
  }
  put('erasure.retention.proposeMs', retention.proposeMs);
  put('erasure.retention.jobS', retention.jobMs / 1000);
  put('erasure.retention.perS', RETENTION / (retention.jobMs / 1000));

  out.push(
    `Retention batch of ${RETENTION.toLocaleString('en-GB')} closed customers (beside as many open): proposal ${fmt(retention.proposeMs)}; approval to the last deletion (job of 50-customer batches) ${fmt(retention.jobMs)} (${Math.round(RETENTION / (retention.jobMs / 1000)).toLocaleString('en-GB')}/s).`,
    '',
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures: Record<string, number> = {};
  const out: string[] = [];
  erasureSection((key, value) => void (figures[key] = Number(value.toFixed(3))), out)
    .then(() => {
      process.stdout.write(`${out.join('\n')}\n`);
      if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(figures, null, 2)}\n`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
