/**
 * Chunked bulk writes that overlap the two halves of the work: while the SQLite driver runs chunk n's INSERTs on
 * its own thread, the main thread prepares (seals) chunk n+1. Writes stay strictly one after another, inside the
 * caller's transaction. Used by the CSV import and by the benchmark (for both its encrypted and plaintext runs).
 */
export async function pipelinedWrite<T, P>(
  items: readonly T[],
  chunk: number,
  prepare: (batch: readonly T[]) => P,
  write: (prepared: P) => Promise<void>,
  hooks: { beforeChunk?: () => void; afterChunk?: (written: number) => void } = {},
): Promise<number> {
  let pending: Promise<void> | null = null;
  let written = 0;
  try {
    for (let i = 0; i < items.length; i += chunk) {
      hooks.beforeChunk?.();
      const batch = items.slice(i, i + chunk);
      const prepared = prepare(batch);
      if (pending) await pending;
      hooks.beforeChunk?.();
      pending = write(prepared).then(() => {
        written += batch.length;
        hooks.afterChunk?.(written);
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
