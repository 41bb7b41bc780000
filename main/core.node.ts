import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { ApiEventName, ApiEvents } from './platform/ipc/events.std.ts';
import { API, type Api } from './api.std.ts';
import type { Core, EventListener } from './core.contract.std.ts';
import { accountsHandlers } from './features/accounts/accounts.handlers.node.ts';
import { AccountService } from './features/accounts/accountService.node.ts';
import { DEFAULT_SCRYPT_LOG_N, PasswordHasher } from './features/accounts/passwords.node.ts';
import { ApprovalKinds, type ApprovalKind } from './features/approvals/approvalKinds.node.ts';
import { approvalsHandlers } from './features/approvals/approvals.handlers.node.ts';
import { ApprovalService } from './features/approvals/approvalService.node.ts';
import { auditHandlers } from './features/audit/audit.handlers.node.ts';
import { breakglassHandlers } from './features/breakglass/breakglass.handlers.node.ts';
import { BreakGlassService } from './features/breakglass/breakGlassService.node.ts';
import { CustomerKeyMigration } from './features/keys/customerKeyMigration.node.ts';
import { CorrectionService } from './features/customers/corrections.node.ts';
import { CustomerImportService } from './features/customers/customerImport.node.ts';
import { customersHandlers } from './features/customers/customers.handlers.node.ts';
import { CUSTOMER_KEYS, CustomerStore } from './features/customers/customerStore.node.ts';
import { customerImportJob } from './features/customers/importJob.node.ts';
import { RecordAccess } from './features/customers/recordAccess.node.ts';
import { ordersHandlers } from './features/orders/orders.handlers.node.ts';
import { OrderService } from './features/orders/orderService.node.ts';
import { sessionHandlers } from './features/session/session.handlers.node.ts';
import { sessionChannels } from './features/session/session.contract.std.ts';
import { SessionManager, type Session } from './features/session/sessionManager.node.ts';
import { settingsHandlers } from './features/settings/settings.handlers.node.ts';
import { AuditLog } from './platform/audit/auditLog.node.ts';
import { clockFrom, systemClock, type Clock } from './platform/clock.std.ts';
import { loadKeyRing, unlockKek } from './platform/crypto/kek.node.ts';
import type { KeyRing } from './platform/crypto/keyRing.node.ts';
import { SubjectKeys } from './platform/crypto/subjectKeys.node.ts';
import { Router } from './platform/ipc/router.node.ts';
import { JobRunner } from './platform/jobs/jobRunner.node.ts';
import type { SecretVault } from './platform/keychain/vault.std.ts';
import { createFileLogger, type Logger } from './platform/log/logger.node.ts';
import { openNodeSettings, type SettingsStore } from './platform/settings/settings.node.ts';
import { openDatabase, type DatabaseConfig, type Db, type Queryable } from './platform/store/database.node.ts';
import { assertNotNewer, migrate, schemaVersion } from './platform/store/migrate.node.ts';
import { APP_VERSION } from './platform/appVersion.std.ts';

export interface CoreOptions {
  /** Holds the SQLite file, logs/ and (under Node) settings.json. */
  dataDir: string;
  vault: SecretVault;
  /** electron-store in Electron; conf under plain Node when omitted. */
  settings?: SettingsStore;
  /** Tests move time; `nowIso` follows `now`. */
  clock?: Pick<Clock, 'now'>;
  /** scrypt log2(N); production keeps the default. */
  passwordCost?: number;
  sweepIntervalMs?: number;
  database?: DatabaseConfig;
  /** This app's version (APP_VERSION, = package.json's); tests pass another to act as an older workstation. */
  appVersion?: string;
  /** Approval kinds beyond the features' own (none yet); tests register a test kind here. */
  approvalKinds?: readonly ApprovalKind[];
}

export const DATABASE_FILE = 'privacy-console.sqlite';

