import { createHmac, hkdfSync } from 'node:crypto';

/**
 * Everything derived from the one key-encryption key (KEK) held in the keychain. Separate HKDF outputs keep
 * DEK wrapping, blind indexes and the audit chain from ever sharing key material.
 */
export interface KeyRing {
  /** Short public fingerprint; stored beside wrapped keys so rotation knows which KEK wrapped them. */
  readonly kekId: string;
  /** Stored in the database to detect a wrong KEK before anything is written. */
  readonly checkValue: string;
  readonly wrapKey: Buffer;
  readonly auditKey: Buffer;
  indexKey(indexName: string): Buffer;
}

export const KEK_BYTES = 32;

function derive(kek: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), `itpc/v1/${info}`, 32));
}

export function deriveKeyRing(kek: Buffer): KeyRing {
  if (kek.length !== KEK_BYTES) throw new Error('Key-encryption key has the wrong length');
  const check = createHmac('sha256', derive(kek, 'key-check')).update('iTechno Privacy Console').digest('hex');
  const indexKeys = new Map<string, Buffer>();
  return {
    kekId: check.slice(0, 16),
    checkValue: check,
    wrapKey: derive(kek, 'dek-wrap'),
    auditKey: derive(kek, 'audit-chain'),
    indexKey(indexName) {
      let key = indexKeys.get(indexName);
      if (!key) {
        key = derive(kek, `blind-index/${indexName}`);
        indexKeys.set(indexName, key);
      }
      return key;
    },
  };
}
