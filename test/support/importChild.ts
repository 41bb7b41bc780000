/**
 * Child process for the kill -9 test (test/unit/importJob.test.ts): opens a core on argv[2] (key kept by a
 * DirectoryVault in argv[3]), signs a manager in, and runs a large CSV import, printing `progress <done> <total>`
 * lines; the parent kills it with SIGKILL mid-way. Prints `ready` before the import starts.
 */
import { randomUUID } from 'node:crypto';
import { openCore } from '../../main/core.node.ts';
import { ADMIN, FAST_PASSWORDS } from './core.ts';
import { databaseFor } from './database.ts';
import { DirectoryVault } from './fileVault.ts';

const [dataDir, vaultDir, rowsArg] = process.argv.slice(2);
const rows = Number(rowsArg ?? 20000);
const { config } = await databaseFor(dataDir!);
const core = await openCore({ dataDir: dataDir!, vault: new DirectoryVault(vaultDir!), passwordCost: FAST_PASSWORDS, ...(config ? { database: config } : {}) });
const must = async (senderId: string, channel: string, input: unknown) => {
  const r = await core.handle({ senderId, trusted: true }, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
};
await must('admin', 'session.login', { username: ADMIN.username, password: ADMIN.password });
await must('admin', 'accounts.create', { username: 'kill.manager', displayName: 'Kill Manager', role: 'manager', password: ADMIN.password });
await must('manager', 'session.login', { username: 'kill.manager', password: ADMIN.password });
const lines = ['given,family,email,street,city,postcode,country,newsletter'];
for (let i = 0; i < rows; i += 1) lines.push(`Given${i},Family${i % 97},killed${i}@example.com,${i} Long Road,Leeds,LS${i % 30} 1AA,GB,${i % 2 ? 'yes' : 'no'}`);
core.onEvent((_sender, event, payload) => {
  if (event === 'progress') {
    const p = payload as { done: number; total: number };
    process.stdout.write(`progress ${p.done} ${p.total}\n`);
  }
});
process.stdout.write('ready\n');
const mapping = { givenName: 'given', familyName: 'family', email: 'email', street: 'street', city: 'city', postalCode: 'postcode', country: 'country', newsletter: 'newsletter' };
await must('manager', 'customers.importRun', { taskId: randomUUID(), csv: lines.join('\n'), mapping });
process.stdout.write('finished\n');
