#!/usr/bin/env node
// The README's test command: unit/integration tests under Node twice — on SQLite files, then on a throw-away
// PostgreSQL server (scripts/with-postgres.sh) — then the renderer E2E in Chromium, then the real-Electron E2E
// (which skips, saying why, when no Electron binary is present). Prints one summary line counting every run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';

const results = '.test-results';
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

function run(label, command, args, env = process.env) {
  process.stdout.write(`\n=== ${label}\n`);
  return spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1;
}

// `npm start` / the Electron E2E rebuild native addons for Electron's ABI; plain-Node tests need Node's.
const probe = spawnSync(process.execPath, ['-e', "require('sqlite3'); require('keytar')"], { stdio: 'ignore' });
if (probe.status !== 0 && run('rebuild native modules for Node', 'npm', ['rebuild', 'keytar', 'sqlite3']) !== 0) process.exit(1);

const unitFiles = readdirSync('test/unit')
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/unit/${f}`);
const nodeTest = (tap) => [
  '--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=120000',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${results}/${tap}`,
  ...unitFiles,
];
const sqliteEnv = { ...process.env };
delete sqliteEnv.ITPC_TEST_PG;
const unitStatus = run('unit and integration tests on SQLite (Node, real SQLite files, real keychain when present)', process.execPath, nodeTest('unit.tap'), sqliteEnv);
// The same suite on PostgreSQL: a fresh cluster on a temp dir, 127.0.0.1 and a free port, removed afterwards.
const pgStatus = run('unit and integration tests on PostgreSQL (throw-away server, one database per core)', 'bash', [
  'scripts/with-postgres.sh', process.execPath, ...nodeTest('unit-pg.tap'),
]);
const e2eStatus = run('renderer E2E in Chromium against the real core', 'npx', ['playwright', 'test']);
const electronStatus = run('real-Electron E2E', 'npx', ['playwright', 'test', '-c', 'playwright.electron.config.ts']);

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const file of ['unit.tap', 'unit-pg.tap']) {
  const tap = existsSync(`${results}/${file}`) ? readFileSync(`${results}/${file}`, 'utf8') : '';
  const tapCount = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  totals.passed += tapCount('pass');
  totals.failed += tapCount('fail') + tapCount('cancelled');
  totals.skipped += tapCount('skipped') + tapCount('todo');
}
for (const file of ['e2e.json', 'electron.json']) {
  if (!existsSync(`${results}/${file}`)) continue;
  const stats = JSON.parse(readFileSync(`${results}/${file}`, 'utf8')).stats ?? {};
  totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  totals.failed += stats.unexpected ?? 0;
  totals.skipped += stats.skipped ?? 0;
}
const failed = unitStatus !== 0 || pgStatus !== 0 || e2eStatus !== 0 || electronStatus !== 0;
if (failed && totals.failed === 0) totals.failed = 1; // a runner crashed before reporting
process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failed ? 1 : 0);
