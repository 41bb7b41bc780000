import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { domainWrapper, subjectWrapper } from '../../main/platform/crypto/dataKeys.node.ts';
import { blindIndex, DecryptionError, newDataKey, open, seal } from '../../main/platform/crypto/envelope.node.ts';
import { buildKeyRing, hkdf, kekFacts, legacyDomainKeys } from '../../main/platform/crypto/keyRing.node.ts';
import { RecordCipher } from '../../main/platform/crypto/recordCipher.node.ts';
import { sodium } from '../../main/platform/crypto/sodium.node.ts';

const binding = { table: 'customers', column: 'contact', rowId: 'row-1' };

/** A section as releases before issue #14's change sealed it: version 1, AES-256-GCM, iv | tag | ciphertext. */
function sealVersion1(key: Buffer, plaintext: Buffer, b: typeof binding): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`itpc/v1/${b.table}/${b.column}/${b.rowId}`));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(1), iv, cipher.getAuthTag(), ciphertext]);
}

function assertEveryFlippedByteFails(key: Buffer, blob: Buffer): void {
  for (let i = 0; i < blob.length; i += 1) {
    const tampered = Buffer.from(blob);
    tampered[i] = (tampered[i] ?? 0) ^ 0x01;
    assert.throws(() => open(key, tampered, binding), DecryptionError, `byte ${i}`);
  }
}

describe('section sealing (XChaCha20-Poly1305; AES-256-GCM sections still open)', () => {
  test('new sections are version 2: XChaCha20-Poly1305, a 24-byte nonce and a 16-byte tag around the ciphertext', () => {
    const blob = seal(newDataKey(), Buffer.from('jane@example.com'), binding);
    assert.equal(blob[0], 2);
    assert.equal(blob.length, 1 + 24 + 'jane@example.com'.length + 16);
  });

  test('a version-1 (AES-256-GCM) section written by an earlier release opens, and only where it was bound', () => {
    const key = newDataKey();
    const blob = sealVersion1(key, Buffer.from('jane@example.com'), binding);
    assert.equal(open(key, blob, binding).toString(), 'jane@example.com');
    assert.throws(() => open(key, blob, { ...binding, rowId: 'row-2' }), DecryptionError);
    assert.throws(() => open(newDataKey(), blob, binding), DecryptionError);
    assertEveryFlippedByteFails(key, blob);
  });

  test('a blob relabelled as the other version, cut short, or of an unknown version fails', () => {
    const key = newDataKey();
    const v2 = seal(key, Buffer.from('secret'), binding);
    const v1 = sealVersion1(key, Buffer.from('secret'), binding);
    assert.throws(() => open(key, Buffer.concat([Buffer.of(1), v2.subarray(1)]), binding), DecryptionError);
    assert.throws(() => open(key, Buffer.concat([Buffer.of(2), v1.subarray(1)]), binding), DecryptionError);
    assert.throws(() => open(key, Buffer.concat([Buffer.of(3), v2.subarray(1)]), binding), DecryptionError);
    assert.throws(() => open(key, v2.subarray(0, 40), binding), DecryptionError);
    assert.throws(() => open(key, Buffer.alloc(0), binding), DecryptionError);
  });

  test("a version-2 blob whose associated data names version 1 fails: the version is bound, not only the first byte", () => {
    const key = newDataKey();
    const plaintext = Buffer.from('secret');
    const nonce = randomBytes(24);
    const sealed = Buffer.alloc(plaintext.length + 16);
    sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(sealed, plaintext, Buffer.from(`itpc/v1/${binding.table}/${binding.column}/${binding.rowId}`), null, nonce, key);
    assert.throws(() => open(key, Buffer.concat([Buffer.of(2), nonce, sealed]), binding), DecryptionError);
  });

  test('an empty plaintext seals and opens', () => {
    const key = newDataKey();
    assert.equal(open(key, seal(key, Buffer.alloc(0), binding), binding).length, 0);
  });

  test('round-trips and never contains the plaintext', () => {
    const key = newDataKey();
    const blob = seal(key, Buffer.from('jane@example.com'), binding);
    assert.equal(blob.includes(Buffer.from('jane@example.com')), false);
    assert.equal(open(key, blob, binding).toString(), 'jane@example.com');
  });

  test('every flipped byte fails to open', () => {
    const key = newDataKey();
    const blob = seal(key, Buffer.from('4111111111111111'), binding);
    assertEveryFlippedByteFails(key, blob);
  });

  test('a ciphertext moved to another row, column or table fails', () => {
    const key = newDataKey();
    const blob = seal(key, Buffer.from('secret'), binding);
    assert.throws(() => open(key, blob, { ...binding, rowId: 'row-2' }), DecryptionError);
    assert.throws(() => open(key, blob, { ...binding, column: 'identity' }), DecryptionError);
    assert.throws(() => open(key, blob, { ...binding, table: 'orders' }), DecryptionError);
  });

  test('nonces and data keys never repeat across pool refills', () => {
    const key = newDataKey();
    const ivs = new Set<string>();
    const keys = new Set<string>();
    for (let i = 0; i < 5000; i += 1) {
      ivs.add(seal(key, Buffer.from('x'), binding).subarray(1, 25).toString('hex'));
      keys.add(newDataKey().toString('hex'));
    }
    assert.equal(ivs.size, 5000);
    assert.equal(keys.size, 5000);
  });

  test('a wrong key fails', () => {
    const blob = seal(newDataKey(), Buffer.from('secret'), binding);
    assert.throws(() => open(newDataKey(), blob, binding), DecryptionError);
  });
});

