import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { KeytarVault } from '../../main/platform/keychain/keytarVault.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import { KEYCHAIN_SKIP_REASON, keychainAvailable } from '../support/vaults.ts';

const available = await keychainAvailable();

test('the OS keychain (gnome-keyring via keytar) stores, returns and deletes binary secrets', { skip: available ? false : KEYCHAIN_SKIP_REASON }, async () => {
  const vault = new KeytarVault(`itpc-keychain-test-${randomUUID()}`);
  const secret = randomBytes(32);
  assert.equal(await vault.get('kek/x'), null);
  await vault.set('kek/x', secret);
  assert.deepEqual(await vault.get('kek/x'), secret);
  assert.equal(await vault.delete('kek/x'), true);
  assert.equal(await vault.get('kek/x'), null);
  assert.equal(await vault.delete('kek/x'), false);
});

test('the memory vault behaves like the keychain', async () => {
  const vault = new MemoryVault();
  const secret = randomBytes(32);
  await vault.set('a', secret);
  secret.fill(0);
  assert.notDeepEqual(await vault.get('a'), secret, 'stores a copy');
  assert.equal(await vault.delete('a'), true);
  assert.equal(await vault.get('a'), null);
});