/** The composition root: opens the store, unlocks keys, wires services to the router. */
export async function openCore(options: CoreOptions): Promise<Core> {
  mkdirSync(options.dataDir, { recursive: true });
  const logger: Logger = await createFileLogger(join(options.dataDir, 'logs'));
  const settings = options.settings ?? openNodeSettings(options.dataDir);
  const clock: Clock = options.clock ? clockFrom(options.clock.now.bind(options.clock)) : systemClock;
  const databaseFile = join(options.dataDir, DATABASE_FILE);
  const db: Db = openDatabase(options.database ?? { client: 'sqlite', filename: databaseFile });

  let ring: KeyRing;
  try {
    // An existing database must prove its key before any migration touches it; a fresh one gets its key after
    // the schema exists. A newer database is refused before either.
    const versionCheck = { appVersion: options.appVersion ?? APP_VERSION };
    await assertNotNewer(db, undefined, versionCheck);
    const proven = (await schemaVersion(db)) > 0 ? await unlockKek(db, options.vault) : null;
    const { from, to } = await migrate(db, undefined, versionCheck);
    ring = await loadKeyRing(db, proven ?? (await unlockKek(db, options.vault)), clock.nowIso());
    logger.info('core.opened', { schemaFrom: from, schemaTo: to, vault: options.vault.kind });
  } catch (error) {
    logger.error('core.open_refused', error);
    await db.destroy();
    await logger.close();
    throw error;
  }

  const listeners = new Set<EventListener>();
  const emit = <E extends ApiEventName>(senderId: string, event: E, payload: ApiEvents[E]) => {
    for (const listener of listeners) listener(senderId, event, payload);
  };
  const keyRing = () => ring;
  const audit: AuditLog = new AuditLog(db, keyRing, clock, {
    // Setup is the first audited call; accounts existing without it in the chain means the log was wiped.
    firstRun: { action: sessionChannels['session.setup'].audit!, happened: async (q: Queryable): Promise<boolean> => (await accounts.count(q)) > 0 },
  });
  const accounts: AccountService = new AccountService(db, keyRing, clock, new PasswordHasher(options.passwordCost ?? DEFAULT_SCRYPT_LOG_N), audit);
  const sessions = new SessionManager(clock, () => settings.get('idleLockMinutes') * 60_000, emit);
  const customerKeys = new SubjectKeys(keyRing, CUSTOMER_KEYS);
  const customers = new CustomerStore(keyRing, clock, customerKeys);
  const orders = new OrderService(clock, customerKeys);
  const breakGlass = new BreakGlassService(customerKeys, clock, customers);
  const corrections = new CorrectionService(customers, accounts);
  const records = new RecordAccess(customers, orders, breakGlass, accounts);
  const approvalKinds = new ApprovalKinds();
  for (const kind of options.approvalKinds ?? []) approvalKinds.register(kind);
  const approvals = new ApprovalService(keyRing, clock, approvalKinds);
  const jobs = new JobRunner(db, clock, { audit, logger });
  jobs.register(customerImportJob);
  const customerKeyMigration = new CustomerKeyMigration(customerKeys, () => clock.nowIso());
  jobs.register(customerKeyMigration);
  // Jobs a killed process left running are resumed or rolled back before the first call.
  const recovered = await jobs.recover();
  if (recovered.resumed.length || recovered.rolledBack.length) {
    logger.info('jobs.recovered', { resumed: recovered.resumed.length, rolledBack: recovered.rolledBack.length });
  }
  // A database from before per-customer keys moves onto them in the background.
  await customerKeyMigration.startIfNeeded(jobs, db);
  const importer = new CustomerImportService(customers, jobs, (senderId, payload) => emit(senderId, 'progress', payload));
  const router = new Router<Api, Session>({
    db,
    channels: API,
    audit,
    sessions,
    logger,
    handlers: {
      ...sessionHandlers(accounts, sessions, settings),
      ...accountsHandlers(accounts, sessions),
      ...auditHandlers(audit, accounts),
      ...settingsHandlers(settings),
      ...customersHandlers({ customers, corrections, records, importer }),
      ...ordersHandlers(orders),
      ...breakglassHandlers(breakGlass, accounts),
      ...approvalsHandlers(approvals, accounts),
    },
  });
  const sweeper = setInterval(() => sessions.sweepIdle(), options.sweepIntervalMs ?? 5_000);
  sweeper.unref();

  return {
    handle: (caller, channel, payload) => router.handle(caller, channel, payload),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    endSession: (senderId) => sessions.end(senderId, null),
    sweepIdle: () => sessions.sweepIdle(),
    async close() {
      clearInterval(sweeper);
      await jobs.stop();
      await db.destroy();
      logger.info('core.closed');
      await logger.close();
    },
    paths: { dataDir: options.dataDir, database: databaseFile, logs: logger.file, settings: settings.path },
  };
}
