import type { FileSaver } from '../../platform/files/fileSaver.node.ts';
import { requireSession, type ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import { MARKETING_PURPOSES, QUARANTINED_LABEL, quarantinedAmong, type CustomerDisplayNames } from '../customers/customers.port.node.ts';
import { policyVersionNumbers } from '../policy/policy.port.node.ts';
import type { AnnouncementView, announcementsChannels } from './announcements.contract.std.ts';
import type { AnnouncementService } from './announcementService.node.ts';
import type { AnnouncementRecord, RecipientRecord } from './announcementStore.node.ts';
import type { RecipientStatus } from './announcements.contract.std.ts';

const ERASED = '(erased)';

export function announcementsHandlers(deps: {
  announcements: AnnouncementService;
  staff: StaffDirectory;
  names: CustomerDisplayNames;
  files: FileSaver;
}): ChannelHandlers<typeof announcementsChannels> {
  const { announcements, staff, names, files } = deps;
  async function views(q: Queryable, list: { announcement: AnnouncementRecord; counts: Record<RecipientStatus, number> }[]): Promise<AnnouncementView[]> {
    const nameOf = await staffNameResolver(staff, q);
    const versions = await policyVersionNumbers(q);
    return list.map(({ announcement: a, counts }) => ({
      id: a.id,
      policyVersionId: a.policyVersionId,
      policyVersion: versions.get(a.policyVersionId) ?? 0,
      title: a.title,
      summary: a.summary,
      audience: a.audience,
      channel: a.channel,
      status: a.status,
      recipientCount: a.recipientCount,
      counts,
      createdBy: a.createdBy,
      createdByName: nameOf(a.createdBy),
      createdAt: a.createdAt,
    }));
  }
  async function recipientViews(q: Queryable, list: RecipientRecord[]) {
    const ids = list.map((r) => r.customerId);
    const [shown, minors] = [await names.displayNames(q, ids), await quarantinedAmong(q, ids)];
    return list.map((r) => ({ ...r, displayName: minors.has(r.customerId) ? QUARANTINED_LABEL : (shown.get(r.customerId) ?? ERASED) }));
  }
  return {
    'announcements.list': async (_input, ctx) => ({ announcements: await views(ctx.q, await announcements.list(ctx.q)) }),
    'announcements.audienceCounts': async ({ policyVersionId }, ctx) => announcements.audienceCounts(ctx.q, policyVersionId),
    'announcements.create': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ policyVersionId: input.policyVersionId, audience: input.audience, channel: input.channel });
      const created = await announcements.create(input, { userId: session.userId, senderId: ctx.caller.senderId }, async (q, announcementId) => {
        ctx.auditDetails({ announcementId });
        await ctx.auditIn(q);
      });
      const [view] = await views(ctx.q, [await announcements.get(ctx.q, created.id)]);
      return { announcement: view! };
    },
    'announcements.recipients': async (input, ctx) => {
      const { recipients, total } = await announcements.recipients(ctx.q, input);
      return { recipients: await recipientViews(ctx.q, recipients), total };
    },
    'announcements.exportMailingList': async (input, ctx) => {
      const session = requireSession(ctx);
      const { announcement } = await announcements.get(ctx.q, input.announcementId);
      ctx.auditDetails({ announcementId: announcement.id, channel: announcement.channel });
      const path = await files.choosePath({
        senderId: ctx.caller.senderId,
        suggestedName: `announcement-${announcement.channel === 'email_batch' ? 'email-batch' : 'letter-list'}-${announcement.id.slice(0, 8)}.csv`,
        filter: { name: 'CSV file', extensions: ['csv'] },
      });
      if (path === null) {
        ctx.auditDetails({ saved: false });
        return { saved: false, fileName: null, rows: 0 };
      }
      const rows = await announcements.exportMailingList(input, { userId: session.userId, senderId: ctx.caller.senderId }, path);
      ctx.auditDetails({ saved: true, rows });
      return { saved: true, fileName: path.split(/[\\/]/).pop() ?? null, rows };
    },
    'announcements.importResults': async (input, ctx) => {
      ctx.auditDetails({ announcementId: input.announcementId });
      const result = await announcements.importResults(ctx.q, input);
      ctx.auditDetails({ rows: result.rows, updated: result.updated, problemRows: result.problemRows });
      return result;
    },
    'announcements.acknowledge': async (input, ctx) => {
      ctx.auditDetails({ announcementId: input.announcementId, customerId: input.customerId });
      const recipient = await announcements.acknowledge(ctx.q, input, requireSession(ctx).userId);
      const [view] = await recipientViews(ctx.q, [recipient]);
      return { recipient: view! };
    },
    'audiences.counts': async (_input, ctx) => ({ counts: await announcements.audienceCountsByPurpose(ctx.q, MARKETING_PURPOSES) }),
    'audiences.export': async (input, ctx) => {
      const session = requireSession(ctx);
      ctx.auditDetails({ purpose: input.purpose });
      const path = await files.choosePath({
        senderId: ctx.caller.senderId,
        suggestedName: `audience-${input.purpose}.csv`,
        filter: { name: 'CSV file', extensions: ['csv'] },
      });
      if (path === null) {
        ctx.auditDetails({ saved: false });
        return { saved: false, fileName: null, rows: 0 };
      }
      const rows = await announcements.exportAudience(input, { userId: session.userId, senderId: ctx.caller.senderId }, path);
      ctx.auditDetails({ saved: true, rows });
      return { saved: true, fileName: path.split(/[\\/]/).pop() ?? null, rows };
    },
  };
}
