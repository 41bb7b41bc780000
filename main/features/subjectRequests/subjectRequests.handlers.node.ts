import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Clock } from '../../platform/clock.std.ts';
import { writeChosenFile, type FileSaver } from '../../platform/files/fileSaver.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { roleHolds } from '../../platform/ipc/roles.std.ts';
import { requireSession, type ChannelHandlers, type HandlerContext } from '../../platform/ipc/router.node.ts';
import type { Db } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { inTransaction } from '../../platform/store/transaction.node.ts';
import { exportJson, type AccessExportAssembler } from './accessExport.node.ts';
import { renderAccessPdf } from './accessExportPdf.node.ts';
import { recipientsToTell, type RecipientSource } from './recipients.node.ts';
import { dateOf } from './requestDates.std.ts';
import type { ExportGate } from './exportGate.node.ts';
import type { SubjectRequestTracker, Viewer } from './requestTracker.node.ts';
import type { subjectRequestsChannels } from './subjectRequests.contract.std.ts';

export interface SubjectRequestServices {
  db: Db;
  clock: Pick<Clock, 'now' | 'nowIso'>;
  tracker: SubjectRequestTracker;
  assembler: AccessExportAssembler;
  gate: ExportGate;
  files: FileSaver;
  recipients: RecipientSource;
}

const FILE_TYPES = {
  json: { name: 'JSON data file', extensions: ['json'] },
  pdf: { name: 'PDF document', extensions: ['pdf'] },
} as const;

function viewerOf(ctx: HandlerContext): Viewer {
  return { readsCustomers: roleHolds(requireSession(ctx).role, 'customers.read') };
}

/** Audit details hold request, customer, export and approval ids, types, statuses and counts — never a reason. */
export function subjectRequestsHandlers(s: SubjectRequestServices): ChannelHandlers<typeof subjectRequestsChannels> {
  return {
    'subjectRequests.list': async (input, ctx) => {
      const { requests, total } = await s.tracker.list(ctx.q, input, viewerOf(ctx));
      return { requests, total, today: s.tracker.today() };
    },
    'subjectRequests.summary': async (_input, ctx) => s.tracker.summary(ctx.q, viewerOf(ctx)),
    'subjectRequests.open': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ customerId: input.customerId, type: input.type, channel: input.channel });
      const request = await s.tracker.open(ctx.q, { ...input, createdBy: session.userId }, viewerOf(ctx));
      ctx.auditDetails({ requestId: request.id, dueOn: request.dueOn });
      return { request };
    },
    'subjectRequests.start': async (input, ctx) => {
      ctx.auditDetails({ requestId: input.requestId });
      const request = await s.tracker.start(ctx.q, input.requestId, viewerOf(ctx));
      ctx.auditDetails({ customerId: request.customerId, type: request.type });
      return { request };
    },
    'subjectRequests.extend': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ requestId: input.requestId, extensionDays: input.extensionDays });
      const request = await s.tracker.extend(ctx.q, { ...input, actorId: session.userId }, viewerOf(ctx));
      ctx.auditDetails({ customerId: request.customerId, type: request.type, dueOn: request.dueOn });
      return { request };
    },
    'subjectRequests.complete': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ requestId: input.requestId, correctionId: input.correctionId ?? null });
      const request = await s.tracker.complete(ctx.q, { ...input, actorId: session.userId }, viewerOf(ctx));
      ctx.auditDetails({ customerId: request.customerId, type: request.type, exportId: request.linkedExportId });
      return { request };
    },
    'subjectRequests.refuse': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ requestId: input.requestId });
      const request = await s.tracker.refuse(ctx.q, { ...input, actorId: session.userId }, viewerOf(ctx));
      ctx.auditDetails({ customerId: request.customerId, type: request.type });
      return { request };
    },
    'subjectRequests.exportAccess': async (input, ctx) => {
      ctx.auditDetails({ customerId: input.customerId, format: input.format, requestId: input.requestId ?? null });
      // Refusals come before the dialog: a quarantined, erased or unknown customer never gets as far as a file.
      await s.gate.assertExportable(s.db, input.customerId, input.requestId);
      // Outside any transaction: the dialog may stay open for minutes and must hold no lock meanwhile.
      const today = dateOf(s.clock.now());
      const path = await s.files.choosePath({
        senderId: ctx.caller.senderId,
        suggestedName: `personal-data-${input.customerId.slice(0, 8)}-${today}.${input.format}`,
        filter: FILE_TYPES[input.format],
      });
      if (!path) {
        ctx.auditDetails({ saved: false });
        return { saved: false, fileName: null, exportId: null };
      }
      const exportId = randomUUID();
      let written = false;
      try {
        // The export read, its link to the request, the file and the audit event: all or nothing.
        await inTransaction(s.db, async (trx) => {
          await dialectOf(trx).claimWrite(trx);
          await s.gate.assertExportable(trx, input.customerId, input.requestId);
          const exported = await s.assembler.assemble(trx, input.customerId, { exportId, generatedAt: s.clock.nowIso() });
          if (input.requestId) await s.tracker.recordExport(trx, input.requestId, input.customerId, exportId);
          const bytes = input.format === 'pdf' ? await renderAccessPdf(exported) : Buffer.from(exportJson(exported), 'utf8');
          written = true;
          await writeChosenFile(path, bytes).catch(() => {
            // The file system's message names the path (which may hold a name): the user is told in general words.
            throw new AppError('UNAVAILABLE', 'The file could not be saved in the chosen folder (no access, no space, or the folder is gone). Nothing was exported.');
          });
          ctx.auditDetails({ exportId, saved: true, sections: exported.sections.map((section) => section.id) });
          await ctx.auditIn(trx);
        });
      } catch (error) {
        // The export did not commit: no file of it may stay behind.
        if (written) await rm(path, { force: true }).catch(() => undefined);
        throw error;
      }
      return { saved: true, fileName: basename(path), exportId };
    },
    'subjectRequests.recipients': async (input, ctx) => recipientsToTell(s.recipients, ctx.q, input.customerId),
  };
}
