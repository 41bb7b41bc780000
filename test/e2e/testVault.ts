import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { KeytarVault } from '../../main/platform/keychain/keytarVault.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import type { SecretVault } from '../../main/platform/keychain/vault.std.ts';

type Keytar = typeof import('keytar');

export interface TestVault {
  vault: SecretVault;
  /** Removes every keychain entry the test created. */
  dispose(): Promise<void>;
}

let memoryNoteShown = false;

/**
 * The real OS keychain when a Secret Service is reachable (the test command runs inside dbus-run-session with
 * an unlocked gnome-keyring), under a service name of its own so tests never touch the app's real entry.
 */
export function openTestVault(): TestVault {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
    if (!memoryNoteShown) {
      memoryNoteShown = true;
      process.stdout.write('note: no D-Bus session (DBUS_SESSION_BUS_ADDRESS unset): e2e keys live in a MemoryVault.\n');
    }
    return { vault: new MemoryVault(), dispose: async () => undefined };
  }
  const service = `iTechno Privacy Console test ${randomUUID()}`;
  return {
    vault: new KeytarVault(service),
    async dispose() {
      const keytar = createRequire(import.meta.url)('keytar') as Keytar;
      for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
    },
  };
}