const randomRing = () =>
  buildKeyRing('test', [
    { purpose: 'dek-wrap', version: 1, label: 'd1', key: randomBytes(32) },
    { purpose: 'blind-index', version: 1, label: 'b1', key: randomBytes(32) },
    { purpose: 'audit', version: 1, label: 'a1', key: randomBytes(32) },
  ]);

describe('data keys', () => {
  test("a customer's wrapper never prints its key (inspect, JSON)", () => {
    const key = newDataKey();
    const wrapper = subjectWrapper(randomRing(), 'cust-a', key, false);
    for (const text of [inspect(wrapper, { showHidden: true, depth: 5 }), JSON.stringify(wrapper)]) {
      assert.ok(!text.includes(key.toString('hex')) && !text.includes(inspect(key)), text);
    }
    assert.equal(wrapper.hasKey, true);
  });

  test('a domain-wrapped data key unwraps only for its own row under its own domain key', () => {
    const ring = randomRing();
    const dek = newDataKey();
    const wrapped = domainWrapper(ring).wrap(dek, 'users', 'a');
    assert.equal(wrapped[0], 0x02);
    assert.deepEqual(domainWrapper(ring).unwrap(wrapped, 'users', 'a'), dek);
    assert.throws(() => domainWrapper(ring).unwrap(wrapped, 'users', 'b'), DecryptionError);
    assert.throws(() => domainWrapper(randomRing()).unwrap(wrapped, 'users', 'a'), DecryptionError);
  });

  test("a data key wrapped by one customer's key does not open under another customer, nor once the key is gone", () => {
    const ring = randomRing();
    const [keyA, keyB] = [newDataKey(), newDataKey()];
    const dek = newDataKey();
    const wrapped = subjectWrapper(ring, 'cust-a', keyA, false).wrap(dek, 'orders', 'o1');
    assert.equal(wrapped[0], 0x03);
    assert.deepEqual(subjectWrapper(ring, 'cust-a', keyA, false).unwrap(wrapped, 'orders', 'o1'), dek);
    assert.throws(() => subjectWrapper(ring, 'cust-b', keyB, false).unwrap(wrapped, 'orders', 'o1'), DecryptionError, 'moved to another customer');
    assert.throws(() => subjectWrapper(ring, 'cust-b', keyA, false).unwrap(wrapped, 'orders', 'o1'), DecryptionError, 'same key, other customer id');
    assert.throws(() => subjectWrapper(ring, 'cust-a', null, false).unwrap(wrapped, 'orders', 'o1'), DecryptionError, 'shredded');
    assert.throws(() => subjectWrapper(ring, 'cust-a', null, false).wrap(dek, 'orders', 'o2'), /no key/);
  });

  test("a customer's records from before per-customer keys open through the domain key only until they are all moved", () => {
    const ring = randomRing();
    const dek = newDataKey();
    const wrapped = domainWrapper(ring).wrap(dek, 'customers', 'c1');
    assert.deepEqual(subjectWrapper(ring, 'c1', null, true).unwrap(wrapped, 'customers', 'c1'), dek);
    assert.deepEqual(subjectWrapper(ring, 'c1', newDataKey(), true).unwrap(wrapped, 'customers', 'c1'), dek);
    assert.throws(() => subjectWrapper(ring, 'c1', newDataKey(), false).unwrap(wrapped, 'customers', 'c1'), DecryptionError, 'escapes its key');
  });

  test("a record sealed with its customer's key itself stays bound to table, column, row and customer, and goes with the key", () => {
    const ring = randomRing();
    const [keyA, keyB] = [newDataKey(), newDataKey()];
    const cipher = new RecordCipher('customers');
    const sealed = cipher.sealUnderSubject(subjectWrapper(ring, 'cust-a', keyA, false), 'cust-a', { identity: { name: 'Jane' }, contact: { email: 'j@x.io' } });
    assert.equal(sealed.dek[0], 0x04, 'no data key of its own');
    assert.equal(sealed.dek.length, 17, 'a marker and the key fingerprint');
    assert.throws(() => subjectWrapper(ring, 'cust-b', keyB, false).unwrap(sealed.dek, 'customers', 'cust-a'), DecryptionError, "the marker unwraps under another customer's key");
    const a = subjectWrapper(ring, 'cust-a', keyA, false);
    assert.deepEqual(cipher.openMany(a, 'cust-a', sealed.dek, sealed.columns), { identity: { name: 'Jane' }, contact: { email: 'j@x.io' } });
    assert.throws(() => cipher.open(a, 'cust-a', sealed.dek, 'contact', sealed.columns.identity!), DecryptionError, 'another column');
    assert.throws(() => cipher.open(a, 'cust-b', sealed.dek, 'identity', sealed.columns.identity!), DecryptionError, 'another row');
    assert.throws(() => new RecordCipher('orders').open(a, 'cust-a', sealed.dek, 'identity', sealed.columns.identity!), DecryptionError, 'another table');
    assert.throws(() => cipher.open(subjectWrapper(ring, 'cust-a', keyB, false), 'cust-a', sealed.dek, 'identity', sealed.columns.identity!), DecryptionError, "another customer's key");
    assert.throws(() => cipher.open(subjectWrapper(ring, 'cust-a', null, false), 'cust-a', sealed.dek, 'identity', sealed.columns.identity!), DecryptionError, 'shredded');
    assert.throws(() => cipher.open(subjectWrapper(ring, 'cust-a', null, true), 'cust-a', sealed.dek, 'identity', sealed.columns.identity!), DecryptionError, 'no domain-key fallback');
    assert.throws(() => cipher.open(domainWrapper(ring), 'cust-a', sealed.dek, 'identity', sealed.columns.identity!), DecryptionError, 'not a domain wrap');
    assert.throws(() => cipher.sealUnderSubject(subjectWrapper(ring, 'cust-a', null, false), 'cust-a', { identity: {} }), /no key/);
  });

  test('record sections are bound to their column', () => {
    const keys = domainWrapper(randomRing());
    const cipher = new RecordCipher('customers');
    const sealed = cipher.sealNew(keys, 'r1', { identity: { name: 'Jane' }, contact: { email: 'j@x.io' } });
    assert.deepEqual(cipher.openMany(keys, 'r1', sealed.dek, sealed.columns), { identity: { name: 'Jane' }, contact: { email: 'j@x.io' } });
    assert.throws(() => cipher.open(keys, 'r1', sealed.dek, 'contact', sealed.columns.identity!), DecryptionError);
  });
});

