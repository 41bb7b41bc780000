import { randomBytes, randomUUID } from 'node:crypto';
import type { SecretVault } from '../keychain/vault.std.ts';
import type { Db } from '../store/database.node.ts';
import { countRows } from '../store/queries.node.ts';
import { inTransaction } from '../store/transaction.node.ts';
import { StartupError } from '../startupError.std.ts';
import { DomainKeyMismatchError, DomainKeysMissingError, loadDomainKeys } from './domainKeys.node.ts';
import { KEK_BYTES, kekFacts, type KeyRing } from './keyRing.node.ts';

async function readMeta(db: Db, key: string): Promise<string | null> {
  const row = await db('meta').where({ key }).first<{ value: string } | undefined>();
  return row?.value ?? null;
}

/** The keychain entry is named after the database's install id, so several databases never share a key. */
export function kekName(installId: string): string {
  return `kek/${installId}`;
}

/**
 * Where a KEK rotation parks the new key while the database switches to it: if the process dies between the
 * database commit and the keychain swap, the next open finds the new key here and finishes the swap.
 */
export function kekNextName(installId: string): string {
  return `kek-next/${installId}`;
}

/**
 * Finishes or forgets a KEK rotation a killed process left half-done: the database's key check names the key
 * that is valid. Parked key matches → it becomes the key (the old one is retired); otherwise the parked key is
 * dropped (the rotation never committed). Returns the key to use.
 */
async function settleKekRotation(vault: SecretVault, installId: string, current: Buffer | null, storedCheck: string | null): Promise<Buffer | null> {
  const parked = await fromVault(() => vault.get(kekNextName(installId)));
  if (!parked) return current;
  if (storedCheck !== null && parked.length === KEK_BYTES && kekFacts(parked).checkValue === storedCheck) {
    await fromVault(() => vault.set(kekName(installId), parked));
    await fromVault(() => vault.delete(kekNextName(installId)));
    return parked;
  }
  if (current && storedCheck !== null && current.length === KEK_BYTES && kekFacts(current).checkValue === storedCheck) {
    await fromVault(() => vault.delete(kekNextName(installId)));
  }
  return current;
}

/**
 * Writes `key` unless a value is already there (another workstation may be doing the same at this moment: the
 * first write wins, in the database), then returns whichever value is stored.
 */
async function claimMeta(db: Db, key: string, value: string): Promise<string> {
  await db('meta').insert({ key, value }).onConflict('key').ignore();
  const stored = await readMeta(db, key);
  if (stored === null) throw new Error(`meta ${key} missing after insert`);
  return stored;
}

async function installId(db: Db): Promise<string> {
  return (await readMeta(db, 'install_id')) ?? (await claimMeta(db, 'install_id', randomUUID()));
}

async function fromVault<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch {
    throw new StartupError('KEYCHAIN_UNAVAILABLE', 'The system keychain could not be reached, so the encrypted database stays closed.', [
      'Make sure you are signed in to the desktop session and the keychain (Secret Service / Keychain / Credential Manager) is unlocked.',
      'On Linux, install and start gnome-keyring or another Secret Service provider (libsecret).',
      'Start the app again.',
    ]);
  }
}

/**
 * Loads the key-encryption key for this database and proves it against the stored key check, creating it only
 * for a database that holds nothing yet. A missing or different key over existing data is refused: a new key
 * would make the data unreadable. The domain keys it unlocks are loaded after migrations (domainKeys.node.ts).
 */
export interface UnlockedKek {
  kek: Buffer;
  installId: string;
  /** True when this call stamped the key check: the database held nothing before. */
  newlyChecked: boolean;
}

