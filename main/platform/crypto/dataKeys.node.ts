import { createHmac, timingSafeEqual } from 'node:crypto';
import { DecryptionError, open, seal } from './envelope.node.ts';
import type { DomainKey, KeyRing } from './keyRing.node.ts';

/**
 * Wraps and unwraps a record's data key. The first byte of a stored wrap says what wrapped it, so rows written
 * before per-customer keys existed keep opening while they are migrated:
 *   0x01 …            the dek-wrap domain key version 1, as written by schema ≤ 2 (the envelope's own version byte)
 *   0x02 vv …         a dek-wrap domain key, version vv (16-bit); staff records and the per-customer keys
 *   0x03 …            the key of the subject (customer) the record is about; gone when that key is shredded
 *   0x04 id(16)       no data key of its own: the record's sections are sealed with its subject's key itself
 *                     (customer records and orders since issue #14: two seals fewer per customer); the
 *                     id is a keyed fingerprint of that key, so it opens under that subject's key only
 */
export interface DataKeyWrapper {
  wrap(dek: Buffer, table: string, rowId: string): Buffer;
  unwrap(wrapped: Buffer, table: string, rowId: string): Buffer;
}

const LEGACY = 0x01;
const DOMAIN = 0x02;
const SUBJECT = 0x03;
const SUBJECT_OWN = 0x04;
const KEY_ID_BYTES = 16;

/** A keyed fingerprint of a subject's key (reveals nothing of it): what a record sealed with that key stores. */
function subjectKeyId(subjectKey: Buffer): Buffer {
  return createHmac('sha256', subjectKey).update('itpc/v1/subject-key-id').digest().subarray(0, KEY_ID_BYTES);
}

function domainBinding(label: string, table: string, rowId: string) {
  return { table, column: `dek:${label}`, rowId };
}

function subjectBinding(subjectId: string, table: string, rowId: string) {
  return { table, column: `dek:subject:${subjectId}`, rowId };
}

function unwrapDomain(ring: KeyRing, wrapped: Buffer, table: string, rowId: string): Buffer {
  if (wrapped[0] === LEGACY) {
    const key = ring.domainKey('dek-wrap', 1);
    return open(key.key, wrapped, domainBinding(key.label, table, rowId));
  }
  if (wrapped[0] === DOMAIN && wrapped.length > 3) {
    const version = wrapped.readUInt16BE(1);
    let key;
    try {
      key = ring.domainKey('dek-wrap', version);
    } catch {
      throw new DecryptionError();
    }
    return open(key.key, wrapped.subarray(3), domainBinding(key.label, table, rowId));
  }
  throw new DecryptionError();
}

/** Data keys of records that belong to no customer (staff accounts, key rows themselves). */
export function domainWrapper(ring: KeyRing): DataKeyWrapper {
  return domainWrapperAt(ring, () => ring.dekWrap);
}

/** The first bytes of a wrap made by dek-wrap version `version` (what a rotation looks for in SQL). */
export function domainWrapPrefix(version: number): Buffer {
  const header = Buffer.alloc(3);
  header[0] = DOMAIN;
  header.writeUInt16BE(version, 1);
  return header;
}
export const LEGACY_WRAP_BYTE = Buffer.of(LEGACY);
export const DOMAIN_WRAP_BYTE = Buffer.of(DOMAIN);

/** As domainWrapper, wrapping under one given dek-wrap version (a rotation moving rows onto it). */
export function domainWrapperAt(ring: KeyRing, key: () => DomainKey): DataKeyWrapper {
  return new DomainWrapper(ring, key);
}

// Classes rather than object literals: a wrapper is made per customer in an import, and methods on a prototype
// cost nothing per instance.
class DomainWrapper implements DataKeyWrapper {
  constructor(
    private readonly ring: KeyRing,
    private readonly key: () => DomainKey,
  ) {}

  wrap(dek: Buffer, table: string, rowId: string): Buffer {
    const current = this.key();
    return Buffer.concat([domainWrapPrefix(current.version), seal(current.key, dek, domainBinding(current.label, table, rowId))]);
  }

