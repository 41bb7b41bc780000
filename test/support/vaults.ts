import { randomUUID } from 'node:crypto';
import { KeytarVault } from '../../main/platform/keychain/keytarVault.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import type { SecretVault } from '../../main/platform/keychain/vault.std.ts';

/** True when a Secret Service keychain (gnome-keyring in CI) is reachable. */
export async function keychainAvailable(): Promise<boolean> {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) return false;
  try {
    const probe = new KeytarVault(`itpc-probe-${randomUUID()}`);
    await probe.set('probe', Buffer.from('x'));
    return await probe.delete('probe');
  } catch {
    return false;
  }
}

export const KEYCHAIN_SKIP_REASON =
  'no Secret Service keychain reachable (run via `npm test`, which starts dbus + gnome-keyring)';

/** The real OS keychain under a throw-away service name when present, else memory (for pure unit tests). */
export async function testVault(): Promise<SecretVault> {
  return (await keychainAvailable()) ? new KeytarVault(`iTechno Privacy Console test ${randomUUID()}`) : new MemoryVault();
}
