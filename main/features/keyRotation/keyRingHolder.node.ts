import type { KeyRing } from '../../platform/crypto/keyRing.node.ts';
import type { Queryable } from '../../platform/store/database.node.ts';

/**
 * The one key ring every service reads through `current()`; a rotation (here or on another workstation sharing
 * the database) adds or retires domain-key versions, and `reload` opens them again with the KEK from the keychain.
 */
export interface KeyRingHolder {
  current(): KeyRing;
  /** Reads the keys again; inside a caller's transaction when `q` is given (SQLite has one connection). */
  reload(q?: Queryable): Promise<void>;
}

/** What the ring was loaded from: the versions of each domain key, so a cheap query tells when to reload. */
export async function domainKeyFingerprint(q: Queryable): Promise<string> {
  const rows = await q('domain_keys').orderBy(['purpose', 'version']).select<{ purpose: string; version: number; kek_id: string }[]>('purpose', 'version', 'kek_id');
  return rows.map((r) => `${r.purpose}/${Number(r.version)}/${r.kek_id}`).join(',');
}
