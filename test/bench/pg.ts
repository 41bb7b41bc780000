/**
 * PostgreSQL section of `npm run bench` (BENCH_PG=1; run.ts re-runs itself under scripts/with-postgres.sh, so a
 * throw-away server is started and stopped the way the tests do it).
 *
 *  1. The N-customer import (customers with one order each) through the same encrypted path as the SQLite import
 *     measurement (CustomerStore/OrderService.prepare → insertPrepared, pipelined, one transaction), on a fresh
 *     SQLite file and on a fresh PostgreSQL database, one after the other with the same rows.
 *  2. Several workstations on one database: BENCH_PG_CUSTOMERS customers (default 20,000) seeded through
 *     CustomerStore.prepare/insertPrepared, one staff account per client; then 1, 4 and 8 client processes
 *     (test/bench/pgClient.ts: each its own core, pool and session) open records (`customers.open`, audited) in a
 *     loop for BENCH_PG_SECONDS (default 10) seconds, started together. Reported: calls/s over all clients, p50/p95
 *     over all calls, errors.
 *  3. The floor on the same database, right after: 1, 4 and 8 processes (test/bench/pgFloorClient.ts) each with one
 *     plain pg connection and no app code, each call one transaction (read a customer row, insert a row of its own,
 *     commit): how far this machine lets a workload with no shared row scale, beside the clients' own scaling.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCore } from '../../main/core.node.ts';
import type { CustomerStore } from '../../main/features/customers/customerStore.node.ts';
import type { OrderService } from '../../main/features/orders/orderService.node.ts';
import type { SecretVault } from '../../main/platform/keychain/vault.std.ts';
import { openDatabase, type DatabaseConfig, type Db } from '../../main/platform/store/database.node.ts';
import { ADMIN, tempDir } from '../support/core.ts';
import { testDatabase } from '../support/database.ts';
import { DirectoryVault } from '../support/fileVault.ts';

const CUSTOMERS = Number(process.env.BENCH_PG_CUSTOMERS ?? 20_000);
const SECONDS = Number(process.env.BENCH_PG_SECONDS ?? 10);
const CLIENTS = (process.env.BENCH_PG_CLIENTS ?? '1,4,8').split(',').map(Number);

export interface BenchKit<I> {
  n: number;
  items(count: number, offset: number, seed: number): I[];
  openEncrypted(where: string | DatabaseConfig, keys?: SecretVault): Promise<{ db: Db; customers: CustomerStore; orders: OrderService }>;
  writeEncrypted(db: Db, customers: CustomerStore, orders: OrderService, items: readonly I[], withOrders: boolean): Promise<number>;
  log(...args: unknown[]): void;
  fmt(ms: number): string;
  rate(n: number, ms: number): string;
  percentiles(samples: number[]): { p50: number; p95: number };
}

interface ClientsRow {
  clients: number;
  calls: number;
  perS: number;
  p50: number;
  p95: number;
  cpuMsPerCall: number;
  busyCores: number;
  stealCores: number;
  errors: string;
}

interface ClientResult {
  calls: number;
  errors: Record<string, number>;
  ms: number[];
}

async function importOn<I>(kit: BenchKit<I>, where: string | DatabaseConfig, items: readonly I[]): Promise<number> {
  const e = await kit.openEncrypted(where);
  try {
    return await kit.writeEncrypted(e.db, e.customers, e.orders, items, true);
  } finally {
    await e.db.destroy();
  }
}

/** Imports `items` into a fresh SQLite file and a fresh PostgreSQL database; returns both times (ms). */
async function importBoth<I>(kit: BenchKit<I>, items: readonly I[]): Promise<{ sqlite: number; pg: number }> {
  const dir = tempDir('itpc-bench-pgcmp-');
  const pgDb = await testDatabase();
  try {
    const sqlite = await importOn(kit, dir, items);
    const pg = await importOn(kit, pgDb.config, items);
    return { sqlite, pg };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await pgDb.drop();
  }
}

