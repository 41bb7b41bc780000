import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { ROLES } from '../../platform/ipc/roles.std.ts';
import { empty, id, line } from '../../platform/ipc/schemas.std.ts';
import { password, username } from '../session/session.contract.std.ts';

export const account = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  status: z.enum(['active', 'disabled']),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type Account = z.infer<typeof account>;

export const accountsChannels = {
  'accounts.list': channel({
    input: empty,
    output: z.object({ accounts: z.array(account) }),
    access: { kind: 'permission', permission: 'accounts.read' },
  }),
  'accounts.create': channel({
    input: z.object({ username, displayName: line(80), role: z.enum(ROLES), password }).strict(),
    output: account,
    access: { kind: 'permission', permission: 'accounts.manage' },
    reauth: true,
    audit: 'account.created',
  }),
  'accounts.update': channel({
    input: z
      .object({
        id,
        role: z.enum(ROLES).optional(),
        status: z.enum(['active', 'disabled']).optional(),
        displayName: line(80).optional(),
        clearLockout: z.literal(true).optional(),
      })
      .strict(),
    output: account,
    access: { kind: 'permission', permission: 'accounts.manage' },
    reauth: true,
    audit: 'account.updated',
  }),
  'accounts.resetPassword': channel({
    input: z.object({ id, password }).strict(),
    output: account,
    access: { kind: 'permission', permission: 'accounts.manage' },
    reauth: true,
    audit: 'account.password_reset',
  }),
};
