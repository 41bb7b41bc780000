import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { ROLES } from '../../platform/ipc/roles.std.ts';
import { empty, id, line } from '../../platform/ipc/schemas.std.ts';
import { approvalReason } from '../approvals/approvals.contract.std.ts';
import { password, username } from '../session/session.contract.std.ts';

/** The password-length bounds office settings may choose between. */
export { MAX_MIN_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwordRules.std.ts';

export const account = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  status: z.enum(['active', 'disabled']),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
  /** Reset by IT: the one-time code works until the person sets a password of their own. */
  mustChangePassword: z.boolean(),
});
export type Account = z.infer<typeof account>;

/** An account as the Accounts screen lists it: with what is waiting for a second IT administrator. */
export const accountEntry = account.extend({
  /** The role (or re-enabling, with the current role) granted once a second IT administrator approves. */
  awaitingRole: z.enum(ROLES).nullable(),
  /** A password reset waiting for approval (its code was shown to whoever asked for it). */
  awaitingReset: z.boolean(),
});
export type AccountEntry = z.infer<typeof accountEntry>;

/**
 * A grant of the manager or IT administrator role (new account, role change, re-enabling) or a reset of such an
 * account's password waits for a second IT administrator whenever one exists: the caller says why, for them.
 */
const governed = { reason: approvalReason.optional() };

/** The account after a governed change, and whether that change was applied now or filed for approval (its id). */
const outcome = account.extend({ approvalId: id.nullable() });

export const accountsChannels = {
  'accounts.list': channel({
    input: empty,
    output: z.object({
      accounts: z.array(accountEntry),
      /** Whether a role grant or a manager's / administrator's reset by the caller would wait for approval now. */
      grantsNeedApproval: z.boolean(),
    }),
    access: { kind: 'permission', permission: 'accounts.read' },
  }),
  'accounts.create': channel({
    input: z.object({ username, displayName: line(80), role: z.enum(ROLES), password, ...governed }).strict(),
    output: outcome,
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
        ...governed,
      })
      .strict(),
    output: outcome,
    access: { kind: 'permission', permission: 'accounts.manage' },
    reauth: true,
    audit: 'account.updated',
  }),
  /**
   * IT never chooses someone's password: the reset makes a one-time code, shown once here, that the person uses
   * once to set their own. A manager's or administrator's code works only after a second IT administrator approves.
   */
  'accounts.resetPassword': channel({
    input: z.object({ id, ...governed }).strict(),
    output: outcome.extend({ oneTimeCode: z.string() }),
    access: { kind: 'permission', permission: 'accounts.manage' },
    reauth: true,
    audit: 'account.password_reset',
  }),
};
