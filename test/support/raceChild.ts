/**
 * One "workstation" for the two-process race tests (test/unit/races.test.ts): opens its own core on the shared
 * database named in the spec (argv[2], JSON), makes its `before` calls, prints `ready`, waits for `go` on stdin so
 * every child starts the race at the same moment, makes its `race` calls and prints `result <json>`.
 * With `openOnGo` the race is the opening itself (first run on two workstations).
 */
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { openCore } from '../../main/core.node.ts';
import { directoryFileSaver } from './fileSavers.ts';
import type { Core } from '../../main/core.contract.std.ts';
import { FAST_PASSWORDS } from './core.ts';
import { DirectoryVault } from './fileVault.ts';
import type { RaceSpec } from './races.ts';
import { RACE_KIND } from './raceKinds.ts';

const spec = JSON.parse(process.argv[2]!) as RaceSpec;
const lines = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => lines.on('line', (line) => line.trim() === 'go' && resolve()));
const say = (line: string) => process.stdout.write(`${line}\n`);

const open = () =>
  openCore({ dataDir: spec.dataDir, vault: new DirectoryVault(spec.vaultDir), passwordCost: FAST_PASSWORDS, database: spec.database, approvalKinds: [RACE_KIND], fileSaver: directoryFileSaver(join(spec.dataDir, 'saved')) });

let core: Core | null = null;
const results: unknown[] = [];
try {
  if (spec.openOnGo) {
    say('ready');
    await go;
    try {
      core = await open();
      results.push({ opened: true });
    } catch (error) {
      results.push({ opened: false, code: (error as { code?: string }).code ?? 'ERROR' });
    }
  } else {
    core = await open();
    for (const call of spec.before ?? []) {
      const r = await core.handle({ senderId: call.senderId, trusted: true }, call.channel, call.input);
      if (!r.ok) throw new Error(`before ${call.channel}: ${r.error.code} ${r.error.message}`);
    }
    say('ready');
    await go;
  }
  if (core) {
    for (const call of spec.race ?? []) results.push(await core.handle({ senderId: call.senderId, trusted: true }, call.channel, call.input));
  }
  say(`result ${JSON.stringify(results)}`);
} catch (error) {
  say(`failed ${(error as Error).message}`);
} finally {
  lines.close();
  await core?.close();
}
