import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { empty } from '../../platform/ipc/schemas.std.ts';

/** Settings editable from the console. They never hold a secret or PII. */
export const consoleSettings = z.object({
  idleLockMinutes: z.number().int().min(1).max(120),
});
export type ConsoleSettings = z.infer<typeof consoleSettings>;

export const settingsChannels = {
  'settings.get': channel({
    input: empty,
    output: consoleSettings,
    access: { kind: 'permission', permission: 'settings.manage' },
  }),
  'settings.update': channel({
    input: consoleSettings.partial().strict(),
    output: consoleSettings,
    access: { kind: 'permission', permission: 'settings.manage' },
    audit: 'settings.updated',
  }),
};
