/**
 * Key-rotation benchmark (issue #11), part of `npm run bench` when BENCH_KEYS=1 (run.ts calls `keyRotationSection`;
 * it seeds its own database, so it is off by default), and runnable alone: `node --import tsx test/bench/keyRotation.ts`.
 *
 *  1. KEK rotation through the IPC channel (keys.rotateKek: keychain, one transaction rewrapping the domain keys,
 *     audit event, keychain swap) at N customers.
 *  2. DEK-wrap rotation (keys.rotateDomainKey dek-wrap): the job rewrapping every customer key in batches of 100,
 *     start to finish, with exact searches through IPC (staff session, audited) answered meanwhile: p50/p95.
 *  3. Blind-index rotation (keys.rotateDomainKey blind-index): the job re-indexing every customer, the same way;
 *     every search meanwhile must find its customer (rows under either version).
 *
 * Environment: BENCH_KEYS_CUSTOMERS (default BENCH_CUSTOMERS or 100000), BENCH_JSON=path (standalone only).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { openCore } from '../../main/core.node.ts';
import { CUSTOMER_KEYS, CustomerStore } from '../../main/features/customers/customerStore.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { SubjectKeys } from '../../main/platform/crypto/subjectKeys.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { openDatabase } from '../../main/platform/store/database.node.ts';
import { ADMIN, tempDir } from '../support/core.ts';
import { customerAt, pools, prng } from './synthetic.ts';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../main/core.node.ts';

type Put = (key: string, value: number) => void;
const N = Number(process.env.BENCH_KEYS_CUSTOMERS ?? process.env.BENCH_CUSTOMERS ?? 100_000);
const log = (...args: unknown[]) => console.error('[bench:keys]', ...args);
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(2)} ms`);
const STAFF = { username: 'bench.staff', displayName: 'Bench Staff', role: 'staff' } as const;

function percentiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95) };
}

export async function keyRotationSection(put: Put, out: string[]): Promise<void> {
  const vault = new MemoryVault();
  const dir = tempDir('itpc-bench-keys-');
  try {
    const first = await openCore({ dataDir: dir, vault, passwordCost: 10 });
    const setup = await first.handle({ senderId: 'admin', trusted: true }, 'session.setup', ADMIN);
    if (!setup.ok) throw new Error(setup.error.message);
    await first.handle({ senderId: 'admin', trusted: true }, 'accounts.create', { ...STAFF, password: ADMIN.password });
    await first.close();

    // N customers (no orders) through the real sealing path: each has its own key wrapped by dek-wrap v1.
    const db = openDatabase({ client: 'sqlite', filename: join(dir, DATABASE_FILE) });
    const ring = await unlockKeyRing(db, vault, systemClock.nowIso());
    const customers = new CustomerStore(() => ring, systemClock, new SubjectKeys(() => ring, CUSTOMER_KEYS));
    const p = pools(prng(7));
    const rand = prng(3);
    const emails: string[] = [];
    await db.transaction(async (trx) => {
      const now = systemClock.nowIso();
      for (let k = 0; k < N; k += 500) {
        const batch = Array.from({ length: Math.min(500, N - k) }, (_, j) => {
          const details = customerAt(k + j, p, rand);
          if ((k + j) % 97 === 0) emails.push(details.email);
          return customers.prepare(details, { actorId: null, now });
        });
        await customers.insertPrepared(trx, batch);
      }
    });
    await db.destroy();
    log(`seeded ${N.toLocaleString('en-GB')} customers`);

    const core = await openCore({ dataDir: dir, vault, passwordCost: 10, keyRotationGraceMs: 0, keyRotationBatch: 100 });
    const must = async <T>(senderId: string, channel: string, input: unknown): Promise<T> => {
      const r = await core.handle({ senderId, trusted: true }, channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value as T;
    };
    await must('admin', 'session.login', { username: ADMIN.username, password: ADMIN.password });
    await must('staff', 'session.login', { username: STAFF.username, password: ADMIN.password });

    const started = performance.now();
    const kek = await must<{ rewrapped: number }>('admin', 'keys.rotateKek', {});
    const kekMs = performance.now() - started;
    log(`KEK rotated in ${fmt(kekMs)}`);

    // A rotation job start to finish, with audited exact searches through IPC meanwhile; each must find its row.
    const rotateWithSearches = async (purpose: 'dek-wrap' | 'blind-index') => {
      const searches: number[] = [];
      const begun = performance.now();
      await must('admin', 'keys.rotateDomainKey', { purpose });
      for (let i = 0; ; i += 1) {
        const t0 = performance.now();
        const found = await must<{ rows: unknown[] }>('staff', 'customers.search', { by: 'email', value: emails[i % emails.length] });
        searches.push(performance.now() - t0);
        if (found.rows.length !== 1) throw new Error(`a search during the ${purpose} rotation found ${found.rows.length} rows`);
        if (i % 20 === 0 && (await must<{ running: unknown[] }>('admin', 'keys.status', {})).running.length === 0) break;
      }
      const ms = performance.now() - begun;
      log(`${purpose} rotated in ${fmt(ms)} (${searches.length} searches)`);
      return { ms, searches: searches.length, ...percentiles(searches) };
    };
    const dek = await rotateWithSearches('dek-wrap');
    const bix = await rotateWithSearches('blind-index');
    await core.close();

    out.push(`### Key rotation at ${N.toLocaleString('en-GB')} customers (SQLite)`, '');
    out.push('| measure | result |', '|---|---|');
    out.push(`| KEK rotation (keys.rotateKek: keychain, ${kek.rewrapped} domain-key rows rewrapped, audit, keychain swap) | ${fmt(kekMs)} |`);
    out.push(`| DEK-wrap rotation job (every customer key rewrapped, batches of 100, old version retired) | ${fmt(dek.ms)} (${Math.round(N / (dek.ms / 1000)).toLocaleString('en-GB')} keys/s) |`);
    out.push(`| exact search through IPC while it runs (${dek.searches} calls) p50 / p95 | ${fmt(dek.p50)} / ${fmt(dek.p95)} |`);
    out.push(`| blind-index rotation job (every customer opened and its 4 indexes recomputed, batches of 100, old key destroyed) | ${fmt(bix.ms)} (${Math.round(N / (bix.ms / 1000)).toLocaleString('en-GB')} rows/s) |`);
    out.push(`| exact search through IPC while it runs, probing both versions (${bix.searches} calls) p50 / p95 | ${fmt(bix.p50)} / ${fmt(bix.p95)} |`, '');
    put('keys.customers', N);
    put('keys.kekRotationMs', kekMs);
    put('keys.dekWrapRotationS', dek.ms / 1000);
    put('keys.dekWrapKeysPerS', N / (dek.ms / 1000));
    put('keys.duringRotation.searchP50Ms', dek.p50);
    put('keys.duringRotation.searchP95Ms', dek.p95);
    put('keys.blindIndexRotationS', bix.ms / 1000);
    put('keys.blindIndexRowsPerS', N / (bix.ms / 1000));
    put('keys.duringBlindIndexRotation.searchP50Ms', bix.p50);
    put('keys.duringBlindIndexRotation.searchP95Ms', bix.p95);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures: Record<string, number> = {};
  const out: string[] = [];
  await keyRotationSection((k, v) => void (figures[k] = Number(v.toFixed(3))), out);
  process.stdout.write(`${out.join('\n')}\n`);
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(figures, null, 2)}\n`);
}