  unwrap(wrapped: Buffer, table: string, rowId: string): Buffer {
    return unwrapDomain(this.ring, wrapped, table, rowId);
  }
}

export interface SubjectKeyWrapper extends DataKeyWrapper {
  /** False when the subject's key is gone (shredded) or was never made (a record not migrated yet). */
  readonly hasKey: boolean;
  /**
   * For a new record sealed with the subject's key itself: that key, and the one-byte wrap to store in its
   * `dek` column, which `unwrap` turns back into the subject's key (and nothing once that key is shredded).
   */
  ownKey(): { key: Buffer; stored: Buffer };
}


/**
 * Data keys of records about one subject, wrapped by that subject's own key and bound to its id, so a
 * ciphertext moved to another customer fails and destroying the one key makes them all unreadable.
 * `subjectKey` is null when the subject has no key: nothing new can be wrapped. Domain-wrapped rows (written
 * before per-subject keys) open only while `legacyAllowed`, i.e. until the migration job has moved them all;
 * after that such a row about a subject is refused, so nothing about a customer escapes its key.
 */
export function subjectWrapper(ring: KeyRing, subjectId: string, subjectKey: Buffer | null, legacyAllowed: boolean): SubjectKeyWrapper {
  return new SubjectWrapper(ring, subjectId, subjectKey, legacyAllowed);
}

class SubjectWrapper implements SubjectKeyWrapper {
  // JS private fields: the subject's raw key stays out of util.inspect, console.log and JSON of a wrapper.
  readonly #ring: KeyRing;
  readonly #subjectId: string;
  readonly #subjectKey: Buffer | null;
  readonly #legacyAllowed: boolean;
  #ownMarker: Buffer | null = null;

  constructor(ring: KeyRing, subjectId: string, subjectKey: Buffer | null, legacyAllowed: boolean) {
    this.#ring = ring;
    this.#subjectId = subjectId;
    this.#subjectKey = subjectKey;
    this.#legacyAllowed = legacyAllowed;
  }

  get hasKey(): boolean {
    return this.#subjectKey !== null;
  }

  #marker(key: Buffer): Buffer {
    return (this.#ownMarker ??= Buffer.concat([Buffer.of(SUBJECT_OWN), subjectKeyId(key)]));
  }

  wrap(dek: Buffer, table: string, rowId: string): Buffer {
    if (!this.#subjectKey) throw new Error('This subject has no key to wrap with');
    return Buffer.concat([Buffer.of(SUBJECT), seal(this.#subjectKey, dek, subjectBinding(this.#subjectId, table, rowId))]);
  }

  ownKey(): { key: Buffer; stored: Buffer } {
    if (!this.#subjectKey) throw new Error('This subject has no key to seal with');
    return { key: this.#subjectKey, stored: Buffer.from(this.#marker(this.#subjectKey)) };
  }

  unwrap(wrapped: Buffer, table: string, rowId: string): Buffer {
    const subjectKey = this.#subjectKey;
    if (wrapped[0] === SUBJECT_OWN) {
      // Sealed with the subject's key itself: only that key's fingerprint matches (the sections' associated
      // data still names table, column and row).
      const expected = subjectKey ? this.#marker(subjectKey) : null;
      if (!expected || wrapped.length !== expected.length || !timingSafeEqual(wrapped, expected)) throw new DecryptionError();
      return subjectKey!;
    }
    if (wrapped[0] !== SUBJECT) {
      if (!this.#legacyAllowed) throw new DecryptionError();
      return unwrapDomain(this.#ring, wrapped, table, rowId);
    }
    if (!subjectKey) throw new DecryptionError();
    return open(subjectKey, wrapped.subarray(1), subjectBinding(this.#subjectId, table, rowId));
  }
}

/** A record whose data key was wrapped by its subject's key, which no longer exists. */
export function isShredded(keys: DataKeyWrapper | SubjectKeyWrapper, wrappedDek: Buffer): boolean {
  return 'hasKey' in keys && !keys.hasKey && isSubjectWrapped(wrappedDek);
}

export function isSubjectWrapped(wrapped: Buffer): boolean {
  return wrapped[0] === SUBJECT || wrapped[0] === SUBJECT_OWN;
}
