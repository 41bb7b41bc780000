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

/** Set by migration 0003 on a database that already held data: its KEK-derived keys are adopted once. */
export const ADOPT_LEGACY_KEYS = 'adopt_legacy_domain_keys';

/** A key's material as sealed: the key, and the adopted per-index keys of a legacy blind-index key. */
function material(key: DomainKey): Buffer {
  const indexKeys = key.indexKeys ? Object.fromEntries(Object.entries(key.indexKeys).map(([name, k]) => [name, k.toString('base64')])) : undefined;
  return Buffer.from(JSON.stringify({ key: key.key.toString('base64'), indexKeys }), 'utf8');
}

function fromMaterial(row: DomainKeyRow, plain: Buffer): DomainKey {
  const parsed = JSON.parse(plain.toString('utf8')) as { key: string; indexKeys?: Record<string, string> };
  const indexKeys = parsed.indexKeys ? Object.fromEntries(Object.entries(parsed.indexKeys).map(([name, k]) => [name, Buffer.from(k, 'base64')])) : undefined;
  return { purpose: row.purpose, version: Number(row.version), label: row.label, key: Buffer.from(parsed.key, 'base64'), ...(indexKeys ? { indexKeys } : {}) };
}

function wrapRow(kek: Buffer, key: DomainKey, now: string): DomainKeyRow {
  const facts = kekFacts(kek);
  return {
    purpose: key.purpose,
    version: key.version,
    label: key.label,
    kek_id: facts.kekId,
    wrapped: seal(facts.domainWrapKey, material(key), binding(key.purpose, key.version)),
    created_at: now,
  };
}

/** A new random key of this purpose and version; its label is what its wraps bind to. */
function freshKey(purpose: DomainKeyPurpose, version: number): DomainKey {
  return { purpose, version, label: `${purpose[0]}${version}`, key: randomBytes(DOMAIN_KEY_BYTES) };
}

/**
 * Loads the domain keys with a proven KEK, creating version 1 of each exactly once: random for a new database
 * (`fresh`: its key check was stamped by this open), the KEK-derived ones for a database written before the
 * hierarchy existed (flagged by migration 0003). Missing keys on any other database are refused, never re-made:
 * new keys would leave its data unreadable. A row that does not open under this KEK is a wrong key.
 */
export async function loadDomainKeys(q: Queryable, kek: Buffer, opts: { fresh: boolean; now: string }): Promise<KeyRing> {
  const facts = kekFacts(kek);
  let rows = await q<DomainKeyRow>(DOMAIN_KEYS_TABLE).select();
  if (rows.length === 0) {
    const adopt = Boolean(await q('meta').where({ key: ADOPT_LEGACY_KEYS }).first());
    if (!adopt && !opts.fresh) throw new DomainKeysMissingError();
    const initial = adopt ? legacyDomainKeys(kek) : DOMAIN_KEY_PURPOSES.map((p) => freshKey(p, 1));
    // Two workstations starting together: the first insert wins and both read the same rows back.
    await q(DOMAIN_KEYS_TABLE).insert(initial.map((key) => wrapRow(kek, key, opts.now))).onConflict(['purpose', 'version']).ignore();
    await q('meta').where({ key: ADOPT_LEGACY_KEYS }).delete();
    rows = await q<DomainKeyRow>(DOMAIN_KEYS_TABLE).select();
  }
  const keys = rows.map((row): DomainKey => {
    let plain: Buffer;
    try {
      plain = open(facts.domainWrapKey, asBuffer(row.wrapped), binding(row.purpose, Number(row.version)));
    } catch (error) {
      if (error instanceof DecryptionError) throw new DomainKeyMismatchError();
      throw error;
    }
    return fromMaterial(row, plain);
  });
  return buildKeyRing(facts.kekId, keys);
}

export class DomainKeyMismatchError extends Error {
  constructor() {
    super('A domain key does not open under this key-encryption key');
    this.name = 'DomainKeyMismatchError';
  }
}

export class DomainKeysMissingError extends Error {
  constructor() {
    super('The database holds data but its domain keys are gone');
    this.name = 'DomainKeysMissingError';
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
    const key = fromMaterial(row, open(oldFacts.domainWrapKey, asBuffer(row.wrapped), binding(row.purpose, version)));
    const rewrapped = wrapRow(newKek, key, row.created_at);
    await q(DOMAIN_KEYS_TABLE).where({ purpose: row.purpose, version }).update({ wrapped: rewrapped.wrapped, kek_id: rewrapped.kek_id });
  }
  await q('meta').where({ key: 'key_check' }).update({ value: kekFacts(newKek).checkValue });
  return rows.length;
}

/**
 * The end of a rotation: the version wraps nothing new (`retired_at`). Its material stays (under the KEK): a
 * workstation whose key ring is stale may still wrap under it, and what it wrapped must keep opening.
 */
export async function retireDomainKeyVersion(q: Queryable, purpose: DomainKeyPurpose, version: number, now: string): Promise<void> {
  await q(DOMAIN_KEYS_TABLE).where({ purpose, version }).whereNull('retired_at').update({ retired_at: now });
}

/**
 * The end of a blind-index rotation: no row is indexed under the version any more and an HMAC key unwraps
 * nothing, so its material is destroyed (a leaked old key then matches nothing stored).
 */
export async function destroyBlindIndexVersion(q: Queryable, version: number): Promise<void> {
  await q(DOMAIN_KEYS_TABLE).where({ purpose: 'blind-index', version }).delete();
}

/** The blind-index versions in the database, newest first: a ring holding other ones must reload before indexing. */
export async function blindIndexVersions(q: Queryable): Promise<number[]> {
  const versions = await q(DOMAIN_KEYS_TABLE).where({ purpose: 'blind-index' }).pluck<number[]>('version');
  return versions.map(Number).sort((a, b) => b - a);
}

/**
 * Called by every write that computes blind indexes, in its transaction, before computing them: when the database
 * holds other blind-index versions than the ring (a rotation started or finished on another workstation since this
 * one's last sweep), the ring reloads first. So once a newer version exists nobody indexes under only the old one
 * or checks an address against only the old one, and nobody writes a row under a version already destroyed.
 */
export type FreshIndexKeys = (q: Queryable) => Promise<void>;
