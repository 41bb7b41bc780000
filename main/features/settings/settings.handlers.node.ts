import type { ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { ManagedView } from '../../platform/settings/managedPolicy.std.ts';
import type { OfficeSettings } from './officeSettings.node.ts';
import type { settingsChannels } from './settings.contract.std.ts';

export function settingsHandlers(office: OfficeSettings, managed: ManagedView): ChannelHandlers<typeof settingsChannels> {
  return {
    'settings.get': async (_input, ctx) => office.refresh(ctx.q),
    'settings.update': async (input, ctx) => {
      const { settings, fields } = await office.update(ctx.q, input, ctx.session?.userId ?? null);
      // Names only: the values are not personal, but the audit log records what changed, never to what.
      ctx.auditDetails({ fields });
      return settings;
    },
    'settings.managed': async () => managed,
  };
}
