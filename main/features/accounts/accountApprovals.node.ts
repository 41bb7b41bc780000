import { z } from 'zod';
import type { Permission } from '../../platform/ipc/roles.std.ts';
import { id } from '../../platform/ipc/schemas.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import type { AccountService } from './accountService.node.ts';

/** The approval kinds of account governance (registered by the composition root with the approvals feature). */
export const ROLE_GRANT = 'account.role_grant';
export const PASSWORD_RESET = 'account.password_reset';

/** Requests stay open for a working week; an expired one changes nothing. */
const EXPIRES_IN_MS = 7 * 24 * 60 * 60_000;

export const roleGrantPayload = z
  .object({ userId: id, role: z.enum(['manager', 'it_admin']), change: z.enum(['create', 'enable', 'role']) })
  .strict();
export const passwordResetPayload = z.object({ userId: id }).strict();

/** What accounts needs of the approvals feature: file a request, and know which requests are still open. */
export interface ApprovalDesk {
  request(q: Queryable, input: { kind: string; subjectId: string; requesterId: string; reason: string; payload: unknown }): Promise<{ id: string }>;
  /** The ids among `approvalIds` that are still pending (not decided, withdrawn or expired). */
  pendingAmong(q: Queryable, approvalIds: readonly string[]): Promise<Set<string>>;
}

interface AccountApprovalKind<S extends z.ZodType> {
  name: string;
  label: string;
  permission: Permission;
  payload: S;
  expiresInMs: number;
  onApproved(q: Queryable, request: { id: string; payload: z.output<S> }): Promise<void>;
  subjectLabels(q: Queryable, subjectIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

/**
 * Four eyes on customer access: the second IT administrator who approves is never the one who asked (the
 * approvals service refuses that), and the change is applied only here, in the approval's transaction.
 */
export function accountApprovalKinds(accounts: AccountService): [AccountApprovalKind<typeof roleGrantPayload>, AccountApprovalKind<typeof passwordResetPayload>] {
  // Staff names, not customer data: the deciding administrator sees whose account it is.
  const subjectLabels = async (q: Queryable, ids: readonly string[]) => {
    const names = new Map<string, string>();
    for (const userId of ids) {
      const name = await accounts.displayNameOf(q, userId);
      if (name) names.set(userId, name);
    }
    return names;
  };
  return [
    {
      name: ROLE_GRANT,
      label: 'Grant the manager or IT administrator role',
      permission: 'accounts.manage',
      payload: roleGrantPayload,
      expiresInMs: EXPIRES_IN_MS,
      onApproved: async (q, request) => void (await accounts.applyRoleGrant(q, request.id, request.payload)),
      subjectLabels,
    },
    {
      name: PASSWORD_RESET,
      label: "Reset a manager's or IT administrator's password",
      permission: 'accounts.manage',
      payload: passwordResetPayload,
      expiresInMs: EXPIRES_IN_MS,
      onApproved: async (q, request) => void (await accounts.applyPasswordReset(q, request.id)),
      subjectLabels,
    },
  ];
}
