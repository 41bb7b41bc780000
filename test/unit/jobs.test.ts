import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { systemClock } from '../../main/platform/clock.std.ts';
import { AppError } from '../../main/platform/ipc/errors.std.ts';
import type { Job, JobKind, JobWork } from '../../main/platform/jobs/job.node.ts';
import { JobRunner, type JobAuditSink } from '../../main/platform/jobs/jobRunner.node.ts';
import { type Db } from '../../main/platform/store/database.node.ts';
import { migrate } from '../../main/platform/store/migrate.node.ts';
import { tempDir } from '../support/core.ts';
import { freshDb } from '../support/database.ts';

/** A toy job: writes `per` rows per batch into a scratch table, tagged with its job id, up to `total`. */
class CountingWork implements JobWork {
  constructor(
    private next: number,
    private readonly total: number,
    private readonly hooks: { per?: number; failAt?: number } = {},
  ) {}
  async step(trx: Knex.Transaction, job: Job) {
    if (this.next >= this.total) return { done: this.total, finished: true };
    if (this.hooks.failAt !== undefined && this.next >= this.hooks.failAt) throw new Error('boom (test)');
    const per = this.hooks.per ?? 10;
    const rows = Array.from({ length: Math.min(per, this.total - this.next) }, (_, k) => ({ job_id: job.id, n: this.next + k }));
    await trx('job_test_rows').insert(rows);
    this.next += rows.length;
    return { done: this.next, cursor: { next: this.next } };
  }
}

const rollbackBatch = async (trx: Knex.Transaction, job: Job) => {
  const ids = (await trx('job_test_rows').where({ job_id: job.id }).limit(7).select<{ n: number }[]>('n')).map((r) => r.n);
  await trx('job_test_rows').where({ job_id: job.id }).whereIn('n', ids).delete();
  return ids.length === 0;
};
const rollbackOnly: JobKind = { kind: 'test.rollback', rollbackBatch };
const resumable: JobKind = {
  kind: 'test.resumable',
  rollbackBatch,
  resume: (job) => new CountingWork(Number((job.cursor as { next: number } | null)?.next ?? 0), job.total ?? 0),
};

