import { AppError } from '../../platform/ipc/errors.std.ts';
import { roleHolds } from '../../platform/ipc/roles.std.ts';
import { requireSession, type ChannelHandlers, type RouterSession } from '../../platform/ipc/router.node.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { staffNameResolver, type StaffDirectory, type StaffNameOf } from '../accounts/accounts.port.node.ts';
import { QUARANTINED_LABEL, quarantinedAmong, type CustomerDisplayNames } from '../customers/customers.port.node.ts';
import type { DisclosureRegister, RegisterRecord } from './disclosureRegister.node.ts';
import type { DisclosureRequests, StoredRequest } from './disclosureRequests.node.ts';
import type { disclosuresChannels, RegisterEntry, RequestSummary } from './disclosures.contract.std.ts';
import type { DisclosureService } from './disclosureService.node.ts';
import type { RecipientRegistry } from './recipients.node.ts';

export interface DisclosureServices {
  recipients: RecipientRegistry;
  requests: DisclosureRequests;
  register: DisclosureRegister;
  service: DisclosureService;
  staff: StaffDirectory;
  customerNames: CustomerDisplayNames;
}

/** Customers a request's page names (masked), at most. */
const NAMED_CUSTOMERS = 50;

/**
 * Audit details hold ids, enums, counts and hashes only: never a purpose, a legal authority or reference, a
 * note, a customer's data or the one-time passphrase.
 */
