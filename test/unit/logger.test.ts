import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFileLogger } from '../../main/platform/log/logger.node.ts';
import { startCore, tempDir } from '../support/core.ts';

const readLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

test('errors are logged by class, code and frames — never by message, which can echo input', async () => {
  const logger = await createFileLogger(join(tempDir(), 'logs'));
  const error = Object.assign(new Error('UNIQUE failed for jane.doe@example.com / 4111111111111111'), { code: 'SQLITE_CONSTRAINT' });
  logger.error('ipc.handler_failed', error, { channel: 'customers.create' });
  logger.info('core.opened', { schemaTo: 2 });
  await logger.close();
  const lines = readLines(logger.file);
  assert.equal(lines.length, 2);
  assert.equal(lines[0]?.event, 'ipc.handler_failed');
  assert.equal(lines[0]?.level, 'error');
  assert.equal(lines[0]?.errorClass, 'Error');
  assert.equal(lines[0]?.errorCode, 'SQLITE_CONSTRAINT');
  assert.match(String(lines[0]?.stack), /logger\.test\.ts/);
  assert.equal(lines[1]?.event, 'core.opened');
  assert.equal(typeof lines[1]?.at, 'string');
  const text = readFileSync(logger.file, 'utf8');
  assert.doesNotMatch(text, /jane\.doe|4111111111111111|UNIQUE failed/);
  assert.doesNotMatch(text, /"(msg|err|message|hostname|pid)"/, 'no pino defaults that could carry a message or identify the machine');
});

test('the log rolls over by size and keeps a bounded number of files', async () => {
  const dir = join(tempDir(), 'logs');
  const logger = await createFileLogger(dir, { maxSize: '1k', keep: 2 });
  for (let i = 0; i < 200; i += 1) {
    logger.info('bench.tick', { i });
    if (i % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await logger.close();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const number = (f: string) => Number(/^app\.(\d+)\.log$/.exec(f)?.[1] ?? NaN);
  const files = readdirSync(dir).filter((f) => !Number.isNaN(number(f))).sort((a, b) => number(a) - number(b));
  assert.ok(number(files.at(-1)!) > 3, `rolled over: ${files.join(', ')}`);
  assert.ok(files.length <= 3, `only the current file and 2 older ones are kept: ${files.join(', ')}`);
  assert.equal(logger.file, join(dir, files.at(-1)!));
  const last = files.flatMap((f) => (readFileSync(join(dir, f), 'utf8').trim() ? readLines(join(dir, f)) : [])).at(-1);
  assert.equal(last?.i, 199, 'nothing buffered was lost on close');
});

test('core.close() flushes the last line; a later logger on the same folder appends to the newest file', async () => {
  const dataDir = tempDir();
  const t = await startCore({ dataDir });
  const file = t.core.paths.logs;
  await t.cleanup();
  assert.deepEqual(readLines(file).map((l) => l.event), ['core.opened', 'core.closed']);
  const again = await createFileLogger(join(dataDir, 'logs'));
  again.warn('app.restarted');
  await again.close();
  assert.equal(again.file, file);
  assert.deepEqual(readLines(file).map((l) => l.event), ['core.opened', 'core.closed', 'app.restarted']);
  rmSync(dataDir, { recursive: true, force: true });
});
