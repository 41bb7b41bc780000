import { UNFINISHED_JOB_STATES } from '../../platform/jobs/job.node.ts';
import type { JobRunner } from '../../platform/jobs/jobRunner.node.ts';
import { requireSession, type ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { Db, Queryable } from '../../platform/store/database.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import type { KeyStatus, keyRotationChannels } from './keyRotation.contract.std.ts';
import { BLIND_INDEX_ROTATION_JOB, type BlindIndexRotation } from './blindIndexRotation.node.ts';
import { DEK_WRAP_ROTATION_JOB, type DekWrapRotation } from './dekWrapRotation.node.ts';
import type { KeyRingHolder } from './keyRingHolder.node.ts';
import { ROTATIONS_TABLE, type KeyRotation, type RotationRow } from './keyRotation.node.ts';
import type { RecoveryKits } from './recoveryKits.node.ts';

export interface KeyRotationHandlerDeps {
  db: Db;
  ring: KeyRingHolder;
  rotation: KeyRotation;
  dekWrap: DekWrapRotation;
  blindIndex: BlindIndexRotation;
  jobs: JobRunner;
  kits: RecoveryKits;
  staff: StaffDirectory;
}

async function status(q: Queryable, deps: KeyRotationHandlerDeps): Promise<KeyStatus> {
  const nameOf = await staffNameResolver(deps.staff, q);
  const ring = deps.ring.current();
  const keys = await q('domain_keys').orderBy(['purpose', 'version']).select<{ purpose: 'dek-wrap' | 'blind-index' | 'audit'; version: number; created_at: string; retired_at: string | null }[]>('purpose', 'version', 'created_at', 'retired_at');
  const newest = new Map<string, number>();
  for (const k of keys) newest.set(k.purpose, Math.max(newest.get(k.purpose) ?? 0, Number(k.version)));
  const rotations = await q<RotationRow>(ROTATIONS_TABLE).orderBy('started_at', 'desc').limit(20).select();
  const running = await q('jobs').whereIn('kind', [DEK_WRAP_ROTATION_JOB, BLIND_INDEX_ROTATION_JOB]).whereIn('state', UNFINISHED_JOB_STATES).select<{ id: string; kind: string; state: string; done: number; total: number | null; updated_at: string }[]>('id', 'kind', 'state', 'done', 'total', 'updated_at');
  return {
    kekId: ring.kekId,
    domainKeys: keys.map((k) => ({ purpose: k.purpose, version: Number(k.version), createdAt: k.created_at, retiredAt: k.retired_at, current: newest.get(k.purpose) === Number(k.version) })),
    rotations: rotations.map((r) => ({ id: r.id, target: r.target, fromRef: r.from_ref, toRef: r.to_ref, startedByName: nameOf(r.started_by), startedAt: r.started_at, finishedAt: r.finished_at })),
    running: running.map((j) => ({ id: j.id, kind: j.kind, state: j.state, done: Number(j.done), total: j.total === null ? null : Number(j.total), updatedAt: j.updated_at })),
    kits: await deps.kits.list(q, nameOf),
  };
}

export function keyRotationHandlers(deps: KeyRotationHandlerDeps): ChannelHandlers<typeof keyRotationChannels> {
  return {
    'keys.status': async (_input, ctx) => status(ctx.q, deps),
    'keys.rotateKek': async (_input, ctx) => {
      const session = requireSession(ctx);
      return deps.rotation.rotateKek(session.userId, async (trx, details) => {
        ctx.auditDetails(details);
        await ctx.auditIn(trx);
      });
    },
    'keys.rotateDomainKey': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ purpose: input.purpose });
      if (input.purpose === 'audit') {
        const version = await deps.rotation.rotateAudit(session.userId, async (trx, details) => {
          ctx.auditDetails(details);
          await ctx.auditIn(trx);
        });
        return { purpose: input.purpose, version, jobId: null };
      }
      const job = input.purpose === 'dek-wrap' ? deps.dekWrap : deps.blindIndex;
      const jobId = await job.start(deps.jobs, deps.db, session.userId);
      ctx.auditDetails({ jobId });
      return { purpose: input.purpose, version: null, jobId };
    },
    'keys.kit.create': async (input, ctx) => {
      const session = requireSession(ctx);
      return deps.kits.create(input, { userId: session.userId, senderId: ctx.caller.senderId }, (q) => staffNameResolver(deps.staff, q), async (trx, details) => {
        ctx.auditDetails(details);
        await ctx.auditIn(trx);
      });
    },
    'keys.custodian.mine': async (_input, ctx) => ({ shares: await deps.kits.mine(ctx.q, requireSession(ctx).userId) }),
    'keys.custodian.acknowledge': async (input, ctx) => {
      const result = await deps.kits.acknowledge(ctx.q, requireSession(ctx).userId, input.kitId);
      ctx.auditDetails({ kitId: result.kitId, share: result.share });
      return result;
    },
  };
}