export function disclosuresHandlers({ recipients, requests, register, service, staff, customerNames }: DisclosureServices): ChannelHandlers<typeof disclosuresChannels> {
  const summaries = async (q: Queryable, session: RouterSession, list: StoredRequest[]): Promise<RequestSummary[]> => {
    const nameOf = await staffNameResolver(staff, q);
    const recipientNames = new Map((await recipients.list(q, true)).map((r) => [r.id, r.name]));
    const manager = roleHolds(session.role, 'disclosures.approve');
    return list.map(({ row, fields, approval, status }) => ({
      id: row.id,
      approvalId: row.approval_id,
      status,
      approvalStatus: approval.status,
      kind: row.kind,
      recipientId: row.recipient_id,
      recipientName: recipientNames.get(row.recipient_id) ?? '(unknown recipient)',
      recipientVersion: Number(row.recipient_version),
      fields,
      customerCount: Number(row.customer_count),
      requesterId: row.requester_id,
      requesterName: nameOf(row.requester_id),
      requestedAt: row.requested_at,
      deciderName: nameOf(approval.deciderId),
      decidedAt: approval.decidedAt,
      registerEntryId: row.register_entry_id,
      canDecide: manager && status === 'pending' && row.requester_id !== session.userId && roleHolds(session.role, 'approvals.decide'),
      canRelease: manager && status === 'approved' && row.release_state === 'none',
    }));
  };
  const entries = (list: RegisterRecord[], nameOf: StaffNameOf): RegisterEntry[] =>
    list.map((e) => ({
      ...e,
      requestedByName: nameOf(e.requestedBy),
      approvedByName: nameOf(e.approvedBy),
      recordedByName: nameOf(e.recordedBy),
    }));

  return {
    'disclosures.recipients.list': async (input, ctx) => ({ recipients: await recipients.list(ctx.q, input.includeInactive) }),
    'disclosures.recipients.versions': async (input, ctx) => {
      const nameOf = await staffNameResolver(staff, ctx.q);
      const versions = await recipients.versions(ctx.q, input.recipientId);
      return { versions: versions.map((v) => ({ ...v, changedByName: nameOf(v.changedBy) })) };
    },
    'disclosures.recipients.save': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ recipientId: input.id ?? null, kind: input.kind, fields: input.allowedFields, active: input.active });
      const { recipient, created, widened } = await recipients.save(ctx.q, input, session.userId);
      ctx.auditDetails({ recipientId: recipient.id, version: recipient.version, created, widened });
      return { recipient };
    },
    'disclosures.requests.create': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ recipientId: input.recipientId, kind: input.kind, fields: input.fields, customerCount: input.customerIds.length, scan: Boolean(input.legal?.scan) });
      const stored = await requests.create(ctx.q, input, session.userId);
      ctx.auditDetails({ requestId: stored.row.id, approvalId: stored.approval.id, recipientVersion: Number(stored.row.recipient_version) });
      const [request] = await summaries(ctx.q, session, [stored]);
      return { request: request! };
    },
    'disclosures.requests.list': async (input, ctx) => {
      const session = requireSession(ctx);
      const mine = await requests.mine(ctx.q, session.userId, input.limit);
      const queue = roleHolds(session.role, 'disclosures.approve') ? await requests.open(ctx.q, input.limit) : [];
      return { mine: await summaries(ctx.q, session, mine), queue: await summaries(ctx.q, session, queue) };
    },
    'disclosures.requests.get': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ requestId: input.id });
      const stored = await requests.load(ctx.q, input.id);
      if (stored.row.requester_id !== session.userId && !roleHolds(session.role, 'disclosures.approve')) {
        throw new AppError('NOT_FOUND', 'No such disclosure request.');
      }
      const [summary] = await summaries(ctx.q, session, [stored]);
      const texts = await requests.texts(ctx.q, stored.row);
      const ids = await requests.customerIds(ctx.q, stored.row.id, null, NAMED_CUSTOMERS);
      const names = await customerNames.displayNames(ctx.q, ids);
      // A minor's record stays out of every list, this one included.
      for (const minor of await quarantinedAmong(ctx.q, ids)) names.set(minor, QUARANTINED_LABEL);
      const scan = await requests.scanFacts(ctx.q, stored.row.id);
      return {
        request: {
          ...summary!,
          purpose: texts.purpose,
          legal: texts.legal ? { ...texts.legal, scan } : null,
          customers: ids.map((id) => ({ id, displayName: names.get(id) ?? '(erased)' })),
          decisionReason: stored.approval.decisionReason,
        },
      };
    },
    'disclosures.requests.scan': async (input, ctx) => {
      ctx.auditDetails({ requestId: input.id });
      const stored = await requests.load(ctx.q, input.id);
      const scan = await requests.scan(ctx.q, stored.row);
      if (!scan) throw new AppError('NOT_FOUND', 'This request has no attached document.');
      ctx.auditDetails({ mediaType: scan.mediaType });
      return scan;
    },
    'disclosures.release': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ requestId: input.requestId, format: input.format, encrypted: input.encrypt });
      const result = await service.release(input, { userId: session.userId, senderId: ctx.caller.senderId }, async (trx, outcome) => {
        const stored = await requests.load(trx, input.requestId);
        ctx.auditDetails({
          entryId: outcome.entryId,
          approvalId: stored.approval.id,
          recipientId: stored.row.recipient_id,
          recipientVersion: Number(stored.row.recipient_version),
          kind: stored.row.kind,
          fields: stored.fields,
          customerCount: Number(stored.row.customer_count),
          fileSha256: outcome.fileSha256,
        });
        await ctx.auditIn(trx);
      });
      return { entryId: result.entryId, fileName: result.fileName, fileSha256: result.fileSha256, rows: result.rows, passphrase: result.passphrase };
    },
    'disclosures.register.list': async (input, ctx) => {
      ctx.auditDetails({ filtered: Object.keys(input.filter), offset: input.offset });
      const { entries: list, total } = await register.list(ctx.q, input.filter, input.offset, input.limit);
      ctx.auditDetails({ returned: list.length, total });
      return { entries: entries(list, await staffNameResolver(staff, ctx.q)), total };
    },
    'disclosures.register.export': async (input, ctx) => {
      ctx.auditDetails({ format: input.format, filtered: Object.keys(input.filter) });
      const result = await service.exportRegister(ctx.q, input, ctx.caller.senderId, await staffNameResolver(staff, ctx.q));
      ctx.auditDetails({ entries: result.entries, fileSha256: result.fileSha256 });
      return result;
    },
    'disclosures.register.correct': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ correctsId: input.entryId });
      const entry = await register.appendCorrection(ctx.q, input.entryId, input.note, session.userId);
      ctx.auditDetails({ entryId: entry.id });
      const [named] = entries([entry], await staffNameResolver(staff, ctx.q));
      return { entry: named! };
    },
    'disclosures.forCustomer': async (input, ctx) => {
      ctx.auditDetails({ customerId: input.customerId });
      const disclosures = await service.disclosuresAbout(ctx.q, input.customerId);
      ctx.auditDetails({ count: disclosures.length });
      return { disclosures, recipientsToTell: await service.recipientsToTell(ctx.q, input.customerId) };
    },
  };
}
