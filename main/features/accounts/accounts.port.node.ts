import type { Queryable } from '../../platform/store/database.node.ts';
import type { Account } from './accounts.contract.std.ts';
import { countOf, type HomeWorkProvider } from '../home/home.port.node.ts';

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

/** An account as a session starts from it: with the epoch its sessions are valid under. */
export interface SignedInAccount extends Account {
  /** Bumped when the account is disabled, changes role or has its password reset: older sessions end. */
  sessionEpoch: number;
}

/** What a running session is checked against on every call (no decryption). */
export interface AccountSessionState {
  status: Account['status'];
  role: Account['role'];
  sessionEpoch: number;
  /** Reset by IT and not yet changed by its owner. */
  mustChangePassword: boolean;
}

/** Sign-in, unlock and first-run setup, as the session feature needs them. */
export interface StaffAccounts {
  count(q: Queryable): Promise<number>;
  /**
   * First-run setup: the first IT administrator, created at most once however many workstations try at the same
   * moment (CONFLICT for the others).
   */
  createFirstAdmin(q: Queryable, input: { username: string; displayName: string; password: string }): Promise<SignedInAccount>;
  /** A wrong password, unknown user or disabled account all throw INVALID_CREDENTIALS alike. */
  authenticate(username: string, password: string): Promise<SignedInAccount>;
  /** The account's current status, role and session epoch; null when it no longer exists. */
  sessionState(q: Queryable, userId: string): Promise<AccountSessionState | null>;
  /** Counts a failure toward the lockout, audited under `action`. */
  checkPassword(userId: string, password: string, action: string): Promise<Account>;
  /** The person sets their own password (the current one already checked); returns the account's new epoch. */
  changeOwnPassword(q: Queryable, userId: string, current: string, next: string): Promise<SignedInAccount>;
  /** Who reset this account's password and when, while the person has not yet set their own. */
  resetNotice(q: Queryable, userId: string): Promise<{ byName: string | null; at: string } | null>;
  /** The office's minimum password length. */
  minPasswordLength(): number;
}

/** Home (IT): accounts locked out by failed sign-ins right now, and disabled accounts. Counts only. */
export function accountsHomeWork(): HomeWorkProvider {
  return {
    id: 'accounts',
    permissions: ['accounts.manage'],
    async items(q, viewer) {
      const locked = countOf(await q('users').where({ status: 'active' }).where('locked_until', '>', viewer.now).count<{ n: number | string }[]>({ n: '*' }));
      const disabled = countOf(await q('users').where({ status: 'disabled' }).count<{ n: number | string }[]>({ n: '*' }));
      return [
        { id: 'accounts.lockedOut', section: 'system', label: 'Accounts locked out', count: locked, tone: locked ? 'warning' : 'ok', page: 'accounts', detail: null, at: null },
        { id: 'accounts.disabled', section: 'system', label: 'Accounts disabled', count: disabled, tone: 'info', page: 'accounts', detail: null, at: null },
      ];
    },
  };
}
