import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, startCore } from '../support/core.ts';

test('setup, login and audit round trip', async () => {
  const t = await startCore();
  try {
    const status = await t.call<{ setupRequired: boolean }>('session.status', {});
    assert.equal(status.setupRequired, true);
    const info = await t.call<{ role: string }>('session.setup', ADMIN);
    assert.equal(info.role, 'it_admin');
    const events = await t.call<{ events: { action: string }[] }>('audit.list', {});
    assert.deepEqual(events.events.map((e) => e.action), ['setup.completed']);
    const verify = await t.call<{ ok: boolean }>('audit.verify', {});
    assert.equal(verify.ok, true);
  } finally {
    await t.cleanup();
  }
});
