import { randomBytes } from 'node:crypto';
import type { Queryable } from '../store/database.node.ts';
import { asBuffer } from '../store/database.node.ts';
import { DecryptionError, open, seal } from './envelope.node.ts';
import {
  buildKeyRing,
  DOMAIN_KEY_BYTES,
  DOMAIN_KEY_PURPOSES,
  kekFacts,
  legacyDomainKeys,
  type DomainKey,
  type DomainKeyPurpose,
  type KeyRing,
} from './keyRing.node.ts';

export const DOMAIN_KEYS_TABLE = 'domain_keys';

interface DomainKeyRow {
  purpose: DomainKeyPurpose;
  version: number;
  label: string;
  kek_id: string;
  wrapped: Buffer;
  created_at: string;
}

const binding = (purpose: DomainKeyPurpose, version: number) => ({ table: DOMAIN_KEYS_TABLE, column: purpose, rowId: `v${version}` });

function wrapRow(kek: Buffer, key: DomainKey, now: string): DomainKeyRow {
  const facts = kekFacts(kek);
  return {
    purpose: key.purpose,
    version: key.version,
    label: key.label,
    kek_id: facts.kekId,
    wrapped: seal(facts.domainWrapKey, key.key, binding(key.purpose, key.version)),
    created_at: now,
  };
}

/** A new random key of this purpose and version; its label is what its wraps bind to. */
function freshKey(purpose: DomainKeyPurpose, version: number): DomainKey {
  return { purpose, version, label: `${purpose[0]}${version}`, key: randomBytes(DOMAIN_KEY_BYTES) };
}

/**
 * Loads the domain keys with a proven KEK, creating version 1 of each on first use: random for a new
 * database, the KEK-derived ones for a database written before the hierarchy existed (`adoptLegacy`).
 * A row that does not open under this KEK is a wrong key, never a reason to create another.
 */
export async function loadDomainKeys(q: Queryable, kek: Buffer, opts: { adoptLegacy: boolean; now: string }): Promise<KeyRing> {
  const facts = kekFacts(kek);
  let rows = await q<DomainKeyRow>(DOMAIN_KEYS_TABLE).select();
  if (rows.length === 0) {
    const initial = opts.adoptLegacy ? legacyDomainKeys(kek) : DOMAIN_KEY_PURPOSES.map((p) => freshKey(p, 1));
    // Two workstations starting together: the first insert wins and both read the same rows back.
    await q(DOMAIN_KEYS_TABLE).insert(initial.map((key) => wrapRow(kek, key, opts.now))).onConflict(['purpose', 'version']).ignore();
    rows = await q<DomainKeyRow>(DOMAIN_KEYS_TABLE).select();
  }
  const keys = rows.map((row): DomainKey => {
    try {
      return { purpose: row.purpose, version: Number(row.version), label: row.label, key: open(facts.domainWrapKey, asBuffer(row.wrapped), binding(row.purpose, Number(row.version))) };
    } catch (error) {
      if (error instanceof DecryptionError) throw new DomainKeyMismatchError();
      throw error;
    }
  });
  return buildKeyRing(facts.kekId, keys);
}

export class DomainKeyMismatchError extends Error {
  constructor() {
    super('A domain key does not open under this key-encryption key');
    this.name = 'DomainKeyMismatchError';
  }
}

/** Adds the next version of a domain key; new data uses it, older data keeps opening with its own version. */
export async function addDomainKeyVersion(q: Queryable, kek: Buffer, purpose: DomainKeyPurpose, now: string): Promise<number> {
  const row = await q(DOMAIN_KEYS_TABLE).where({ purpose }).max<{ v: number | null }>('version as v').first();
  const version = Number(row?.v ?? 0) + 1;
  await q(DOMAIN_KEYS_TABLE).insert(wrapRow(kek, freshKey(purpose, version), now));
  return version;
}

/**
 * The database half of a KEK rotation: every domain-key row is rewrapped under the new KEK and the key check
 * follows, in the caller's transaction. A handful of rows, whatever the size of the database.
 */
export async function rewrapDomainKeys(q: Queryable, oldKek: Buffer, newKek: Buffer): Promise<number> {
  const oldFacts = kekFacts(oldKek);
  const rows = await q<DomainKeyRow>(DOMAIN_KEYS_TABLE).select();
  for (const row of rows) {
    const version = Number(row.version);
    const key = open(oldFacts.domainWrapKey, asBuffer(row.wrapped), binding(row.purpose, version));
    const rewrapped = wrapRow(newKek, { purpose: row.purpose, version, label: row.label, key }, row.created_at);
    await q(DOMAIN_KEYS_TABLE).where({ purpose: row.purpose, version }).update({ wrapped: rewrapped.wrapped, kek_id: rewrapped.kek_id });
  }
  await q('meta').where({ key: 'key_check' }).update({ value: kekFacts(newKek).checkValue });
  return rows.length;
}
