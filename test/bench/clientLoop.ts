/**
 * The measured part of a PostgreSQL bench client (pgClient.ts, pgFloorClient.ts): prints `ready`, waits for a line on
 * stdin (so every client starts together), then makes calls one after another for `durationMs`. `call` returns
 * null when the call succeeded, else its error code. Resolves with the JSON line the bench reads
 * (`{"calls":n,"errors":{code:count},"ms":[latencies of the calls that succeeded]}`).
 */
export async function timedCalls(durationMs: number, call: () => Promise<string | null>): Promise<string> {
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const ms: number[] = [];
  const errors: Record<string, number> = {};
  const until = performance.now() + durationMs;
  while (performance.now() < until) {
    const started = performance.now();
    const failed = await call();
    if (failed === null) ms.push(performance.now() - started);
    else errors[failed] = (errors[failed] ?? 0) + 1;
  }
  return `${JSON.stringify({ calls: ms.length, errors, ms: ms.map((v) => Number(v.toFixed(2))) })}\n`;
}
