import type { ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { settingsChannels } from './settings.contract.std.ts';
import type { SettingsStore } from '../../platform/settings/settings.node.ts';

export function settingsHandlers(settings: SettingsStore): ChannelHandlers<typeof settingsChannels> {
  const current = () => ({ idleLockMinutes: settings.get('idleLockMinutes') });
  return {
    'settings.get': async () => current(),
    'settings.update': async (input, ctx) => {
      if (input.idleLockMinutes !== undefined) settings.set('idleLockMinutes', input.idleLockMinutes);
      ctx.auditDetails({ fields: Object.keys(input) });
      return current();
    },
  };
}
