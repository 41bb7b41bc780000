import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Core } from '../../main/core.contract.std.ts';
import { DATABASE_FILE, openCore, type CoreOptions } from '../../main/core.node.ts';
import { directoryFileSaver } from './fileSavers.ts';
import { MemoryVault } from '../../main/platform/keychain/memoryVault.node.ts';
import type { SecretVault } from '../../main/platform/keychain/vault.std.ts';
import { openDatabase, type DatabaseConfig, type Db } from '../../main/platform/store/database.node.ts';
import { databaseFor, TEST_ENGINE } from './database.ts';

export { onlyOn, TEST_ENGINE, testDatabase } from './database.ts';

export const ADMIN = { username: 'ada.admin', displayName: 'Ada Admin', password: 'correct horse battery staple' };
/** Low scrypt cost for tests that are not about password hashing. */
export const FAST_PASSWORDS = 10;

export function tempDir(prefix = 'itpc-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestCore {
  core: Core;
  dataDir: string;
  vault: SecretVault;
  /** The core's database: its SQLite file in `dataDir`, or its own database on the PostgreSQL test server. */
  database: DatabaseConfig;
  engine: 'sqlite' | 'pg';
  /** A second, raw connection to the core's database (tamper and inspect in tests); destroy it when done. */
  openDb(): Db;
  clock: { now(): number; advance(ms: number): void };
  caller(senderId?: string): { senderId: string; trusted: true };
  /** Calls a channel and returns the value, failing the test on an error result. */
  call<T = unknown>(channel: string, input: unknown, senderId?: string): Promise<T>;
  cleanup(): Promise<void>;
}

export async function startCore(options: Partial<CoreOptions> = {}): Promise<TestCore> {
  const dataDir = options.dataDir ?? tempDir();
  const vault = options.vault ?? new MemoryVault();
  let offset = 0;
  const clock = { now: () => Date.now() + offset, advance: (ms: number) => void (offset += ms) };
  // On PostgreSQL every core gets its own database (reused when a test reopens a core in the same dataDir).
  const { config: pgConfig, created } = options.database ? { config: options.database, created: null } : await databaseFor(dataDir);
  const database: DatabaseConfig = pgConfig ?? { client: 'sqlite', filename: join(dataDir, DATABASE_FILE) };
  // Never this machine's own managed settings (/etc/itechno-privacy-console/managed.json): none unless a test gives one.
  const managedSettingsFile = join(dataDir, 'managed.json');
  const core = await openCore({ passwordCost: FAST_PASSWORDS, clock, managedSettingsFile, fileSaver: directoryFileSaver(join(dataDir, 'exports')), ...options, dataDir, vault, ...(pgConfig ? { database: pgConfig } : {}) }).catch(
    async (error: unknown) => {
      if (!options.dataDir) await created?.drop();
      throw error;
    },
  );
  const caller = (senderId = 'window-1') => ({ senderId, trusted: true as const });
  return {
    core,
    dataDir,
    vault,
    database,
    engine: TEST_ENGINE,
    openDb: () => openDatabase(database),
    clock,
    caller,
    async call<T>(channel: string, input: unknown, senderId?: string): Promise<T> {
      const result = await core.handle(caller(senderId), channel, input);
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
      return result.value as T;
    },
    async cleanup() {
      await core.close();
      if (!options.dataDir) {
        await created?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
