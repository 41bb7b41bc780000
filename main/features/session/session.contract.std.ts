import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { ROLES } from '../../platform/ipc/roles.std.ts';
import { empty, id, line, ok } from '../../platform/ipc/schemas.std.ts';

export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,32}$/, { message: '3–32 characters: letters, digits, dot, dash, underscore' });
/** Passwords are never trimmed; length rules are checked in main with passwordProblem(). */
export const password = z.string().min(1, { message: 'Required' }).max(1024, { message: 'Too long' });

export const sessionInfo = z.object({
  userId: id,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  locked: z.boolean(),
  idleLockMinutes: z.number(),
  /** Signed in with a one-time code from IT: the person must set their own password before anything else. */
  mustChangePassword: z.boolean(),
  /** Who reset the password and when (told at the sign-in after an IT reset); null otherwise. */
  passwordReset: z.object({ byName: z.string().nullable(), at: z.string() }).nullable(),
  /** The office's minimum password length, for the change-password form's rules. */
  minPasswordLength: z.number(),
  /** The office's locale: how the console writes dates (issue #13). */
  locale: z.string(),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

export const sessionChannels = {
  'session.status': channel({
    input: empty,
    output: z.object({ setupRequired: z.boolean(), session: sessionInfo.nullable() }),
    access: { kind: 'public' },
  }),
  'session.setup': channel({
    input: z.object({ username, displayName: line(80), password }).strict(),
    output: sessionInfo,
    access: { kind: 'public' },
    audit: 'setup.completed',
  }),
  'session.login': channel({
    input: z.object({ username, password }).strict(),
    output: sessionInfo,
    access: { kind: 'public' },
    transactional: false,
  }),
  'session.logout': channel({
    input: empty,
    output: ok,
    access: { kind: 'session', allowWhileLocked: true, allowBeforePasswordChange: true },
    transactional: false,
  }),
  'session.lock': channel({ input: empty, output: ok, access: { kind: 'session', allowBeforePasswordChange: true }, transactional: false }),
  'session.unlock': channel({
    input: z.object({ password }).strict(),
    output: sessionInfo,
    access: { kind: 'session', allowWhileLocked: true, allowBeforePasswordChange: true },
    transactional: false,
  }),
  'session.reauthenticate': channel({
    input: z.object({ password }).strict(),
    output: z.object({ validUntil: z.string() }),
    access: { kind: 'session' },
    transactional: false,
  }),
  /** User input in the window counts as activity for the idle lock even when no other call is made. */
  'session.activity': channel({ input: empty, output: ok, access: { kind: 'session', allowBeforePasswordChange: true }, transactional: false }),
  /**
   * "Change my password": the current password (counted toward the lockout like a sign-in) and a new one under the
   * same rules. After an IT reset it is the only thing the session may do. Other sessions of the account end.
   */
  'session.changePassword': channel({
    input: z.object({ currentPassword: password, newPassword: password }).strict(),
    output: sessionInfo,
    access: { kind: 'session', allowBeforePasswordChange: true },
    transactional: false,
    audit: 'account.password_changed',
  }),
};
