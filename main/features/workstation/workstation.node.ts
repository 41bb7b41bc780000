import { join } from 'node:path';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { kekName } from '../../platform/crypto/kek.node.ts';
import { KEK_BYTES, kekFacts } from '../../platform/crypto/keyRing.node.ts';
import {
  EnrolmentPackageError,
  generatePassphrase,
  passphraseProblem,
  readEnrolmentHeader,
  sealEnrolmentPackage,
  type EnrolmentRefusal,
} from '../../platform/crypto/enrolmentPackage.node.ts';
import { openRecoveryMaterial } from '../../platform/crypto/recoveryKit.node.ts';
import type { SecretVault } from '../../platform/keychain/vault.std.ts';
import type { ManagedPolicy } from '../../platform/settings/managedPolicy.std.ts';
import { refuseLockedConnection } from '../../platform/settings/managedSettings.node.ts';
import type { SettingsStore } from '../../platform/settings/settings.node.ts';
import { StartupError } from '../../platform/startupError.std.ts';
import {
  DATABASE_PASSWORD_ENTRY,
  workstationConnection,
  type ProbeResult,
  type WorkstationConnection,
} from '../../platform/store/connectionSettings.std.ts';
import { pgConnectionFields, type DatabaseConfig, type Queryable } from '../../platform/store/database.node.ts';
import { probeDatabase, readKeyCheck } from '../../platform/store/probe.node.ts';
import { MIGRATIONS } from '../../platform/store/migrations/index.node.ts';
import type { ConnectionView } from './workstation.contract.std.ts';

/** The SQLite file name inside the data folder (core.node.ts uses the same). */
export const SQLITE_FILE = 'privacy-console.sqlite';

const LATEST_SCHEMA = MIGRATIONS.at(-1)?.version ?? 0;

/** The stored connection, checked; a hand-broken settings file is refused, never replaced by a fresh local database. */
export function readConnection(settings: SettingsStore): WorkstationConnection {
  const parsed = workstationConnection.safeParse(settings.get('databaseConnection'));
  if (parsed.success) return parsed.data;
  throw new StartupError('DB_CONNECTION', "This workstation's database connection settings are not valid, so no database was opened.", [
    `Ask IT to correct "databaseConnection" in ${settings.path}, or remove it to use the local database.`,
  ]);
}

/** What openCore needs, from the settings and the keychain. Throws StartupError when the password or CA file is missing. */
export async function resolveDatabaseConfig(settings: SettingsStore, vault: SecretVault, dataDir: string): Promise<DatabaseConfig> {
  const connection = readConnection(settings);
  if (connection.engine === 'sqlite') return { client: 'sqlite', filename: join(dataDir, SQLITE_FILE) };
  const password = await vault.get(DATABASE_PASSWORD_ENTRY).catch(() => {
    throw new StartupError('KEYCHAIN_UNAVAILABLE', "The system keychain could not be reached, so the database password is not available.", [
      'Make sure you are signed in to the desktop session and the keychain is unlocked.',
      'Start the app again.',
    ]);
  });
  if (!password) {
    throw new StartupError('DB_CONNECTION', "The password for the office database is not in this workstation's keychain.", [
      'Ask IT to enter the database password on this workstation (Settings → Workstation connection).',
    ]);
  }
  try {
    return { client: 'pg', connection: pgConnectionFields(connection, password.toString('utf8')) };
  } catch {
    throw new StartupError('DB_CONNECTION', 'The CA certificate file for the secure database connection could not be read.', [
      'Check that the CA file named in the workstation connection settings exists and can be read by this user.',
    ]);
  }
}

/** A connection failure at startup in words (the same outcomes "Test connection" uses). */
export function connectionStartupError(result: ProbeResult): StartupError {
  return new StartupError('DB_CONNECTION', result.message, result.steps);
}

const REFUSALS: Record<EnrolmentRefusal, string> = {
  malformed: 'This is not an enrolment package, or it was cut short when copied. Nothing was changed.',
  expired: 'This enrolment package has expired. Ask IT for a new one. Nothing was changed.',
  wrong_install: 'This enrolment package is for another database. Nothing was changed.',
  wrong_passphrase: 'The passphrase does not open this enrolment package. Nothing was changed.',
  too_few_shares: 'Two of the three custodians\' shares are needed to restore this recovery kit. Nothing was changed.',
};

export interface WorkstationDeps {
  settings: SettingsStore;
  vault: SecretVault;
  dataDir: string;
  now: () => Date;
  /** scrypt cost of new packages; tests lower it. */
  enrolmentCost?: number;
  /** This app's version, compared with the database's oldest usable version (`min_app_version`) by the probe. */
  appVersion?: string;
  /** Managed settings: a connection IT locked cannot be replaced (its password can still be stored). */
  managed?: ManagedPolicy | null;
}

/** Connection settings, "Test connection", and enrolment packages (create on an open console, import on the recovery screen). */
export class WorkstationService {
  constructor(private readonly deps: WorkstationDeps) {}

  async view(): Promise<ConnectionView> {
    const connection = readConnection(this.deps.settings);
    const stored = connection.engine === 'postgresql' ? await this.deps.vault.get(DATABASE_PASSWORD_ENTRY).catch(() => null) : null;
    return { connection, passwordStored: stored !== null };
  }