/**
 * The machine's CPU time since boot from /proc/stat's summary line, in clock ticks: busy (user, nice, system, irq,
 * softirq: clients, server and the kernel's loopback networking), all (including idle and iowait) and steal (time
 * the hypervisor gave to others). os.cpus() leaves softirq and steal out, which would undercount the busy time.
 */
function machineTicks(): { busy: number; all: number; steal: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq!;
  return { busy, all: busy + idle! + iowait! + steal!, steal: steal! };
}

/**
 * The clients' results, and the machine's busy CPU time over the measured window (from "go" for SECONDS): with the
 * calls made, what one call costs the machine, so the bench can say how many calls/s its cores could give at most.
 */
function runClients(count: number, clientArgs: (k: number) => string[]): Promise<{ results: ClientResult[]; busyCpuMs: number; stealCpuMs: number }> {
  const children = Array.from({ length: count }, (_, k) => spawn(process.execPath, ['--import', 'tsx', ...clientArgs(k)], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const outputs = children.map(() => '');
  let ready = 0;
  let windowCpu: Promise<{ busyCpuMs: number; stealCpuMs: number }> = Promise.resolve({ busyCpuMs: Number.NaN, stealCpuMs: Number.NaN });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      for (const c of children) c.kill();
      reject(new Error('benchmark clients did not finish in time'));
    }, (SECONDS + 180) * 1000);
    let exited = 0;
    children.forEach((child, k) => {
      child.stdout.on('data', (chunk: Buffer) => {
        outputs[k] += chunk.toString();
        if (chunk.toString().includes('ready\n')) {
          ready += 1;
          if (ready === count) {
            const started = machineTicks();
            windowCpu = new Promise((done) =>
              setTimeout(() => {
                const ended = machineTicks();
                const all = ended.all - started.all;
                // Shares of the whole machine over the window, as core-milliseconds.
                const coreMs = cpus().length * SECONDS * 1000;
                done({ busyCpuMs: ((ended.busy - started.busy) / all) * coreMs, stealCpuMs: ((ended.steal - started.steal) / all) * coreMs });
              }, SECONDS * 1000),
            );
            for (const c of children) c.stdin.write('go\n');
          }
        }
      });
      child.on('exit', (code) => {
        exited += 1;
        if (code !== 0) {
          clearTimeout(timer);
          for (const c of children) c.kill();
          reject(new Error(`benchmark client ${k + 1} exited with ${code}`));
          return;
        }
        if (exited === count) {
          clearTimeout(timer);
          const results = outputs.map((o) => JSON.parse(o.trim().split('\n').at(-1)!) as ClientResult);
          void windowCpu.then((cpu) => resolve({ results, ...cpu }));
        }
      });
    });
  });
}

