import type { FileSaver } from '../../platform/files/fileSaver.node.ts';
import { requireSession, type ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import type { PolicyVersionView, policyChannels } from './policy.contract.std.ts';
import { writePolicyHtml, writePolicyPdf } from './policyExport.node.ts';
import type { PolicyService } from './policyService.node.ts';
import type { PolicyVersionHeader, PolicyVersionRecord } from './policyVersions.node.ts';

export function policyHandlers(deps: { policy: PolicyService; staff: StaffDirectory; files: FileSaver }): ChannelHandlers<typeof policyChannels> {
  const { policy, staff, files } = deps;
  // Staff names are resolved for display, never stored with the version.
  async function named(q: Queryable, versions: PolicyVersionHeader[], inForceId: string | null) {
    const nameOf = await staffNameResolver(staff, q);
    return versions.map((v) => ({
      ...v,
      createdByName: nameOf(v.createdBy),
      publishedByName: nameOf(v.publishedBy),
      inForce: v.id === inForceId,
    }));
  }
  async function view(q: Queryable, version: PolicyVersionRecord): Promise<PolicyVersionView> {
    const { inForce } = await policy.get(q, version.id);
    const [summary] = await named(q, [version], inForce ? version.id : null);
    return { ...summary!, body: version.body };
  }
  const audited = (ctx: { auditDetails(d: Record<string, string | number | boolean | null>): void }, v: PolicyVersionRecord) =>
    ctx.auditDetails({ versionId: v.id, version: v.version, status: v.status });

  return {
    'policy.list': async (_input, ctx) => {
      const { versions, inForceId } = await policy.list(ctx.q);
      return { versions: await named(ctx.q, versions, inForceId) };
    },
    'policy.get': async ({ id }, ctx) => ({ version: await view(ctx.q, (await policy.get(ctx.q, id)).version) }),
    'policy.notices': async (_input, ctx) => ({ notices: await policy.activeNotices(ctx.q) }),
    'policy.createDraft': async ({ basedOn }, ctx) => {
      const draft = await policy.createDraft(ctx.q, requireSession(ctx).userId, basedOn);
      audited(ctx, draft);
      return { version: await view(ctx.q, draft) };
    },
    'policy.saveDraft': async (input, ctx) => {
      const saved = await policy.saveDraft(ctx.q, requireSession(ctx).userId, input);
      audited(ctx, saved);
      ctx.auditDetails({ revision: saved.revision });
      return { version: await view(ctx.q, saved) };
    },
    'policy.requestPublication': async (input, ctx) => {
      const version = await policy.requestPublication(ctx.q, requireSession(ctx).userId, input);
      audited(ctx, version);
      ctx.auditDetails({ approvalId: version.approvalId, material: input.material, effectiveDate: input.effectiveDate });
      return { version: await view(ctx.q, version) };
    },
    'policy.reopenDraft': async ({ id }, ctx) => {
      const version = await policy.reopenDraft(ctx.q, requireSession(ctx).userId, id);
      audited(ctx, version);
      return { version: await view(ctx.q, version) };
    },
    'policy.publish': async (input, ctx) => {
      const version = await policy.publish(ctx.q, requireSession(ctx).userId, input);
      audited(ctx, version);
      ctx.auditDetails({ material: input.material, effectiveDate: input.effectiveDate });
      return { version: await view(ctx.q, version) };
    },
    'policy.archive': async ({ id }, ctx) => {
      const version = await policy.archive(ctx.q, requireSession(ctx).userId, id);
      audited(ctx, version);
      return { version: await view(ctx.q, version) };
    },
    'policy.export': async ({ format }, ctx) => {
      const latest = await policy.latestPublished(ctx.q);
      const path = await files.choosePath({
        senderId: ctx.caller.senderId,
        suggestedName: `privacy-policy-v${latest.version}.${format}`,
        filter: format === 'pdf' ? { name: 'PDF document', extensions: ['pdf'] } : { name: 'Web page', extensions: ['html'] },
      });
      ctx.auditDetails({ versionId: latest.id, version: latest.version, format, saved: path !== null });
      if (path === null) return { saved: false, fileName: null, version: latest.version };
      await (format === 'pdf' ? writePolicyPdf(path, latest) : writePolicyHtml(path, latest));
      return { saved: true, fileName: path.split(/[\\/]/).pop() ?? null, version: latest.version };
    },
  };
}
