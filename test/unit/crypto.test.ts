import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { blindIndex, DecryptionError, newDataKey, open, seal, unwrapDataKey, wrapDataKey } from '../../main/platform/crypto/envelope.node.ts';
import { deriveKeyRing } from '../../main/platform/crypto/keyRing.node.ts';
import { RecordCipher } from '../../main/platform/crypto/recordCipher.node.ts';

const binding = { table: 'customers', column: 'contact', rowId: 'row-1' };

describe('AES-256-GCM sealing', () => {
  test('round-trips and never contains the plaintext', () => {
    const key = newDataKey();
    const blob = seal(key, Buffer.from('jane@example.com'), binding);
    assert.equal(blob.includes(Buffer.from('jane@example.com')), false);
    assert.equal(open(key, blob, binding).toString(), 'jane@example.com');
  });

  test('every flipped byte fails to open', () => {
    const key = newDataKey();
    const blob = seal(key, Buffer.from('4111111111111111'), binding);
    for (let i = 0; i < blob.length; i += 1) {
      const tampered = Buffer.from(blob);
      tampered[i] = (tampered[i] ?? 0) ^ 0x01;
      assert.throws(() => open(key, tampered, binding), DecryptionError, `byte ${i}`);
    }
  });

  test('a ciphertext moved to another row, column or table fails', () => {
    const key = newDataKey();
    const blob = seal(key, Buffer.from('secret'), binding);
    assert.throws(() => open(key, blob, { ...binding, rowId: 'row-2' }), DecryptionError);
    assert.throws(() => open(key, blob, { ...binding, column: 'identity' }), DecryptionError);
    assert.throws(() => open(key, blob, { ...binding, table: 'orders' }), DecryptionError);
  });

  test('IVs and data keys never repeat across pool refills', () => {
    const key = newDataKey();
    const ivs = new Set<string>();
    const keys = new Set<string>();
    for (let i = 0; i < 5000; i += 1) {
      ivs.add(seal(key, Buffer.from('x'), binding).subarray(1, 13).toString('hex'));
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

describe('envelope keys', () => {
  test('data keys unwrap only for their own row under their own KEK', () => {
    const ring = deriveKeyRing(randomBytes(32));
    const dek = newDataKey();
    const wrapped = wrapDataKey(ring, dek, 'customers', 'a');
    assert.deepEqual(unwrapDataKey(ring, wrapped, 'customers', 'a'), dek);
    assert.throws(() => unwrapDataKey(ring, wrapped, 'customers', 'b'), DecryptionError);
    assert.throws(() => unwrapDataKey(deriveKeyRing(randomBytes(32)), wrapped, 'customers', 'a'), DecryptionError);
  });

  test('record sections are bound to their column', () => {
    const ring = deriveKeyRing(randomBytes(32));
    const cipher = new RecordCipher(() => ring, 'customers');
    const sealed = cipher.sealNew('r1', { identity: { name: 'Jane' }, contact: { email: 'j@x.io' } });
    assert.deepEqual(cipher.openMany('r1', sealed.dek, sealed.columns), { identity: { name: 'Jane' }, contact: { email: 'j@x.io' } });
    assert.throws(() => cipher.open('r1', sealed.dek, 'contact', sealed.columns.identity!), DecryptionError);
  });
});

describe('blind indexes', () => {
  test('deterministic per key, different across keys and index names', () => {
    const kek = randomBytes(32);
    const a = deriveKeyRing(kek);
    const b = deriveKeyRing(kek);
    const other = deriveKeyRing(randomBytes(32));
    const value = 'jane@example.com';
    assert.equal(blindIndex(a, 'customers.email', value), blindIndex(b, 'customers.email', value));
    assert.notEqual(blindIndex(a, 'customers.email', value), blindIndex(other, 'customers.email', value));
    assert.notEqual(blindIndex(a, 'customers.email', value), blindIndex(a, 'customers.phone', value));
    assert.notEqual(blindIndex(a, 'customers.email', value), blindIndex(a, 'customers.email', 'john@example.com'));
    assert.equal(blindIndex(a, 'customers.email', value).includes('jane'), false);
  });

  test('key ring derivations are independent and the KEK length is enforced', () => {
    const ring = deriveKeyRing(randomBytes(32));
    assert.notDeepEqual(ring.wrapKey, ring.auditKey);
    assert.equal(ring.kekId.length, 16);
    assert.throws(() => deriveKeyRing(randomBytes(16)));
  });
});
