import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { it } from 'node:test';
import type { NewAuditEvent } from '../../main/platform/audit/auditSink.node.ts';
import { channel } from '../../main/platform/ipc/channel.std.ts';
import { Router, type RouterSession } from '../../main/platform/ipc/router.node.ts';
import { empty, ok } from '../../main/platform/ipc/schemas.std.ts';
import type { Logger } from '../../main/platform/log/logger.node.ts';
import { tempDir } from '../support/core.ts';
import { freshDb } from '../support/database.ts';

it('the router needs only the interfaces it declares, and answers a classified driver error with CONFLICT, audited', async () => {
  const dir = tempDir();
  const db = await freshDb();
  await db.schema.createTable('things', (t) => t.string('id').primary());
  const events: NewAuditEvent[] = [];
  const logged: string[] = [];
  const session: RouterSession = { senderId: 'w1', userId: 'u1', role: 'staff', locked: false };
  const channels = {
    'things.add': channel({ input: empty, output: ok, access: { kind: 'session' }, audit: 'thing.added' }),
    'things.fail': channel({ input: empty, output: ok, access: { kind: 'session' } }),
  };
  const router = new Router({
    db,
    channels,
    audit: { append: async (_q, event) => events.push(event) },
    sessions: { get: (id) => (id === 'w1' ? session : undefined), revoked: async () => null, end: () => undefined, lockIfIdle: () => undefined, hasRecentReauth: () => true, touch: () => undefined },
    logger: { file: '', info: () => undefined, warn: () => undefined, error: (event) => void logged.push(event), close: async () => undefined } satisfies Logger,
    handlers: {
      'things.add': async (_input, ctx) => {
        await ctx.q('things').insert({ id: 'same' });
        await ctx.q('things').insert({ id: 'same' });
        return { ok: true as const };
      },
      'things.fail': async () => {
        throw new Error('a bug');
      },
    },
  });
  const caller = { senderId: 'w1', trusted: true };
  const added = await router.handle(caller, 'things.add', {});
  assert.equal(added.ok, false);
  assert.equal(!added.ok && added.error.code, 'CONFLICT');
  assert.deepEqual(events.at(-1), { actorId: 'u1', action: 'thing.added', outcome: 'failed', details: { code: 'CONFLICT' } });
  assert.equal((await db('things')).length, 0, 'the transaction rolled back');
  const failed = await router.handle(caller, 'things.fail', {});
  assert.equal(!failed.ok && failed.error.code, 'INTERNAL');
  assert.deepEqual(logged, ['ipc.store_conflict', 'ipc.handler_failed']);
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});
