/**
 * Child process for the kill -9 tests of key rotation (test/unit/keyRotation.test.ts): opens a core on argv[2]'s
 * data dir with the real keychain (KeytarVault service argv[3]), signs in the IT administrator, starts a rotation
 * of argv[4] (dek-wrap or blind-index) one row per batch and prints `progress <done>` while its job runs. At the
 * first progress it kills itself with SIGKILL: mid-way, at once (a parent killing it on reading the line came too
 * late when the job ran ahead of the pipe, and found every customer already moved).
 */
import { openCore } from '../../main/core.node.ts';
import { KeytarVault } from '../../main/platform/keychain/keytarVault.node.ts';
import { ADMIN, FAST_PASSWORDS } from './core.ts';
import { databaseFor } from './database.ts';

const [dataDir, service, purpose = 'dek-wrap'] = process.argv.slice(2);
const { config } = await databaseFor(dataDir!);
const core = await openCore({ dataDir: dataDir!, vault: new KeytarVault(service!), passwordCost: FAST_PASSWORDS, keyRotationBatch: 1, keyRotationGraceMs: 0, ...(config ? { database: config } : {}) });
const must = async <T>(channel: string, input: unknown): Promise<T> => {
  const r = await core.handle({ senderId: 'admin', trusted: true }, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
};
await must('session.login', { username: ADMIN.username, password: ADMIN.password });
await must('keys.rotateDomainKey', { purpose });
for (;;) {
  const status = await must<{ running: { done: number }[] }>('keys.status', {});
  const job = status.running[0];
  if (!job) break;
  process.stdout.write(`progress ${job.done}\n`);
  if (job.done > 0) process.kill(process.pid, 'SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, 2));
}
process.stdout.write('finished\n');
await core.close();
