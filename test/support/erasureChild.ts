/**
 * Child process for the kill -9 tests (test/unit/erasureKill.test.ts): opens a core on argv[2]'s data dir (key in
 * the DirectoryVault at argv[3]), signs in the second manager and either approves the deletion requests listed in
 * argv[5] one after another (`requests`), printing `deleted <n>` after each, or approves the pending retention batch
 * (`retention`) and prints `progress <done> <total>` while its job runs. The parent kills it with SIGKILL mid-way.
 */
import { openCore } from '../../main/core.node.ts';
import { FAST_PASSWORDS } from './core.ts';
import { PASSWORD, USERS } from './customers.ts';
import { databaseFor } from './database.ts';
import { DirectoryVault } from './fileVault.ts';

const [dataDir, vaultDir, mode, list] = process.argv.slice(2);
const { config } = await databaseFor(dataDir!);
const core = await openCore({ dataDir: dataDir!, vault: new DirectoryVault(vaultDir!), passwordCost: FAST_PASSWORDS, ...(config ? { database: config } : {}) });
const must = async <T>(channel: string, input: unknown): Promise<T> => {
  const r = await core.handle({ senderId: 'manager2', trusted: true }, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
};
await must('session.login', { username: USERS.manager2.username, password: PASSWORD });
process.stdout.write('ready\n');
if (mode === 'requests') {
  let n = 0;
  for (const id of JSON.parse(list!) as string[]) {
    await must('erasure.decide', { id, decision: 'approve' });
    process.stdout.write(`deleted ${(n += 1)}\n`);
  }
} else {
  const review = await must<{ batches: { approvalId: string; status: string }[] }>('erasure.retention', {});
  await must('erasure.decide', { id: review.batches.find((b) => b.status === 'pending')!.approvalId, decision: 'approve' });
  for (;;) {
    const { batches } = await must<{ batches: { finishedAt: string | null; job: { done: number; total: number | null } | null }[] }>('erasure.retention', {});
    const job = batches[0]!.job;
    if (job) process.stdout.write(`progress ${job.done} ${job.total}\n`);
    if (batches[0]!.finishedAt) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
process.stdout.write('finished\n');
await core.close();