describe('job runner', () => {
  let dir: string;
  let db: Db;
  const audited: { action: string; details?: Record<string, unknown> }[] = [];
  const audit: JobAuditSink = { append: async (_q, event) => audited.push(event) };
  const runner = () => {
    const r = new JobRunner(db, systemClock, { audit });
    r.register(rollbackOnly);
    r.register(resumable);
    return r;
  };
  const rowsOf = async (jobId: string) => Number((await db('job_test_rows').where({ job_id: jobId }).count<{ n: number }[]>('* as n'))[0]!.n);

  before(async () => {
    dir = tempDir('itpc-jobs-');
    db = await freshDb();
    await migrate(db);
    await db.schema.createTable('job_test_rows', (t) => {
      t.uuid('job_id').notNullable();
      t.integer('n').notNullable();
    });
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a job runs batch by batch, records progress and cursor, and succeeds', async () => {
    const r = runner();
    const seen: number[] = [];
    const handle = await r.start('test.rollback', new CountingWork(0, 45), { startedBy: null, total: 45, onProgress: (j) => seen.push(j.done) });
    const job = await handle.result;
    assert.equal(job.state, 'succeeded');
    assert.deepEqual(seen, [10, 20, 30, 40, 45, 45]);
    const stored = (await r.get(handle.id))!;
    assert.equal(stored.state, 'succeeded');
    assert.equal(stored.done, 45);
    assert.deepEqual(stored.cursor, { next: 45 });
    assert.ok(stored.finishedAt);
    assert.equal(await rowsOf(handle.id), 45);
  });

  test('cancel stops between batches and rolls the written batches back', async () => {
    const r = runner();
    let id = '';
    const handle = await r.start('test.rollback', new CountingWork(0, 10_000), {
      startedBy: null,
      onProgress: (j) => {
        if (j.done === 30) r.cancel(id);
      },
      cancelError: () => new AppError('CANCELLED', 'Cancelled (test).'),
    });
    id = handle.id;
    await assert.rejects(handle.result, /Cancelled \(test\)/);
    const stored = (await r.get(id))!;
    assert.equal(stored.state, 'cancelled');
    assert.equal(stored.errorCode, 'CANCELLED');
    assert.equal(await rowsOf(id), 0);
  });

  test('a failing batch rolls the earlier batches back and records the error code', async () => {
    const r = runner();
    const handle = await r.start('test.rollback', new CountingWork(0, 100, { failAt: 50 }), { startedBy: null });
    await assert.rejects(handle.result, /boom/);
    const stored = (await r.get(handle.id))!;
    assert.equal(stored.state, 'failed');
    assert.equal(stored.errorCode, 'INTERNAL');
    assert.equal(await rowsOf(handle.id), 0);
  });

  test('recovery: a job left running by a killed process is rolled back when its kind cannot resume', async () => {
    const left = { id: '00000000-0000-4000-8000-000000000001', kind: 'test.rollback', state: 'running', done: 20, total: 100, cursor: '{"next":20}', started_by: null, error_code: null, created_at: 'x', updated_at: 'x', finished_at: null };
    await db('jobs').insert(left);
    await db('job_test_rows').insert(Array.from({ length: 20 }, (_, n) => ({ job_id: left.id, n })));
    const r = runner();
    const recovered = await r.recover();
    assert.deepEqual(recovered, { resumed: [], rolledBack: [left.id] });
    const stored = (await r.get(left.id))!;
    assert.equal(stored.state, 'rolled_back');
    assert.equal(stored.errorCode, 'INTERRUPTED');
    assert.equal(await rowsOf(left.id), 0);
    assert.ok(audited.some((e) => e.action === 'job.rolled_back' && e.details?.jobId === left.id));
  });

  test('recovery on a shared database: another workstation\'s live job is left alone until its lease runs out; this workstation\'s own is taken at once', async () => {
    const now = Date.now();
    const at = (msAgo: number) => new Date(now - msAgo).toISOString();
    const job = (id: string, owner: string, updatedAt: string) => ({ id, kind: 'test.rollback', state: 'running', done: 5, total: 100, cursor: null, started_by: null, error_code: null, created_at: updatedAt, updated_at: updatedAt, finished_at: null, owner });
    const live = job('00000000-0000-4000-8000-00000000000a', 'ws-a', at(5_000));
    const mine = job('00000000-0000-4000-8000-00000000000b', 'ws-b', at(5_000));
    await db('jobs').insert([live, mine]);
    await db('job_test_rows').insert([...Array.from({ length: 5 }, (_, n) => ({ job_id: live.id, n })), ...Array.from({ length: 5 }, (_, n) => ({ job_id: mine.id, n }))]);
    let offset = 0;
    const clock = { now: () => now + offset, nowIso: () => new Date(now + offset).toISOString() };
    const b = new JobRunner(db, clock, { audit, owner: 'ws-b', leaseMs: 60_000 });
    b.register(rollbackOnly);
    assert.deepEqual(await b.recover(), { resumed: [], rolledBack: [mine.id] }, 'its own job (its previous process is gone) at once');
    assert.equal((await b.get(live.id))!.state, 'running', 'workstation A is still writing batches: not touched');
    assert.equal(await rowsOf(live.id), 5);
    offset = 2 * 60_000;
    assert.deepEqual(await b.recover(), { resumed: [], rolledBack: [live.id] }, 'A committed nothing for longer than the lease');
    assert.equal(await rowsOf(live.id), 0);
    assert.equal((await b.get(live.id))!.owner, 'ws-b');
  });

  test('recovery: a job killed while rolling back finishes its roll-back with its first outcome', async () => {
    const left = { id: '00000000-0000-4000-8000-000000000002', kind: 'test.rollback', state: 'rolling_back', done: 20, total: 100, cursor: null, started_by: null, error_code: 'CANCELLED', created_at: 'x', updated_at: 'x', finished_at: null };
    await db('jobs').insert(left);
    await db('job_test_rows').insert(Array.from({ length: 9 }, (_, n) => ({ job_id: left.id, n })));
    await runner().recover();
    assert.equal((await runner().get(left.id))!.state, 'cancelled');
    assert.equal(await rowsOf(left.id), 0);
  });

  test('recovery: a resumable job continues from its stored cursor', async () => {
    const left = { id: '00000000-0000-4000-8000-000000000003', kind: 'test.resumable', state: 'running', done: 30, total: 55, cursor: '{"next":30}', started_by: null, error_code: null, created_at: 'x', updated_at: 'x', finished_at: null };
    await db('jobs').insert(left);
    await db('job_test_rows').insert(Array.from({ length: 30 }, (_, n) => ({ job_id: left.id, n })));
    const r = runner();
    assert.deepEqual(await r.recover(), { resumed: [left.id], rolledBack: [] });
    await r.idle();
    const stored = (await r.get(left.id))!;
    assert.equal(stored.state, 'succeeded');
    assert.equal(await rowsOf(left.id), 55);
    const ns = (await db('job_test_rows').where({ job_id: left.id }).orderBy('n').select<{ n: number }[]>('n')).map((x) => x.n);
    assert.deepEqual(ns, Array.from({ length: 55 }, (_, n) => n), 'no row written twice or skipped');
  });

  test('stop leaves a running job for recovery at the next open', async () => {
    const r = runner();
    const handle = await r.start('test.rollback', new CountingWork(0, 1_000_000), { startedBy: null });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await r.stop();
    await assert.rejects(handle.result, (e: AppError) => e.code === 'CANCELLED');
    assert.equal((await r.get(handle.id))!.state, 'running');
    const next = runner();
    assert.deepEqual((await next.recover()).rolledBack, [handle.id]);
    assert.equal(await rowsOf(handle.id), 0);
  });
});
