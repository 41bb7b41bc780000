import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { KeytarVault } from '../../main/platform/keychain/keytarVault.node.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import type { SecretVault } from '../../main/platform/keychain/vault.std.ts';

type Keytar = typeof import('keytar');

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

export interface TestVault {
  vault: SecretVault;
  /** Removes every keychain entry the test created. */
  dispose(): Promise<void>;
}

let memoryNoteShown = false;

/**
 * The one test vault (unit and E2E): the real OS keychain when a Secret Service is reachable (the test command
 * runs inside dbus-run-session with an unlocked gnome-keyring), under a service name of its own so tests never
 * touch the app's real entry; else a MemoryVault.
 */
export async function openTestVault(): Promise<TestVault> {
  if (!(await keychainAvailable())) {
    if (!memoryNoteShown) {
      memoryNoteShown = true;
      process.stdout.write('note: no Secret Service keychain reachable: test keys live in a MemoryVault.\n');
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