export async function unlockKek(db: Db, vault: SecretVault): Promise<UnlockedKek> {
  const id = await installId(db);
  const storedCheck = await readMeta(db, 'key_check');
  const userCount = await countRows(db('users'));
  const domainKeys = (await db.schema.hasTable('domain_keys')) ? await countRows(db('domain_keys')) : 0;
  const holdsData = storedCheck !== null || userCount > 0 || domainKeys > 0;
  if (holdsData && storedCheck === null) {
    // Stamping a check for whatever key is in the keychain would let a wrong key in and lock the right one out.
    throw new StartupError('KEY_CHECK_MISSING', 'This database holds data but its key check is missing, so no key can be proven against it. Nothing was changed.', [
      'The database file may have been altered. Restore it from the most recent backup.',
      `Ask IT to compare it with the backup for install ${id} before anyone signs in.`,
    ]);
  }
  let kek = await settleKekRotation(vault, id, await fromVault(() => vault.get(kekName(id))), storedCheck);
  let created = false;

  if (!kek) {
    if (holdsData) {
      throw new StartupError('KEY_MISSING', 'The encryption key for this database is not in this computer\'s keychain. Nothing was changed.', [
        `Ask IT to restore the key-encryption key backup for install ${id} into the keychain of this user account.`,
        'If this workstation should use the shared office database, ask IT to enrol it with the office key.',
        'Do not delete the database file: without its key it cannot be read, but with the key it can.',
      ]);
    }
    const fresh = randomBytes(KEK_BYTES);
    kek = fresh;
    await fromVault(() => vault.set(kekName(id), fresh));
    created = true;
  }
  if (kek.length !== KEK_BYTES) throw keyMismatch(id, 'The key in the keychain is not a valid key for this database. Nothing was changed.');
  const { checkValue } = kekFacts(kek);
  if (storedCheck !== null && storedCheck !== checkValue) {
    throw keyMismatch(id, 'The key in the keychain does not belong to this database. Nothing was changed.', 'Check that the app points at the right database file.');
  }
  if (storedCheck === null && (await claimMeta(db, 'key_check', checkValue)) !== checkValue) {
    // Another workstation initialised this database with its own key at the same moment and won: the key made
    // here protects nothing, so it leaves the keychain again and this workstation enrols with the office key.
    if (created) await fromVault(() => vault.delete(kekName(id)));
    throw keyMismatch(id, 'Another workstation initialised this database at the same moment with its own key. Nothing was changed.', 'Enrol this workstation with the office key, then start the app again.');
  }
  return { kek, installId: id, newlyChecked: storedCheck === null };
}

export function keyMismatch(installId: string, message: string, ...more: string[]): StartupError {
  return new StartupError('KEY_MISMATCH', message, [`Ask IT to restore the key-encryption key backup for install ${installId} into the keychain.`, ...more]);
}

/** The domain keys under a proven KEK (after migrations); one that does not open means a wrong key. */
export async function loadKeyRing(db: Db, unlocked: UnlockedKek, now: string): Promise<KeyRing> {
  try {
    return await inTransaction(db, (trx) => loadDomainKeys(trx, unlocked.kek, { fresh: unlocked.newlyChecked, now }));
  } catch (error) {
    if (error instanceof DomainKeyMismatchError) throw keyMismatch(unlocked.installId, "The key in the keychain does not open this database's keys. Nothing was changed.");
    if (error instanceof DomainKeysMissingError) {
      throw new StartupError('KEY_CHECK_MISSING', "This database holds data but its encryption keys are missing from it. Nothing was changed.", [
        'The database file may have been altered. Restore it from the most recent backup.',
        `Ask IT to compare it with the backup for install ${unlocked.installId} before anyone signs in.`,
      ]);
    }
    throw error;
  } finally {
    // The KEK is needed only to open the domain keys: do not keep it in memory for the life of the process.
    unlocked.kek.fill(0);
  }
}

/** Proves the KEK of an up-to-date database and loads its key ring (tools, the benchmark and tests). */
export async function unlockKeyRing(db: Db, vault: SecretVault, now: string): Promise<KeyRing> {
  return loadKeyRing(db, await unlockKek(db, vault), now);
}
