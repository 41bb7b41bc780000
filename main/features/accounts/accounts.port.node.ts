import type { Queryable } from '../../platform/store/database.node.ts';
import type { Account } from './accounts.contract.std.ts';

/**
 * What other features may use of accounts (implemented by AccountService). Features import this file or the
 * contract, never the service itself.
 */

/** Anything that lists staff accounts with their display names. */
export interface StaffDirectory {
  list(q: Queryable): Promise<readonly { id: string; displayName: string }[]>;
}

/** The display name for an optional account id; null when there is no id or no such account. */
export type StaffNameOf = (id: string | null) => string | null;

/**
 * Staff display names by account id — the one way every history (audit log, consents, corrections, break-glass
 * reviews) labels who did something. Names are resolved at read time, for display only: they are never stored
 * with what they label, so a renamed account shows its current name everywhere.
 */
export async function staffNameResolver(staff: StaffDirectory, q: Queryable): Promise<StaffNameOf> {
  const names = new Map((await staff.list(q)).map((u) => [u.id, u.displayName]));
  return (id) => (id === null ? null : (names.get(id) ?? null));
}

/** Sign-in, unlock and first-run setup, as the session feature needs them. */
export interface StaffAccounts {
  count(q: Queryable): Promise<number>;
  create(q: Queryable, input: { username: string; displayName: string; role: Account['role']; password: string }): Promise<Account>;
  /** A wrong password, unknown user or disabled account all throw INVALID_CREDENTIALS alike. */
  authenticate(username: string, password: string): Promise<Account>;
  /** Counts a failure toward the lockout, audited under `action`. */
  checkPassword(userId: string, password: string, action: string): Promise<Account>;
}
