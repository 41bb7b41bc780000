import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appFiles, plaintextHits } from '../support/plaintextScan.ts';
import { ADMIN, startCore } from '../support/core.ts';

const STAFF = { username: 'zebulon.quartermaine', displayName: 'Zebulon Quartermaine-Okafor', role: 'staff', password: 'unguessable staff passphrase 77' };

test('staff identities and passwords never reach the database, WAL, logs or settings in clear', async () => {
  const t = await startCore();
  await t.call('session.setup', ADMIN);
  const { id } = await t.call<{ id: string }>('accounts.create', STAFF);
  await t.call('accounts.update', { id, displayName: `${STAFF.displayName} Jr` });
  await t.core.handle(t.caller('w2'), 'session.login', { username: STAFF.username, password: 'a wrong guess here' });
  await t.core.handle(t.caller('w2'), 'session.login', { username: 'typo.zebulon', password: STAFF.password });
  await t.call('session.login', { username: STAFF.username, password: STAFF.password }, 'w2');
  await t.call('settings.update', { idleLockMinutes: 12 });
  const secrets = [STAFF.username, STAFF.displayName, STAFF.password, ADMIN.username, ADMIN.displayName, ADMIN.password, 'typo.zebulon', 'a wrong guess here'];

  const whileOpen = appFiles(t.dataDir);
  assert.ok(whileOpen.some((f) => f.endsWith('-wal')), 'the WAL is scanned while the app runs');
  assert.ok(whileOpen.some((f) => f.endsWith('app.log')), 'the log is scanned');
  assert.ok(whileOpen.some((f) => f.endsWith('settings.json')), 'the settings are scanned');
  assert.deepEqual(plaintextHits(whileOpen, secrets), []);
  await t.core.close();
  assert.deepEqual(plaintextHits(appFiles(t.dataDir), secrets), []);

  // The scan itself must be able to fail: a value the app does store in clear is found.
  assert.ok(plaintextHits(appFiles(t.dataDir), ['scrypt$']).length > 0);
});
