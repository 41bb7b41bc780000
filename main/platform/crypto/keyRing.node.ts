import { createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The key hierarchy. The key-encryption key (KEK) in the OS keychain wraps only a handful of versioned
 * *domain keys* stored in the `domain_keys` table; everything else hangs off those:
 *
 *   KEK ─┬─ dek-wrap vN ── per-customer keys and staff-record data keys ── record data keys ── ciphertexts
 *        ├─ blind-index vN ── one HKDF key per index (exact search)
 *        └─ audit vN ── HMAC of the hash chain (each event records the version it was hashed with)
 *
 * Rotating the KEK rewraps the domain-key rows only: blind indexes, audit hashes and data keys stay valid.
 * Rotating the blind-index key re-indexes every row (each row names the version it is indexed under).
 */
export type DomainKeyPurpose = 'dek-wrap' | 'blind-index' | 'audit';
export const DOMAIN_KEY_PURPOSES: readonly DomainKeyPurpose[] = ['dek-wrap', 'blind-index', 'audit'];

export interface DomainKey {
  readonly purpose: DomainKeyPurpose;
  readonly version: number;
  /** Bound into the associated data of what this key wraps (older databases used the KEK fingerprint). */
  readonly label: string;
  readonly key: Buffer;
  /** Blind-index keys adopted from a database written before the hierarchy, by index name (see legacyDomainKeys). */
  readonly indexKeys?: Readonly<Record<string, Buffer>>;
}

export interface KeyRing {
  /** Public fingerprint of the KEK that unlocked this ring. */
  readonly kekId: string;
  /** Current version of each domain key: what new data is wrapped, indexed or hashed with. */
  readonly dekWrap: DomainKey;
  readonly audit: DomainKey;
  /** A domain key by version, for data written under an older one. Throws when the version is unknown. */
  domainKey(purpose: DomainKeyPurpose, version: number): DomainKey;
  /** The blind-index version new indexes are computed under (the newest). */
  readonly indexVersion: number;
  /**
   * Every blind-index version the ring holds, newest first: a search probes each (two during a re-index, one
   * otherwise), since a row keeps the version it was indexed under until the rotation job moves it.
   */
  readonly indexVersions: readonly number[];
  /** The HMAC key of one blind index (e.g. `customers.email`) under a version (default: the current one). */
  indexKey(indexName: string, version?: number): Buffer;
}

export const KEK_BYTES = 32;
export const DOMAIN_KEY_BYTES = 32;

export function hkdf(secret: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `itpc/v1/${info}`, 32));
}

export interface KekFacts {
  /** Short public fingerprint; stored beside the domain keys it wrapped. */
  readonly kekId: string;
  /** Stored in `meta.key_check` to detect a wrong KEK before anything is written. */
  readonly checkValue: string;
  /** Wraps the domain-key rows, never data. */
  readonly domainWrapKey: Buffer;
}

export function kekFacts(kek: Buffer): KekFacts {
  if (kek.length !== KEK_BYTES) throw new Error('Key-encryption key has the wrong length');
  const check = createHmac('sha256', hkdf(kek, 'key-check')).update('iTechno Privacy Console').digest('hex');
  return { kekId: check.slice(0, 16), checkValue: check, domainWrapKey: hkdf(kek, 'domain-key-wrap') };
}

/** The blind indexes schema 2 kept, each keyed HKDF(KEK, blind-index/<name>) before the hierarchy existed. */
const SCHEMA_2_INDEXES = ['customers.email', 'customers.phone', 'customers.postalCode', 'customers.familyName', 'users.username'];

/**
 * The domain keys a database had before the hierarchy existed (schema ≤ 2), when everything was derived from
 * the KEK directly. Adopting them as version 1 keeps every stored wrap, index and audit hash valid. The index
 * keys are adopted one by one (never the KEK itself as their root); an index added later derives from a new
 * random root.
 */
export function legacyDomainKeys(kek: Buffer): DomainKey[] {
  const { kekId } = kekFacts(kek);
  const indexKeys = Object.fromEntries(SCHEMA_2_INDEXES.map((name) => [name, hkdf(kek, `blind-index/${name}`)]));
  return [
    { purpose: 'dek-wrap', version: 1, label: kekId, key: hkdf(kek, 'dek-wrap') },
    { purpose: 'blind-index', version: 1, label: 'b1', key: randomBytes(DOMAIN_KEY_BYTES), indexKeys },
    { purpose: 'audit', version: 1, label: 'a1', key: hkdf(kek, 'audit-chain') },
  ];
}

export function buildKeyRing(kekId: string, keys: readonly DomainKey[]): KeyRing {
  const byPurpose = new Map<DomainKeyPurpose, Map<number, DomainKey>>();
  for (const key of keys) {
    const versions = byPurpose.get(key.purpose) ?? new Map<number, DomainKey>();
    versions.set(key.version, key);
    byPurpose.set(key.purpose, versions);
  }
  const current = (purpose: DomainKeyPurpose): DomainKey => {
    const versions = byPurpose.get(purpose);
    const newest = versions ? Math.max(...versions.keys()) : undefined;
    const key = newest === undefined ? undefined : versions!.get(newest);
    if (!key) throw new Error(`No ${purpose} domain key`);
    return key;
  };
  const domainKey = (purpose: DomainKeyPurpose, version: number): DomainKey => {
    const key = byPurpose.get(purpose)?.get(version);
    if (!key) throw new Error(`Unknown ${purpose} key version`);
    return key;
  };
  const indexVersion = current('blind-index').version;
  const indexKeys = new Map<string, Buffer>();
  return {
    kekId,
    dekWrap: current('dek-wrap'),
    audit: current('audit'),
    indexVersion,
    indexVersions: [...byPurpose.get('blind-index')!.keys()].sort((a, b) => b - a),
    domainKey,
    indexKey(indexName, version = indexVersion) {
      const cacheKey = `${version}/${indexName}`;
      let key = indexKeys.get(cacheKey);
      if (!key) {
        const root = domainKey('blind-index', version);
        key = root.indexKeys?.[indexName] ?? hkdf(root.key, `blind-index/${indexName}`);
        indexKeys.set(cacheKey, key);
      }
      return key;
    },
  };
}
