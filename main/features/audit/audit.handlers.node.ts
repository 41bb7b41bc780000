import type { AuditLog } from '../../platform/audit/auditLog.node.ts';
import type { WitnessedHead } from '../../platform/audit/chainWitness.node.ts';
import { signedHeadFile, type SignedHeadFile } from '../../platform/audit/signedHead.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { ChannelHandlers } from '../../platform/ipc/router.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import type { auditChannels } from './audit.contract.std.ts';

/** Signs and checks head files with this database's audit key (signedHead.node.ts). */
export interface HeadSigner {
  sign(head: WitnessedHead): SignedHeadFile;
  /** Why a head file is not evidence for this database, or null. */
  problem(file: SignedHeadFile): string | null;
}

function parseHeadFile(text: string): SignedHeadFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const parsed = signedHeadFile.safeParse(json);
  if (!parsed.success) throw new AppError('INVALID_INPUT', 'This is not a signed audit head file.');
  return parsed.data;
}

/** Sends a `progress` event to one window. */
export type VerifyProgress = (senderId: string, payload: { taskId: string; done: number; total: number }) => void;

export function auditHandlers(audit: AuditLog, staff: StaffDirectory, heads: HeadSigner, progress?: VerifyProgress): ChannelHandlers<typeof auditChannels> {
  return {
    'audit.list': async (input, ctx) => {
      const { rows, total } = await audit.list(ctx.q, input);
      // Staff names are resolved for display here, never stored in the log itself.
      const nameOf = await staffNameResolver(staff, ctx.q);
      return {
        total,
        events: rows.map((row) => ({
          seq: row.seq,
          at: row.at,
          actorId: row.actor_id,
          actorName: nameOf(row.actor_id),
          action: row.action,
          outcome: row.outcome,
          details: JSON.parse(row.details) as Record<string, never>,
        })),
      };
    },
    'audit.verify': async (input, ctx) => {
      const { taskId } = input;
      const onProgress = taskId && progress ? (done: number, total: number) => progress(ctx.caller.senderId, { taskId, done, total }) : undefined;
      const result = await audit.verify(ctx.q, [], { onProgress });
      ctx.auditDetails({ ok: result.ok, checked: result.checked, firstBrokenSeq: result.firstBrokenSeq });
      return result;
    },
    'audit.exportHead': async (_input, ctx) => {
      // Only a chain that verifies gets a signed head: signing a cut chain would bless the cut.
      const { result, head } = await audit.verifyChain(ctx.q);
      if (!result.ok) {
        throw new AppError('CONFLICT', `The audit log does not verify (first problem at event ${result.firstBrokenSeq}), so its head was not signed.`);
      }
      const file = heads.sign(head);
      ctx.auditDetails({ headSeq: head.seq });
      return { seq: file.seq, at: file.at, file: `${JSON.stringify(file, null, 2)}\n` };
    },
    'audit.verifyHead': async (input, ctx) => {
      const file = parseHeadFile(input.file);
      const problem = heads.problem(file);
      const result = problem
        ? { ok: false, checked: 0, firstBrokenSeq: null, reason: problem }
        : await audit.verify(ctx.q, [{ seq: file.seq, hash: file.hash }]);
      ctx.auditDetails({ ok: result.ok, headSeq: file.seq, firstBrokenSeq: result.firstBrokenSeq });
      return { ...result, head: { seq: file.seq, at: file.at } };
    },
  };
}
