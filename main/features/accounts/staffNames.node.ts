import type { DataKeyWrapper } from '../../platform/crypto/dataKeys.node.ts';
import type { RecordCipher } from '../../platform/crypto/recordCipher.node.ts';
import { asBuffer, type Queryable } from '../../platform/store/database.node.ts';

export const USERS_TABLE = 'users';

/** The encrypted `profile` section of a staff account. */
export interface StaffProfile {
  username: string;
  displayName: string;
}

/** Opens a staff account's profile: the one place a `users.profile` ciphertext is read. */
export function openProfile(cipher: RecordCipher, keys: DataKeyWrapper, row: { id: string; dek: Buffer; profile: Buffer }): StaffProfile {
  return cipher.open<StaffProfile>(keys, row.id, asBuffer(row.dek), 'profile', asBuffer(row.profile));
}

/** Anything that lists staff accounts with their display names (the AccountService). */
export interface StaffDirectory {
  list(q: Queryable): Promise<readonly { id: string; displayName: string }[]>;
}

/**
 * Staff display names by account id. Names are resolved at read time, for display only: they are never stored
 * with the event, review or correction they label, so a renamed account shows its current name everywhere.
 */
export async function staffNames(staff: StaffDirectory, q: Queryable): Promise<Map<string, string>> {
  return new Map((await staff.list(q)).map((u) => [u.id, u.displayName]));
}

/** The name for an optional account id; null when there is no id or no such account. */
export function nameOf(names: ReadonlyMap<string, string>, id: string | null): string | null {
  return id === null ? null : (names.get(id) ?? null);
}
