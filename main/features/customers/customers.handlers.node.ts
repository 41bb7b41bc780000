import { requireSession, type ChannelHandlers } from '../../platform/ipc/router.node.ts';
import { setConsent } from './consents.node.ts';
import type { CorrectionService } from './corrections.node.ts';
import type { CustomerImportService } from './customerImport.node.ts';
import type { customersChannels } from './customers.contract.std.ts';
import { listCustomers, searchCustomers } from './customerSearch.node.ts';
import type { CustomerStore } from './customerStore.node.ts';
import type { RecordAccess } from './recordAccess.node.ts';

export interface CustomerServices {
  customers: CustomerStore;
  corrections: CorrectionService;
  records: RecordAccess;
  importer: CustomerImportService;
}

/** Audit details name ids, purposes, field names and counts — never a value that was searched for or stored. */
export function customersHandlers({ customers, corrections, records, importer }: CustomerServices): ChannelHandlers<typeof customersChannels> {
  return {
    'customers.search': async (input, ctx) => {
      ctx.auditDetails({ by: input.by });
      const result = await searchCustomers(ctx.q, customers, input.by, input.value);
      ctx.auditDetails({ results: result.rows.length, truncated: result.truncated });
      return result;
    },
    'customers.list': async (input, ctx) => {
      const { rows, total } = await listCustomers(ctx.q, customers, input);
      ctx.auditDetails({ offset: input.offset, limit: input.limit, keyset: input.after !== undefined, returned: rows.length, status: input.status ?? null, order: input.order });
      return { rows, total, offset: input.offset, limit: input.limit };
    },
    'customers.open': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ customerId: input.customerId, purpose: input.purpose });
      const record = await records.open(ctx.q, input, { userId: session.userId, role: session.role });
      ctx.auditDetails({ fields: record.fields, ...(record.breakGlassReviewId ? { reviewId: record.breakGlassReviewId, flagged: true } : {}) });
      return record;
    },
    'customers.create': async ({ consents, consentChannel, ...details }, ctx) => {
      const session = requireSession(ctx);
      const customer = await customers.create(ctx.q, details, { actorId: session.userId, consents, consentChannel });
      const granted = Object.entries(consents ?? {}).filter(([, v]) => v).map(([k]) => k);
      ctx.auditDetails({ customerId: customer.id, kind: customer.kind, consentsGranted: granted, consentChannel: consentChannel ?? null });
      return { customer };
    },
    'customers.correct': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ customerId: input.customerId, source: input.source });
      const { correctionId, fields, row, minorFound } = await corrections.correct(ctx.q, input, session.userId);
      ctx.auditDetails({ correctionId, fields, ...(minorFound && { minorFound }) });
      return { correctionId, fields, customer: customers.toRow(row), minorFound };
    },
    'customers.corrections': async (input, ctx) => {
      ctx.auditDetails({ customerId: input.customerId, purpose: 'correction', view: 'correction_history' });
      const list = await corrections.history(ctx.q, input.customerId);
      ctx.auditDetails({ count: list.length });
      return { corrections: list };
    },
    'customers.setConsent': async (input, ctx) => {
      const session = requireSession(ctx);
      await customers.load(ctx.q, input.customerId);
      const consent = await setConsent(ctx.q, input, session.userId, customers.now());
      ctx.auditDetails({ customerId: input.customerId, purpose: input.purpose, granted: input.granted, channel: input.channel });
      return { consent };
    },
    'customers.setStatus': async (input, ctx) => {
      const { row, changed } = await customers.setStatus(ctx.q, input.customerId, input.status);
      ctx.auditDetails({ customerId: input.customerId, status: input.status, changed });
      return { customer: row };
    },
    'customers.importPreview': async (input) => importer.preview(input.csv),
    'customers.importRun': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ taskId: input.taskId, dryRun: input.dryRun, mappedFields: Object.keys(input.mapping) });
      const result = await importer.run(
        ctx.q,
        input,
        { userId: session.userId, senderId: ctx.caller.senderId },
        {
          // The import's audit event commits with the transaction that publishes its rows.
          publish: async (trx, counts) => {
            ctx.auditDetails(counts);
            await ctx.auditIn(trx);
          },
        },
      );
      ctx.auditDetails({ totalRows: result.totalRows, imported: result.imported, rejectedRows: result.rejectedRows });
      return result;
    },
    'customers.importCancel': async (input, ctx) => {
      importer.cancel(input.taskId, requireSession(ctx).userId);
      return { ok: true };
    },
  };
}
