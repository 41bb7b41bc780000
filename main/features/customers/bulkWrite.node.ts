import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** Items prepared between two turns of the event loop while a chunk is being written. */
export const PREPARE_SLICE = 50;

/**
 * Chunked bulk writes that overlap the two halves of the work: while the database driver runs chunk n's INSERTs
 * on its own thread, the main thread prepares (seals) chunk n+1. Writes stay strictly one after another, inside
 * the caller's transaction. Chunk n+1 is prepared in slices of `slice` items with a turn of the event loop
 * between them: a chunk's write is several statements, each sent when the previous one completes, and a chunk
 * prepared in one go would hold the next statement back until it was done (sealing and the driver would then
 * take turns instead of running together). Used by the benchmark for both its encrypted and plaintext runs.
 */
export async function pipelinedWrite<T, P>(
  items: readonly T[],
  chunk: number,
  prepare: (item: T) => P,
  write: (prepared: P[]) => Promise<void>,
  opts: { slice?: number; afterChunk?: (written: number) => void } = {},
): Promise<number> {
  const slice = Math.max(1, opts.slice ?? PREPARE_SLICE);
  let pending: Promise<void> | null = null;
  let written = 0;
  try {
    for (let i = 0; i < items.length; i += chunk) {
      const end = Math.min(items.length, i + chunk);
      const prepared: P[] = [];
      for (let j = i; j < end; j += 1) {
        prepared.push(prepare(items[j]!));
        // Only while a write is in flight is there anything to let through.
        if (pending && (j - i) % slice === slice - 1) await yieldToLoop();
      }
      if (pending) await pending;
      const count = end - i;
      pending = write(prepared).then(() => {
        written += count;
        opts.afterChunk?.(written);
      });
      pending.catch(() => undefined); // awaited below; this only keeps a failure from counting as unhandled meanwhile
    }
    if (pending) await pending;
  } catch (error) {
    if (pending) await pending.catch(() => undefined);
    throw error;
  }
  return written;
}
