import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFileLogger } from '../../main/platform/log/logger.node.ts';
import { tempDir } from '../support/core.ts';

test('errors are logged by class, code and frames — never by message, which can echo input', () => {
  const logger = createFileLogger(join(tempDir(), 'logs'));
  const error = Object.assign(new Error('UNIQUE failed for jane.doe@example.com / 4111111111111111'), { code: 'SQLITE_CONSTRAINT' });
  logger.error('ipc.handler_failed', error, { channel: 'customers.create' });
  logger.info('core.opened', { schemaTo: 2 });
  const lines = readFileSync(logger.file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(lines.length, 2);
  assert.equal(lines[0]?.errorClass, 'Error');
  assert.equal(lines[0]?.errorCode, 'SQLITE_CONSTRAINT');
  assert.match(String(lines[0]?.stack), /logger\.test\.ts/);
  const text = readFileSync(logger.file, 'utf8');
  assert.doesNotMatch(text, /jane\.doe|4111111111111111|UNIQUE failed/);
});
