import { createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { KeyRing } from './keyRing.node.ts';
import { sodium } from './sodium.node.ts';

/**
 * Envelope encryption. Each record gets a random data key (DEK) wrapped by the KEK; each record section
 * (a group of fields) is one AEAD ciphertext whose associated data binds it to table, column and row,
 * so a ciphertext copied to another row or column fails to open. One ciphertext per section rather than
 * per field keeps the calls down to two or three per record.
 *
 * Blob layouts (the first byte says which; both open, only the newest is written):
 *   1 | iv (12) | tag (16) | ciphertext          AES-256-GCM through Node's OpenSSL, written until issue #14
 *   2 | nonce (24) | ciphertext | tag (16)       XChaCha20-Poly1305 through libsodium, written since
 * Version 2 for speed at the same strength: Node sets up an OpenSSL cipher context per AES-GCM call (≈ 8 µs,
 * for sections of ~100 bytes), libsodium's one-shot AEAD takes ≈ 1.5 µs; its 192-bit random nonces never need
 * counting. The version is part of the associated data too, so a blob cannot be relabelled as the other kind.
 */
const AES_GCM = 1;
const XCHACHA = 2;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AES_HEADER = 1 + IV_BYTES + TAG_BYTES;
const NONCE_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
const XCHACHA_OVERHEAD = 1 + NONCE_BYTES + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES;

export interface FieldBinding {
  table: string;
  column: string;
  rowId: string;
}

export class DecryptionError extends Error {
  constructor() {
    super('Encrypted data could not be opened: it was altered, moved, or the key is wrong');
    this.name = 'DecryptionError';
  }
}

function aad(version: number, binding: FieldBinding): Buffer {
  return Buffer.from(`itpc/v${version}/${binding.table}/${binding.column}/${binding.rowId}`, 'utf8');
}

/**
 * Nonces and data keys are cut from a pool of CSPRNG output: one randomBytes call per 4 KiB instead of one per
 * record roughly halves sealing time. The pool is replaced, never refilled, so no bytes are ever handed out twice.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function freshRandom(bytes: number): Buffer {
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return out;
}

export function seal(key: Buffer, plaintext: Buffer, binding: FieldBinding): Buffer {
  const out = Buffer.allocUnsafe(XCHACHA_OVERHEAD + plaintext.length);
  out[0] = XCHACHA;
  const nonce = out.subarray(1, 1 + NONCE_BYTES);
  freshRandom(NONCE_BYTES).copy(nonce);
  sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(out.subarray(1 + NONCE_BYTES), plaintext, aad(XCHACHA, binding), null, nonce, key);
  return out;
}

export function open(key: Buffer, blob: Buffer, binding: FieldBinding): Buffer {
  if (blob[0] === XCHACHA && blob.length >= XCHACHA_OVERHEAD && key.length === 32) {
    const plaintext = Buffer.allocUnsafe(blob.length - XCHACHA_OVERHEAD);
    try {
      sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(plaintext, null, blob.subarray(1 + NONCE_BYTES), aad(XCHACHA, binding), blob.subarray(1, 1 + NONCE_BYTES), key);
    } catch {
      throw new DecryptionError();
    }
    return plaintext;
  }
  if (blob[0] === AES_GCM && blob.length >= AES_HEADER) return openAesGcm(key, blob, binding);
  throw new DecryptionError();
}

/** Version 1, as written until issue #14 (and by the schema fixtures of older releases). */
function openAesGcm(key: Buffer, blob: Buffer, binding: FieldBinding): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(AES_GCM, binding));
    decipher.setAuthTag(blob.subarray(1 + IV_BYTES, AES_HEADER));
    return Buffer.concat([decipher.update(blob.subarray(AES_HEADER)), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

export function newDataKey(): Buffer {
  return Buffer.from(freshRandom(32));
}

/** Keyed HMAC for exact-match search under one index-key version (default: the current); callers normalise first. */
export function blindIndex(ring: KeyRing, indexName: string, normalized: string, version = ring.indexVersion): string {
  return createHmac('sha256', ring.indexKey(indexName, version)).update(normalized, 'utf8').digest('base64url').slice(0, 32);
}

/**
 * What an exact lookup compares with: the value's index under every version the ring holds, current first (one
 * during normal work, two while a re-index job runs). Indexes under different keys never coincide (192 bits), so
 * one column with a unique index still holds one address once, whichever version each row is under.
 */
export function blindIndexProbes(ring: KeyRing, indexName: string, normalized: string): string[] {
  return ring.indexVersions.map((version) => blindIndex(ring, indexName, normalized, version));
}
