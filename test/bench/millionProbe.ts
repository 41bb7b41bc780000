/**
 * The 1M stage's measurements, in a process of their own so its RSS is the core's, not the benchmark's (which
 * holds the synthetic items): cold start of the core on the big database, list and search through IPC, audit
 * verify against a raw HMAC loop over the same rows. Run by run.ts; prints one JSON object on stdout.
 *
 * argv: dataDir, probes file (JSON [{by, value}]), total customers. The benchmark's in-memory keychain comes in
 * ITPC_BENCH_VAULT (JSON, name → base64).
 */
import { createHmac, createSecretKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE, openCore } from '../../main/core.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { unlockKeyRing } from '../../main/platform/crypto/kek.node.ts';
import { openDatabase } from '../../main/platform/store/database.node.ts';
import { systemClock } from '../../main/platform/clock.std.ts';
import { ADMIN } from '../support/core.ts';
import { prng } from './synthetic.ts';

const [dir, probesFile, totalArg] = process.argv.slice(2) as [string, string, string];
const total = Number(totalArg);
const probes = JSON.parse(readFileSync(probesFile, 'utf8')) as { by: string; value: string }[];
const QUERIES = Number(process.env.BENCH_QUERIES ?? 400);

function percentiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95) };
}

async function main() {
  const vault = new MemoryVault();
  for (const [k, v] of Object.entries(JSON.parse(process.env.ITPC_BENCH_VAULT ?? '{}') as Record<string, string>)) await vault.set(k, Buffer.from(v, 'base64'));
  const out: Record<string, number> = {};

  // Cold start (mode "open", one fresh process per measurement): open (migrate check, key unlock, trigger and
  // witness checks) and the first query answered.
  if (process.env.BENCH_PROBE_MODE === 'open') {
    const started = performance.now();
    const core = await openCore({ dataDir: dir, vault, passwordCost: 10 });
    const status = await core.handle({ senderId: 'cold', trusted: true }, 'session.status', {});
    if (!status.ok) throw new Error('session.status failed');
    out.openMs = performance.now() - started;
    await core.close();
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }

  const core = await openCore({ dataDir: dir, vault, passwordCost: 10 });
  try {
    const must = async (sender: { senderId: string; trusted: boolean }, channel: string, input: unknown) => {
      const r = await core.handle(sender, channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value as Record<string, unknown>;
    };
    out.rssAfterOpenMB = process.memoryUsage().rss / 1e6;
    const sender = { senderId: `bench-${randomUUID()}`, trusted: true };
    await must(sender, 'session.login', { username: 'bench.manager', password: ADMIN.password });
    const firstStarted = performance.now();
    await must(sender, 'customers.list', { offset: 0, limit: 50 });
    out.firstListMs = performance.now() - firstStarted;

    const rand = prng(11);
    for (const p of probes.slice(0, 20)) await must(sender, 'customers.search', p);
    const search: number[] = [];
    const searchByField = new Map<string, number[]>();
    for (const p of probes.slice(0, QUERIES)) {
      const started = performance.now();
      const r = await must(sender, 'customers.search', p);
      const ms = performance.now() - started;
      search.push(ms);
      const times = searchByField.get(p.by) ?? [];
      times.push(ms);
      searchByField.set(p.by, times);
      if ((r.rows as unknown[]).length === 0) throw new Error(`search by ${p.by} found nothing`);
    }
    const jump: number[] = [];
    const next: number[] = [];
    for (let i = 0; i < Math.max(100, QUERIES / 2); i += 1) {
      const offset = Math.floor(rand() * Math.max(1, total - 50));
      let started = performance.now();
      const page = (await must(sender, 'customers.list', { offset, limit: 50 })) as { rows: { id: string; createdAt: string }[] };
      jump.push(performance.now() - started);
      if (page.rows.length !== 50) throw new Error('short page');
      const last = page.rows.at(-1)!;
      started = performance.now();
      await must(sender, 'customers.list', { after: { createdAt: last.createdAt, id: last.id }, limit: 50 });
      next.push(performance.now() - started);
    }
    const s = percentiles(search);
    for (const [by, times] of searchByField) out[`search_${by}P95Ms`] = percentiles(times).p95;
    const j = percentiles(jump);
    const n = percentiles(next);
    Object.assign(out, { searchP50Ms: s.p50, searchP95Ms: s.p95, listJumpP50Ms: j.p50, listJumpP95Ms: j.p95, listNextP50Ms: n.p50, listNextP95Ms: n.p95 });

    // Audit verify through IPC as the auditor does it, with progress, then the raw loop over the same rows.
    const auditor = { senderId: `bench-${randomUUID()}`, trusted: true };
    await must(auditor, 'session.login', { username: 'bench.auditor', password: ADMIN.password });
    let progressEvents = 0;
    const off = core.onEvent((s2, event) => void (s2 === auditor.senderId && event === 'progress' && (progressEvents += 1)));
    const verifyStarted = performance.now();
    const verified = (await must(auditor, 'audit.verify', { taskId: randomUUID() })) as { ok: boolean; checked: number };
    out.verifyMs = performance.now() - verifyStarted;
    off();
    if (!verified.ok) throw new Error('the benchmark chain does not verify');
    out.verifyChecked = verified.checked;
    out.verifyProgressEvents = progressEvents;
    const memory = process.memoryUsage();
    out.rssMB = memory.rss / 1e6;
    out.heapUsedMB = memory.heapUsed / 1e6;
    out.heapTotalMB = memory.heapTotal / 1e6;
    out.externalMB = memory.external / 1e6;
  } finally {
    await core.close();
  }

  // Raw baseline: the same rows read with the same keyset pages, one HMAC-SHA256 each over the same bytes.
  const db = openDatabase({ client: 'sqlite', filename: join(dir, DATABASE_FILE) });
  try {
    const ring = await unlockKeyRing(db, vault, systemClock.nowIso());
    const key = createSecretKey(ring.audit.key);
    const started = performance.now();
    let after = 0;
    let n = 0;
    for (;;) {
      const rows = await db('audit_events').where('seq', '>', after).orderBy('seq').limit(5000);
      for (const row of rows as { seq: number; at: string; actor_id: string | null; action: string; outcome: string; details: string; prev_hash: string }[]) {
        createHmac('sha256', key).update(`${row.prev_hash}\u001e${[row.seq, row.at, row.actor_id ?? '', row.action, row.outcome, row.details].join('\u001f')}`).digest('hex');
        after = row.seq;
        n += 1;
      }
      if (rows.length < 5000) break;
    }
    out.rawHmacMs = performance.now() - started;
    out.rawHmacRows = n;
  } finally {
    await db.destroy();
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
