import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { KeyRing } from './keyRing.node.ts';

/**
 * Envelope encryption. Each record gets a random data key (DEK) wrapped by the KEK; each record section
 * (a group of fields) is one AES-256-GCM ciphertext whose associated data binds it to table, column and row,
 * so a ciphertext copied to another row or column fails to open. One ciphertext per section rather than
 * per field keeps cipher set-up — the dominant cost — to two or three operations per record.
 *
 * Blob layout: version (1) | iv (12) | tag (16) | ciphertext.
 */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER = 1 + IV_BYTES + TAG_BYTES;

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

function aad(binding: FieldBinding): Buffer {
  return Buffer.from(`itpc/v${VERSION}/${binding.table}/${binding.column}/${binding.rowId}`, 'utf8');
}

/**
 * IVs and data keys are cut from a pool of CSPRNG output: one randomBytes call per 4 KiB instead of one per
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
  const iv = freshRandom(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(binding));
  const out = Buffer.allocUnsafe(HEADER + plaintext.length);
  out[0] = VERSION;
  iv.copy(out, 1);
  // GCM is a stream mode: the ciphertext is exactly as long as the plaintext.
  const written = cipher.update(plaintext).copy(out, HEADER) + cipher.final().copy(out, HEADER + plaintext.length);
  if (written !== plaintext.length) throw new Error('AES-GCM produced an unexpected length');
  cipher.getAuthTag().copy(out, 1 + IV_BYTES);
  return out;
}

export function open(key: Buffer, blob: Buffer, binding: FieldBinding): Buffer {
  if (blob.length < HEADER || blob[0] !== VERSION) throw new DecryptionError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(aad(binding));
    decipher.setAuthTag(blob.subarray(1 + IV_BYTES, HEADER));
    return Buffer.concat([decipher.update(blob.subarray(HEADER)), decipher.final()]);
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
