import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { pipelinedWrite } from '../../main/features/customers/bulkWrite.node.ts';

/** A writer that takes `ms` per chunk and records when each chunk's write started and ended, and any overlap. */
function slowWriter(log: string[], ms: number, failOn?: number) {
  let busy = false;
  let overlapped = false;
  let calls = 0;
  const write = async (chunk: unknown[]) => {
    const n = calls++;
    if (busy) overlapped = true;
    busy = true;
    log.push(`write ${n} start`);
    await sleep(ms);
    busy = false;
    log.push(`write ${n} end`);
    if (n === failOn) throw new Error(`chunk ${n} failed`);
    assert.ok(chunk.length > 0);
  };
  return { write, overlapped: () => overlapped, calls: () => calls };
}

const items = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('pipelinedWrite', () => {
  test('writes every item once, in order, chunk after chunk, never two writes at once', async () => {
    const seen: number[] = [];
    const counts: number[] = [];
    let busy = false;
    let overlapped = false;
    const written = await pipelinedWrite(
      items(23),
      5,
      (i) => i * 10,
      async (chunk) => {
        if (busy) overlapped = true;
        busy = true;
        await sleep(2);
        seen.push(...chunk);
        busy = false;
      },
      { slice: 2, afterChunk: (n) => counts.push(n) },
    );
    assert.equal(written, 23);
    assert.deepEqual(seen, items(23).map((i) => i * 10));
    assert.deepEqual(counts, [5, 10, 15, 20, 23]);
    assert.equal(overlapped, false);
  });

  test('prepares the next chunk while one is written, one chunk ahead at most', async () => {
    const log: string[] = [];
    const writer = slowWriter(log, 30);
    await pipelinedWrite(items(8), 2, (i) => void log.push(`prepare ${i}`), writer.write, { slice: 1 });
    assert.equal(writer.overlapped(), false);
    assert.ok(log.indexOf('prepare 3') < log.indexOf('write 0 end'), log.join(', '));
    assert.ok(log.indexOf('prepare 4') > log.indexOf('write 0 end'), log.join(', '));
  });

  test("a chunk's later statements run while the next chunk is prepared, slice by slice", async () => {
    const run = async (slice: number) => {
      const log: string[] = [];
      const write = async () => {
        log.push('statement 1');
        await new Promise((resolve) => setImmediate(resolve));
        log.push('statement 2');
      };
      await pipelinedWrite(items(8), 4, (i) => void log.push(`prepare ${i}`), write, { slice });
      return log;
    };
    const sliced = await run(1);
    // Chunk 0's second statement is sent while chunk 1 (items 4–7) is still being prepared.
    assert.ok(sliced.indexOf('statement 2') < sliced.indexOf('prepare 7'), sliced.join(', '));
    const whole = await run(500);
    assert.ok(whole.indexOf('statement 2') > whole.indexOf('prepare 7'), whole.join(', '));
  });

  test('a failed write stops the writing and the preparing, and the call fails only once no write is in flight', async () => {
    const log: string[] = [];
    const writer = slowWriter(log, 10, 1);
    const prepared: number[] = [];
    await assert.rejects(
      pipelinedWrite(items(40), 2, (i) => void prepared.push(i), writer.write, { slice: 1 }),
      /chunk 1 failed/,
    );
    assert.equal(log.at(-1), 'write 1 end', 'nothing is written after the failure, nor still running when the call fails');
    assert.equal(writer.calls(), 2);
    assert.ok(prepared.length < 40, `stopped preparing (${prepared.length} of 40 prepared)`);
  });

  test('a failed prepare fails the call once the write in flight has ended, and nothing after it is written', async () => {
    const log: string[] = [];
    const writer = slowWriter(log, 20);
    await assert.rejects(
      pipelinedWrite(
        items(10),
        3,
        (i) => {
          if (i === 4) throw new Error('item 4 is invalid');
          return i;
        },
        writer.write,
        { slice: 1 },
      ),
      /item 4 is invalid/,
    );
    assert.deepEqual(log, ['write 0 start', 'write 0 end']);
  });
});