describe('blind indexes', () => {
  test('deterministic per key, different across keys and index names', () => {
    const root = randomBytes(32);
    const ringWith = (key: Buffer) => buildKeyRing('k', [...legacyDomainKeys(randomBytes(32)).filter((k) => k.purpose !== 'blind-index'), { purpose: 'blind-index', version: 1, label: 'b1', key }]);
    const a = ringWith(root);
    const b = ringWith(Buffer.from(root));
    const other = ringWith(randomBytes(32));
    const value = 'jane@example.com';
    assert.equal(blindIndex(a, 'customers.email', value), blindIndex(b, 'customers.email', value));
    assert.notEqual(blindIndex(a, 'customers.email', value), blindIndex(other, 'customers.email', value));
    assert.notEqual(blindIndex(a, 'customers.email', value), blindIndex(a, 'customers.phone', value));
    assert.notEqual(blindIndex(a, 'customers.email', value), blindIndex(a, 'customers.email', 'john@example.com'));
    assert.equal(blindIndex(a, 'customers.email', value).includes('jane'), false);
  });

  test('the legacy keys of a KEK are independent, its index keys adopted one by one, and the KEK length is enforced', () => {
    const kek = randomBytes(32);
    const legacy = legacyDomainKeys(kek);
    const [wrap, index, audit] = legacy;
    assert.notDeepEqual(wrap!.key, audit!.key);
    assert.notDeepEqual(index!.key, kek, 'the KEK itself is never kept as a domain key');
    const ring = buildKeyRing('k', legacy);
    assert.deepEqual(ring.indexKey('customers.email'), hkdf(kek, 'blind-index/customers.email'), 'schema-2 index keys keep their values');
    assert.notDeepEqual(ring.indexKey('customers.newIndex'), hkdf(kek, 'blind-index/customers.newIndex'), 'a new index is not derived from the KEK');
    assert.equal(wrap!.label, kekFacts(kek).kekId, 'old wraps were bound to the KEK fingerprint');
    assert.equal(kekFacts(kek).kekId.length, 16);
    assert.throws(() => kekFacts(randomBytes(16)));
  });
});