export async function pgSection<I>(kit: BenchKit<I>, put: (key: string, value: number) => void, out: string[]): Promise<void> {
  const { log, fmt, rate, percentiles } = kit;
  // Warm-up both engines (JIT, OpenSSL, pg driver), then the N-customer import on each.
  await importBoth(kit, kit.items(2000, 10_000_000, 99));
  const imported = await importBoth(kit, kit.items(kit.n, 0, 1));
  log(`import: SQLite ${fmt(imported.sqlite)}, PostgreSQL ${fmt(imported.pg)}`);

  // One office database: accounts made through the core, customers through the real prepare/insertPrepared path.
  const maxClients = Math.max(...CLIENTS);
  const database = await testDatabase();
  const vaultDir = tempDir('itpc-bench-pgvault-');
  const rows: ClientsRow[] = [];
  const floor: ClientsRow[] = [];
  const summarise = (clients: number, { results, busyCpuMs, stealCpuMs }: Awaited<ReturnType<typeof runClients>>): ClientsRow => {
    const all = results.flatMap((r) => r.ms);
    const calls = all.length;
    const errors: Record<string, number> = {};
    for (const r of results) for (const [code, n] of Object.entries(r.errors)) errors[code] = (errors[code] ?? 0) + n;
    const { p50, p95 } = percentiles(all.length ? all : [Number.NaN]);
    return { clients, calls, perS: calls / SECONDS, p50, p95, cpuMsPerCall: busyCpuMs / calls, busyCores: busyCpuMs / (SECONDS * 1000), stealCores: stealCpuMs / (SECONDS * 1000), errors: Object.entries(errors).map(([c, n]) => `${c}×${n}`).join(', ') || 'none' };
  };
  try {
    const seedDir = tempDir('itpc-bench-pgseed-');
    const core = await openCore({ dataDir: seedDir, vault: new DirectoryVault(vaultDir), passwordCost: 10, database: database.config });
    const admin = { senderId: 'bench-admin', trusted: true as const };
    const must = async (channel: string, input: unknown) => {
      const r = await core.handle(admin, channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value;
    };
    await must('session.setup', ADMIN);
    for (let k = 1; k <= maxClients; k += 1) {
      await must('accounts.create', { username: `bench.staff${k}`, displayName: `Bench Staff ${k}`, role: 'staff', password: ADMIN.password });
    }
    await core.close();
    rmSync(seedDir, { recursive: true, force: true });
    const e = await kit.openEncrypted(database.config, new DirectoryVault(vaultDir));
    const seedMs = await kit.writeEncrypted(e.db, e.customers, e.orders, kit.items(CUSTOMERS, 30_000_000, 5), false);
    const ids = await e.db('customers').pluck<string[]>('id');
    await e.db.destroy();
    const idsFile = join(vaultDir, 'ids.txt');
    writeFileSync(idsFile, ids.join('\n'));
    log(`PostgreSQL office database seeded: ${ids.length} customers in ${fmt(seedMs)}`);

    const workstation = fileURLToPath(new URL('./pgClient.ts', import.meta.url));
    for (const clients of CLIENTS) {
      const row = summarise(clients, await runClients(clients, (k) => [workstation, JSON.stringify(database.config), vaultDir, `bench.staff${k + 1}`, String(SECONDS * 1000), idsFile, ADMIN.password]));
      rows.push(row);
      log(`${clients} client(s): ${row.calls} calls, ${row.perS.toFixed(1)}/s, p95 ${fmt(row.p95)}`);
    }
    // The floor, on the same database right after: plain pg connections, no app code (pgFloorClient.ts).
    const floorDb = openDatabase(database.config);
    try {
      await floorDb.schema.createTable('bench_floor', (t) => {
        t.uuid('id').primary();
        t.timestamp('at', { useTz: true }).notNullable();
      });
    } finally {
      await floorDb.destroy();
    }
    const floorScript = fileURLToPath(new URL('./pgFloorClient.ts', import.meta.url));
    for (const clients of CLIENTS) {
      const row = summarise(clients, await runClients(clients, (k) => [floorScript, JSON.stringify(database.config), String(SECONDS * 1000), idsFile, String(k + 1)]));
      floor.push(row);
      log(`floor, ${clients} client(s): ${row.calls} calls, ${row.perS.toFixed(1)}/s, p95 ${fmt(row.p95)}`);
    }
  } finally {
    await database.drop();
    rmSync(vaultDir, { recursive: true, force: true });
  }

  out.push('## PostgreSQL', '');
  out.push(`Throw-away local PostgreSQL (scripts/with-postgres.sh: fsync off, synchronous_commit off), same host as the clients.`, '');
  out.push(`### Import: ${kit.n.toLocaleString('en-GB')} customers with orders, encrypted service path, one transaction`, '');
  out.push('| engine | time | customers/s |', '|---|---:|---:|');
  out.push(`| SQLite | ${fmt(imported.sqlite)} | ${rate(kit.n, imported.sqlite)} |`);
  out.push(`| PostgreSQL | ${fmt(imported.pg)} | ${rate(kit.n, imported.pg)} |`, '');
  put('sqlite.import.seconds', imported.sqlite / 1000);
  put('pg.import.seconds', imported.pg / 1000);
  out.push(`### Workstations opening records (customers.open, audited) for ${SECONDS} s on ${CUSTOMERS.toLocaleString('en-GB')} customers`, '');
  out.push('| client processes | calls | calls/s (all clients) | p50 | p95 | machine CPU busy (cores) | stolen by the hypervisor (cores) | CPU per call (clients, server, kernel) | errors |', '|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    out.push(`| ${r.clients} | ${r.calls} | ${r.perS.toFixed(1)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${r.busyCores.toFixed(2)} of ${cpus().length} | ${r.stealCores.toFixed(2)} | ${r.cpuMsPerCall.toFixed(2)} ms | ${r.errors} |`);
    put(`pg.callsPerSec.${r.clients}`, r.perS);
    put(`pg.p95Ms.${r.clients}`, r.p95);
    put(`pg.p50Ms.${r.clients}`, r.p50);
    put(`pg.cpuMsPerCall.${r.clients}`, r.cpuMsPerCall);
    put(`pg.busyCores.${r.clients}`, r.busyCores);
    put(`pg.stealCores.${r.clients}`, r.stealCores);
  }
  const one = rows.find((r) => r.clients === 1);
  const most = rows.at(-1);
  if (one && most && most !== one) {
    out.push(`| **${most.clients} vs 1** | | **${(most.perS / one.perS).toFixed(2)}×** | | | | | | target ≥ 3×, p95 ≤ 50 ms at 8 |`);
    put(`pg.scaling.${most.clients}`, most.perS / one.perS);
  }
  if (one) {
    // Every core busy at one client's CPU cost per call: what this machine could give at most with this design's cost.
    const ceiling = (cpus().length * 1000) / one.cpuMsPerCall;
    out.push('', `At one client's CPU cost per call (${one.cpuMsPerCall.toFixed(2)} ms across clients, server and kernel), this machine's ${cpus().length} cores could serve at most ≈ ${ceiling.toFixed(0)} calls/s: **${(ceiling / one.perS).toFixed(2)}×** one client (\`pg.cpuCeiling.scaling\`).`);
    put('pg.cpuCeiling.callsPerSec', ceiling);
    put('pg.cpuCeiling.scaling', ceiling / one.perS);
  }
  out.push('', `### The floor: ${CLIENTS.join(' / ')} processes, each one plain pg connection, no app code (read one customer row, insert one row of its own, commit)`, '');
  out.push('| client processes | calls/s (all clients) | p50 | p95 | machine CPU busy (cores) | stolen by the hypervisor (cores) | CPU per call | errors |', '|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of floor) {
    out.push(`| ${r.clients} | ${r.perS.toFixed(1)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${r.busyCores.toFixed(2)} of ${cpus().length} | ${r.stealCores.toFixed(2)} | ${r.cpuMsPerCall.toFixed(2)} ms | ${r.errors} |`);
    put(`pg.floor.callsPerSec.${r.clients}`, r.perS);
    put(`pg.floor.p95Ms.${r.clients}`, r.p95);
    put(`pg.floor.stealCores.${r.clients}`, r.stealCores);
  }
  const floorOne = floor.find((r) => r.clients === 1);
  const floorMost = floor.at(-1);
  if (floorOne && floorMost && floorMost !== floorOne && most && one) {
    const floorScaling = floorMost.perS / floorOne.perS;
    const consoleScaling = most.perS / one.perS;
    out.push('', `${floorMost.clients} vs 1: the floor **${floorScaling.toFixed(2)}×**, the console ${consoleScaling.toFixed(2)}× (${((consoleScaling / floorScaling) * 100).toFixed(0)}% of the floor's).`);
    put(`pg.floor.scaling.${floorMost.clients}`, floorScaling);
  }
  out.push('');
}
