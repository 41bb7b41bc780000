/**
 * The floor beside the workstation clients in the PostgreSQL section of `npm run bench` (test/bench/pg.ts): one
 * process with one plain `pg` connection doing the least a call of that shape can do, with no app code, no crypto
 * and no shared row. Each call is one transaction: read one customer row by id, insert one row of its own into
 * `bench_floor` (a table of this bench only), commit. How this scales from 1 to 8 processes is what the machine
 * allows any design: what the clients' own scaling is measured against.
 *
 * Arguments: argv[2] JSON DatabaseConfig, argv[3] milliseconds, argv[4] file of customer ids, argv[5]
 * a seed. Prints `ready`, waits for a line on stdin, then one JSON line `{"calls":n,"errors":{code:count},"ms":[latencies]}`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DatabaseConfig } from '../../main/platform/store/database.node.ts';
import { timedCalls } from './clientLoop.ts';
import { prng } from './synthetic.ts';

const [configJson, durationArg, idsFile, seedArg] = process.argv.slice(2);
const database = JSON.parse(configJson!) as Extract<DatabaseConfig, { client: 'pg' }>;
const ids = readFileSync(idsFile!, 'utf8').split('\n').filter(Boolean);
/** What this client uses of node-postgres (the app reaches it only through knex, so it has no type package). */
interface PgClient {
  connect(): Promise<void>;
  query(sql: string, values?: unknown[]): Promise<unknown>;
  end(): Promise<void>;
}
const { Client } = createRequire(import.meta.url)('pg') as { Client: new (config: object) => PgClient };
const client = new Client(typeof database.connection === 'string' ? { connectionString: database.connection } : database.connection);
await client.connect();
const rand = prng(Number(seedArg) * 7919);

async function call(): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('select id, summary from customers where id = $1', [ids[Math.floor(rand() * ids.length)]!]);
    await client.query('insert into bench_floor (id, at) values ($1, now())', [randomUUID()]);
    await client.query('COMMIT');
  } catch (error) {
    // A broken connection fails the ROLLBACK too; the error worth counting is the first one.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

for (let i = 0; i < 20; i += 1) await call();
const line = await timedCalls(Number(durationArg), () =>
  call().then(
    () => null,
    (error: unknown) => String((error as { code?: unknown }).code ?? 'unknown'),
  ),
);
await client.end();
process.stdout.write(line);
process.exit(0);
