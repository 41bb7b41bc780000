/**
 * One benchmark client (one workstation) for the PostgreSQL section of `npm run bench` (test/bench/pg.ts): opens its
 * own core on the database named in argv[2] (JSON DatabaseConfig) with the key kept by a DirectoryVault in argv[3],
 * signs in as argv[4], prints `ready`, waits for a line on stdin (so every client starts together), then opens
 * records (`customers.open`, purpose customer_support, audited as record.view) one after another for argv[5]
 * milliseconds, picking customer ids from the file argv[6] (one per line). Prints one JSON line:
 * `{"calls":n,"errors":{code:count},"ms":[latencies]}`.
 */
import { readFileSync } from 'node:fs';
import { openCore } from '../../main/core.node.ts';
import type { DatabaseConfig } from '../../main/platform/store/database.node.ts';
import { DirectoryVault } from '../support/fileVault.ts';
import { timedCalls } from './clientLoop.ts';
import { prng } from './synthetic.ts';

const [configJson, vaultDir, username, durationArg, idsFile, password] = process.argv.slice(2);
const database = JSON.parse(configJson!) as DatabaseConfig;
const ids = readFileSync(idsFile!, 'utf8').split('\n').filter(Boolean);
const core = await openCore({ dataDir: `${vaultDir}/${username}-data`, vault: new DirectoryVault(vaultDir!), passwordCost: 10, database });
const caller = { senderId: `bench-${username}`, trusted: true as const };
// Eight workstations signing in at the same instant can exhaust the transaction retries (CONFLICT); a person would
// click again, so the client does too (a few times, then gives up).
let login = await core.handle(caller, 'session.login', { username, password });
for (let i = 0; !login.ok && login.error.code === 'CONFLICT' && i < 5; i += 1) {
  await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400));
  login = await core.handle(caller, 'session.login', { username, password });
}
if (!login.ok) throw new Error(`login ${username}: ${login.error.code} ${login.error.message}`);
// Warm-up (JIT, pool connections) before the clock starts.
const rand = prng(Number.parseInt(username!.replace(/\D/g, '') || '1', 10) * 7919);
for (let i = 0; i < 20; i += 1) await core.handle(caller, 'customers.open', { customerId: ids[Math.floor(rand() * ids.length)]!, purpose: 'customer_support' });
const line = await timedCalls(Number(durationArg), async () => {
  const r = await core.handle(caller, 'customers.open', { customerId: ids[Math.floor(rand() * ids.length)]!, purpose: 'customer_support' });
  return r.ok ? null : r.error.code;
});
await core.close();
process.stdout.write(line);
process.exit(0);
