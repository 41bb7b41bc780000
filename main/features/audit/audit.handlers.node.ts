import type { AuditLog } from '../../platform/audit/auditLog.node.ts';
import type { WitnessedHead } from '../../platform/audit/chainWitness.node.ts';
import { signedHeadFile, type SignedHeadFile } from '../../platform/audit/signedHead.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { ChannelHandlers } from '../../platform/ipc/router.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import { writeChosenFile, type FileSaver } from '../../platform/files/fileSaver.node.ts';
import { AUDIT_EXPORT_MAX_ROWS, type AuditFilter, type auditChannels } from './audit.contract.std.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Account ids among detail values (every string or array item that is an id of a staff account). */
function accountIdsIn(details: Record<string, unknown>, isAccount: (id: string) => boolean): string[] {
  const found: string[] = [];
  for (const value of Object.values(details)) {
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string' && UUID.test(item) && isAccount(item)) found.push(item);
  }
  return found;
}

/** A CSV cell: quoted, with a leading character a spreadsheet would run as a formula neutralised. */
function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** The filter's field names, for the audit event (never the values filtered on). */
const filterFields = (filter: AuditFilter) => Object.keys(filter).filter((k) => filter[k as keyof AuditFilter] !== undefined).sort();

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

export function auditHandlers(audit: AuditLog, staff: StaffDirectory, heads: HeadSigner, files: FileSaver, progress?: VerifyProgress): ChannelHandlers<typeof auditChannels> {
  return {
    'audit.list': async (input, ctx) => {
      const { rows, total } = await audit.list(ctx.q, input);
      // Staff names are resolved for display here, never stored in the log itself.
      const nameOf = await staffNameResolver(staff, ctx.q);
      const accountNames: Record<string, string> = {};
      for (const row of rows) {
        for (const id of accountIdsIn(JSON.parse(row.details) as Record<string, unknown>, (candidate) => nameOf(candidate) !== null)) accountNames[id] = nameOf(id)!;
      }
      return {
        accountNames,
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
    'audit.actions': async (_input, ctx) => ({ actions: await audit.actions(ctx.q) }),
    'audit.export': async (filter, ctx) => {
      ctx.auditDetails({ filters: filterFields(filter).join(',') || 'none' });
      const path = await files.choosePath({ senderId: ctx.caller.senderId, suggestedName: `audit-log-${new Date().toISOString().slice(0, 10)}.csv`, filter: { name: 'CSV file', extensions: ['csv'] } });
      if (path === null) {
        ctx.auditDetails({ saved: false, rows: 0 });
        return { saved: false, rows: 0, fileName: null };
      }
      const nameOf = await staffNameResolver(staff, ctx.q);
      const lines = ['seq,at,actor,action,outcome,details'];
      let beforeSeq: number | undefined;
      let count = 0;
      // Keyset pages, newest first, so a long export reads the same snapshot's rows in order.
      while (count < AUDIT_EXPORT_MAX_ROWS) {
        const { rows } = await audit.list(ctx.q, { ...filter, beforeSeq, limit: 500 });
        if (rows.length === 0) break;
        for (const row of rows) {
          const details = JSON.parse(row.details) as Record<string, unknown>;
          // Account ids read as names, as on screen.
          const named = Object.fromEntries(Object.entries(details).map(([k, v]) => [k, typeof v === 'string' && UUID.test(v) ? (nameOf(v) ?? v) : v]));
          lines.push([row.seq, row.at, nameOf(row.actor_id) ?? (row.actor_id ? 'Removed account' : 'System'), row.action, row.outcome, JSON.stringify(named)].map((c) => csvCell(c as string | number)).join(','));
        }
        count += rows.length;
        beforeSeq = rows[rows.length - 1]!.seq;
        if (rows.length < 500) break;
      }
      await writeChosenFile(path, new TextEncoder().encode(`${lines.join('\r\n')}\r\n`));
      ctx.auditDetails({ saved: true, rows: count });
      return { saved: true, rows: count, fileName: path.split(/[\\/]/).pop() ?? null };
    },
    'audit.verify': async (input, ctx) => {
      const { taskId } = input;
      const onProgress = taskId && progress ? (done: number, total: number) => progress(ctx.caller.senderId, { taskId, done, total }) : undefined;
      // Events a workstation committed but has not chained yet (PostgreSQL) are chained first, so none escapes the check.
      const sealedFirst = await audit.sealStagedIn(ctx.q);
      const result = await audit.verify(ctx.q, [], { onProgress });
      ctx.auditDetails({ ok: result.ok, checked: result.checked, firstBrokenSeq: result.firstBrokenSeq, sealedFirst });
      return result;
    },
    'audit.exportHead': async (_input, ctx) => {
      // Only a chain that verifies gets a signed head: signing a cut chain would bless the cut.
      const sealedFirst = await audit.sealStagedIn(ctx.q);
      const { result, head } = await audit.verifyChain(ctx.q);
      if (!result.ok) {
        throw new AppError('CONFLICT', `The audit log does not verify (first problem at event ${result.firstBrokenSeq}), so its head was not signed.`);
      }
      const file = heads.sign(head);
      ctx.auditDetails({ headSeq: head.seq, sealedFirst });
      return { seq: file.seq, at: file.at, file: `${JSON.stringify(file, null, 2)}\n` };
    },
    'audit.verifyHead': async (input, ctx) => {
      const file = parseHeadFile(input.file);
      const problem = heads.problem(file);
      const sealedFirst = problem ? 0 : await audit.sealStagedIn(ctx.q);
      const result = problem
        ? { ok: false, checked: 0, firstBrokenSeq: null, reason: problem }
        : await audit.verify(ctx.q, [{ seq: file.seq, hash: file.hash }]);
      ctx.auditDetails({ ok: result.ok, headSeq: file.seq, firstBrokenSeq: result.firstBrokenSeq, sealedFirst });
      return { ...result, head: { seq: file.seq, at: file.at } };
    },
  };
}