  async save(connection: WorkstationConnection, password: string | undefined): Promise<ConnectionView> {
    // Before the keychain is touched: a refused save changes nothing.
    refuseLockedConnection(this.deps.managed ?? null, connection);
    if (connection.engine === 'postgresql') {
      if (password !== undefined) await this.deps.vault.set(DATABASE_PASSWORD_ENTRY, Buffer.from(password, 'utf8'));
      else if (!(await this.deps.vault.get(DATABASE_PASSWORD_ENTRY))) throw new AppError('INVALID_INPUT', 'Enter the database password: none is stored on this workstation yet.');
    } else {
      // No stale secret stays behind when the workstation goes back to its own database.
      await this.deps.vault.delete(DATABASE_PASSWORD_ENTRY);
    }
    this.deps.settings.set('databaseConnection', connection);
    return this.view();
  }

  /** Read-only: nothing is written to the probed database, nothing is saved. */
  async test(connection: WorkstationConnection, password: string | undefined): Promise<ProbeResult> {
    if (connection.engine === 'sqlite') {
      return probeDatabase({ client: 'sqlite', filename: join(this.deps.dataDir, SQLITE_FILE) }, this.deps.vault, { latestSchema: LATEST_SCHEMA, appVersion: this.deps.appVersion });
    }
    const secret = password ?? (await this.deps.vault.get(DATABASE_PASSWORD_ENTRY))?.toString('utf8');
    if (secret === undefined) throw new AppError('INVALID_INPUT', 'Enter the database password: none is stored on this workstation yet.');
    return probeDatabase(() => ({ client: 'pg', connection: pgConnectionFields(connection, secret) }), this.deps.vault, { latestSchema: LATEST_SCHEMA, appVersion: this.deps.appVersion });
  }

  /** Seals this database's proven KEK under a one-time passphrase. Needs the open database (install id, key check). */
  async createEnrolment(q: Queryable, input: { expiresInHours: number; passphrase?: string }) {
    const typed = input.passphrase;
    if (typed !== undefined) {
      const problem = passphraseProblem(typed);
      if (problem) throw new AppError('INVALID_INPUT', `The passphrase is too weak: ${problem.toLowerCase()}.`);
    }
    const meta = new Map((await q('meta').whereIn('key', ['install_id', 'key_check']).select<{ key: string; value: string }[]>('key', 'value')).map((r) => [r.key, r.value]));
    const installId = meta.get('install_id');
    const keyCheck = meta.get('key_check');
    if (!installId || !keyCheck) throw new AppError('CONFLICT', 'This database has no key check yet, so no key can be exported.');
    const kek = await this.deps.vault.get(kekName(installId));
    if (!kek || kek.length !== KEK_BYTES || kekFacts(kek).checkValue !== keyCheck) {
      throw new AppError('CONFLICT', "This workstation's key does not match the database, so it cannot be exported.");
    }
    const passphrase = typed ?? generatePassphrase();
    const createdAt = this.deps.now();
    const expiresAt = new Date(createdAt.getTime() + input.expiresInHours * 3_600_000);
    const { text, header } = await sealEnrolmentPackage({ kek, installId, passphrase, createdAt, expiresAt, logN: this.deps.enrolmentCost });
    kek.fill(0);
    return {
      packageText: text,
      generatedPassphrase: typed === undefined ? passphrase : null,
      expiresAt: header.expiresAt ?? expiresAt.toISOString(),
      installId,
      audit: { kekId: header.kekId, expiresAt: header.expiresAt, passphrase: typed === undefined ? 'generated' : 'typed' },
    };
  }

  /**
   * The recovery path: proves the package — an enrolment package, a recovery kit, or at least two custodians'
   * shares of one — against the configured database (read-only), then stores the KEK in this workstation's
   * keychain under the database's install id. Every refusal leaves the keychain untouched.
   */
  async importEnrolment(packageText: string, passphrase: string, database: DatabaseConfig, moreShares: readonly string[] = []): Promise<{ installId: string; kekId: string }> {
    const texts = [packageText, ...moreShares];
    try {
      for (const text of texts) readEnrolmentHeader(text);
    } catch {
      throw new AppError('INVALID_INPUT', REFUSALS.malformed);
    }
    const target = await probeDatabase(database, this.deps.vault, { latestSchema: LATEST_SCHEMA, appVersion: this.deps.appVersion });
    if (!target.installId) {
      throw new AppError('CONFLICT', `The database could not be read to check the package: ${target.message} Nothing was changed.`);
    }
    let opened: { kek: Buffer; header: { kekId: string } };
    try {
      opened = await openRecoveryMaterial(texts, passphrase, { installId: target.installId, now: this.deps.now() });
    } catch (error) {
      if (error instanceof EnrolmentPackageError) throw new AppError(error.reason === 'wrong_passphrase' ? 'INVALID_CREDENTIALS' : 'INVALID_INPUT', REFUSALS[error.reason]);
      throw error;
    }
    const { kek } = opened;
    // The package opened; the key must also be the one the database was stamped with.
    const keyCheck = await readKeyCheck(database);
    if (keyCheck !== kekFacts(kek).checkValue) {
      kek.fill(0);
      throw new AppError('CONFLICT', 'The key in this package does not open this database (a kit made before a key rotation holds the retired key). Nothing was changed.');
    }
    await this.deps.vault.set(kekName(target.installId), kek);
    kek.fill(0);
    return { installId: target.installId, kekId: opened.header.kekId };
  }
}
