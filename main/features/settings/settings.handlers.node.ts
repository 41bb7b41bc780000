import type { Handlers } from '../../platform/ipc/router.node.ts';
import type { SettingsStore } from '../../platform/settings/settings.node.ts';

type SettingsHandlers = Pick<Handlers, `settings.${string}` & keyof Handlers>;

export function settingsHandlers(settings: SettingsStore): SettingsHandlers {
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
