/**
 * Child process for the two-workstation tests (test/unit/postgres.test.ts): opens a core on the database named
 * in argv[2] (JSON DatabaseConfig) with the key kept by a DirectoryVault in argv[3], signs in as argv[4] and makes
 * argv[5] audited calls (customers created under a unique prefix argv[6], each opened once), then prints
 * `done <ok> <failed codes...>`. A second Node process is a second workstation: its own pool, its own sessions.
 */
import { openCore } from '../../main/core.node.ts';
import type { DatabaseConfig } from '../../main/platform/store/database.node.ts';
import { FAST_PASSWORDS } from './core.ts';
import { PASSWORD, sampleCustomer } from './customers.ts';
import { DirectoryVault } from './fileVault.ts';

const [configJson, vaultDir, username, countArg, prefix] = process.argv.slice(2);
const database = JSON.parse(configJson!) as DatabaseConfig;
const core = await openCore({ dataDir: `${vaultDir}/${prefix}-data`, vault: new DirectoryVault(vaultDir!), passwordCost: FAST_PASSWORDS, database });
const caller = { senderId: 'worker', trusted: true as const };
const login = await core.handle(caller, 'session.login', { username, password: PASSWORD });
if (!login.ok) throw new Error(`login: ${login.error.code}`);
process.stdout.write('ready\n');
let ok = 0;
const failed: string[] = [];
for (let i = 0; i < Number(countArg); i += 1) {
  const created = await core.handle(caller, 'customers.create', sampleCustomer({ email: `${prefix}-${i}@two-workstations.test` }));
  if (!created.ok) {
    failed.push(`${created.error.code}:${created.error.message.slice(0, 30).replaceAll(' ', '_')}`);
    continue;
  }
  const id = (created.value as { customer: { id: string } }).customer.id;
  const opened = await core.handle(caller, 'customers.open', { customerId: id, purpose: 'customer_support' });
  if (opened.ok) ok += 1;
  else failed.push(opened.error.code);
}
await core.close();
process.stdout.write(`done ${ok} ${failed.join(' ')}\n`);
