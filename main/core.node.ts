import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiEventName, ApiEvents } from './platform/ipc/events.std.ts';
import { API, type Api } from './api.std.ts';
import type { Core, EventListener } from './core.contract.std.ts';
import { accountApprovalKinds } from './features/accounts/accountApprovals.node.ts';
import { accountsHandlers } from './features/accounts/accounts.handlers.node.ts';
import { announcementsHandlers } from './features/announcements/announcements.handlers.node.ts';
import { AnnouncementService } from './features/announcements/announcementService.node.ts';
import { csvExportJob } from './features/announcements/csvExportJob.node.ts';
import { recipientsJob } from './features/announcements/recipientsJob.node.ts';
import { AccountService } from './features/accounts/accountService.node.ts';
import { DEFAULT_SCRYPT_LOG_N, PasswordHasher } from './features/accounts/passwords.node.ts';
import { ApprovalKinds, type ApprovalKind } from './features/approvals/approvalKinds.node.ts';
import { approvalsHomeWork } from './features/approvals/approvals.port.node.ts';
import { accountsHomeWork } from './features/accounts/accounts.port.node.ts';
import { auditHomeWork } from './features/audit/audit.port.node.ts';
import { breakGlassHomeWork } from './features/breakglass/breakglass.port.node.ts';
import { homeHandlers } from './features/home/home.handlers.node.ts';
import { HomeWorkRegistry, type HomePage } from './features/home/home.port.node.ts';
import { keyVersionsHomeWork } from './features/keys/keys.port.node.ts';
import { backupHomeWork } from './features/backup/backup.port.node.ts';
import { policyHomeWork } from './features/policy/policy.port.node.ts';
import { subjectRequestsHomeWork } from './features/subjectRequests/subjectRequests.port.node.ts';
import { tasksHandlers } from './features/tasks/tasks.handlers.node.ts';
import { jobsHomeWork } from './features/tasks/tasks.port.node.ts';
import { approvalsHandlers } from './features/approvals/approvals.handlers.node.ts';
import { ApprovalService } from './features/approvals/approvalService.node.ts';
import { auditHandlers } from './features/audit/audit.handlers.node.ts';
import { backupHandlers } from './features/backup/backup.handlers.node.ts';
import { BackupService } from './features/backup/backupService.node.ts';
import { RestoreService, type DatabaseSwitch } from './features/backup/restore.node.ts';
import { breakglassHandlers } from './features/breakglass/breakglass.handlers.node.ts';
import { BreakGlassService } from './features/breakglass/breakGlassService.node.ts';
import { disclosureApprovalKind } from './features/disclosures/disclosureApproval.node.ts';
import { DisclosureRegister } from './features/disclosures/disclosureRegister.node.ts';
import { DisclosureRequests } from './features/disclosures/disclosureRequests.node.ts';
import { disclosuresHandlers } from './features/disclosures/disclosures.handlers.node.ts';
import { DisclosureService } from './features/disclosures/disclosureService.node.ts';
import { RecipientRegistry } from './features/disclosures/recipients.node.ts';
import { releaseJobKind } from './features/disclosures/releaseJob.node.ts';
import { CustomerKeyMigration } from './features/keys/customerKeyMigration.node.ts';
import { BlindIndexRotation } from './features/keyRotation/blindIndexRotation.node.ts';
import { DekWrapRotation } from './features/keyRotation/dekWrapRotation.node.ts';
import { keyRotationHandlers } from './features/keyRotation/keyRotation.handlers.node.ts';
import { KeyRotation } from './features/keyRotation/keyRotation.node.ts';
import { domainKeyFingerprint, type KeyRingHolder } from './features/keyRotation/keyRingHolder.node.ts';
import { RecoveryKits } from './features/keyRotation/recoveryKits.node.ts';
import { CustomerEraser } from './features/erasure/deletion.node.ts';
import { DeletionRequests } from './features/erasure/deletionRequests.node.ts';
import { erasureHandlers } from './features/erasure/erasure.handlers.node.ts';
import { erasurePort, type ErasurePort } from './features/erasure/erasure.port.node.ts';
import { LegalHolds } from './features/erasure/holds.node.ts';
import { Retention } from './features/erasure/retention.node.ts';
import { CorrectionService } from './features/customers/corrections.node.ts';
import { MinorCases } from './features/minors/minorCases.node.ts';
import { minorsHandlers } from './features/minors/minors.handlers.node.ts';
import { CustomerImportService } from './features/customers/customerImport.node.ts';
import { customersHandlers } from './features/customers/customers.handlers.node.ts';
import { customerIndexRows } from './features/customers/customerIndexRows.node.ts';
import { CUSTOMER_KEYS, CustomerStore } from './features/customers/customerStore.node.ts';
import { customerImportJob } from './features/customers/importJob.node.ts';
import { RecordAccess } from './features/customers/recordAccess.node.ts';
import { SubjectAccessReader } from './features/customers/subjectAccess.node.ts';
import { ordersHandlers } from './features/orders/orders.handlers.node.ts';
import { policyHandlers } from './features/policy/policy.handlers.node.ts';
import { policyVersionInForce } from './features/policy/policy.port.node.ts';
import { PolicyService } from './features/policy/policyService.node.ts';
import { SqlPolicyVersions } from './features/policy/policyVersions.node.ts';
import { OrderService } from './features/orders/orderService.node.ts';
import { sessionHandlers } from './features/session/session.handlers.node.ts';
import { sessionChannels } from './features/session/session.contract.std.ts';
import { SessionManager, type Session } from './features/session/sessionManager.node.ts';
import { OfficeSettings } from './features/settings/officeSettings.node.ts';
import { settingsHandlers } from './features/settings/settings.handlers.node.ts';
import { AccessExportAssembler } from './features/subjectRequests/accessExport.node.ts';
import { disclosureRegisterSources } from './features/subjectRequests/disclosureRegister.node.ts';
import { trackedDeletions } from './features/subjectRequests/deletionTracking.node.ts';
import { withOpenRequests } from './features/subjectRequests/subjectRequests.port.node.ts';
import { ExportGate } from './features/subjectRequests/exportGate.node.ts';
import { SubjectRequestTracker } from './features/subjectRequests/requestTracker.node.ts';
import { subjectRequestsHandlers } from './features/subjectRequests/subjectRequests.handlers.node.ts';
import { workstationHandlers } from './features/workstation/workstation.handlers.node.ts';
import { WorkstationService, connectionStartupError } from './features/workstation/workstation.node.ts';
import { AuditLog } from './platform/audit/auditLog.node.ts';
import { ChainWitness, INTEGRITY_ACTION, settingsWitnessStore, vaultWitnessStore } from './platform/audit/chainWitness.node.ts';
import { headFileProblem, signHead } from './platform/audit/signedHead.node.ts';
import { clockFrom, systemClock, type Clock } from './platform/clock.std.ts';
import { blindIndexVersions, loadDomainKeys, type FreshIndexKeys } from './platform/crypto/domainKeys.node.ts';
import { kekName, loadKeyRing, unlockKek } from './platform/crypto/kek.node.ts';
import type { KeyRing } from './platform/crypto/keyRing.node.ts';
import { SubjectKeys } from './platform/crypto/subjectKeys.node.ts';
import { noFileSaver, type FileSaver } from './platform/files/fileSaver.node.ts';
import { DenialCoalescer } from './platform/ipc/denials.node.ts';
import { Router } from './platform/ipc/router.node.ts';
import { JobRunner } from './platform/jobs/jobRunner.node.ts';
import type { SecretVault } from './platform/keychain/vault.std.ts';
import { createFileLogger, type Logger } from './platform/log/logger.node.ts';
import { openNodeSettings, type SettingsStore } from './platform/settings/settings.node.ts';
import { loadManagedPolicy, managedSettingsPath, managedView, withManagedSettings } from './platform/settings/managedSettings.node.ts';
import { openDatabase, type DatabaseConfig, type Db, type Queryable } from './platform/store/database.node.ts';
import { assertNotNewer, migrate, schemaVersion } from './platform/store/migrate.node.ts';
import { assertProtectiveTriggers } from './platform/store/protectiveTriggers.node.ts';
import { classifyConnectionError, probeOutcome } from './platform/store/probe.node.ts';
import { StartupError } from './platform/startupError.std.ts';
import { AppError } from './platform/ipc/errors.std.ts';
import { dialectOf } from './platform/store/dialect.node.ts';
import { inTransaction } from './platform/store/transaction.node.ts';
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
  /** How long an append waits before the chain witness follows it (appends meanwhile share one refresh). */
  witnessDelayMs?: number;
  /** This app's version (APP_VERSION, = package.json's); tests pass another to act as an older workstation. */
  appVersion?: string;
  /** Approval kinds beyond the features' own; tests register a test kind here. */
  approvalKinds?: readonly ApprovalKind[];
  /** scrypt log2(N) of enrolment packages; production keeps the default. */
  enrolmentCost?: number;
  /** The machine-wide managed settings file (managedSettings.node.ts); tests pass their own, production the OS's place. */
  managedSettingsFile?: string;
  /** Asks where to save a file (Electron: the save dialog; tests: a directory). Without it, saving is refused. */
  fileSaver?: FileSaver;
  /** Handed the erasure port once the core is wired (backup restore re-applies the deletion ledger through it; tests). */
  onErasurePort?: (port: ErasurePort) => void;
  /** Customers per disclosure-release batch; tests use small ones. */
  releaseBatch?: number;
  /** Rows per batch of a dek-wrap rotation, and how long the new version exists before the old one retires. */
  keyRotationBatch?: number;
  keyRotationGraceMs?: number;
}

export const DATABASE_FILE = 'privacy-console.sqlite';

/** Where Home leads for each approval kind: the screen its requests are decided on. */
const APPROVAL_PAGES: Readonly<Record<string, HomePage>> = {
  'customer.deletion': 'deletions',
  'customer.retention_batch': 'retention',
  'policy.publish': 'policy',
  'disclosure.release': 'disclosures',
  'account.role_grant': 'accounts',
  'account.password_reset': 'accounts',
};

/** The composition root: opens the store, unlocks keys, wires services to the router. */
export async function openCore(options: CoreOptions): Promise<Core> {
  // Settings IT locked apply before anything opens; a malformed file refuses the start (StartupError).
  const managedFile = options.managedSettingsFile ?? managedSettingsPath();
  const managedPolicy = loadManagedPolicy(managedFile);
  mkdirSync(options.dataDir, { recursive: true });
  const logger: Logger = await createFileLogger(join(options.dataDir, 'logs'));
  const settings = withManagedSettings(options.settings ?? openNodeSettings(options.dataDir), managedPolicy);
  const clock: Clock = options.clock ? clockFrom(options.clock.now.bind(options.clock)) : systemClock;
  const databaseFile = join(options.dataDir, DATABASE_FILE);
  const databaseConfig: DatabaseConfig = options.database ?? { client: 'sqlite', filename: databaseFile };
  const sqliteFile = databaseConfig.client === 'sqlite' ? databaseConfig.filename : null;
  const db: Db = openDatabase(databaseConfig);

  let ring: KeyRing;
  let installId: string;
  try {
    // An existing database must prove its key before any migration touches it; a fresh one gets its key after
    // the schema exists. A newer database is refused before either.
    const versionCheck = { appVersion: options.appVersion ?? APP_VERSION };
    await assertNotNewer(db, undefined, versionCheck);
    const proven = (await schemaVersion(db)) > 0 ? await unlockKek(db, options.vault) : null;
    const { from, to } = await migrate(db, undefined, versionCheck);
    // Before anything is audited: events must not go into a table whose append-only triggers were removed.
    await assertProtectiveTriggers(db);
    const unlocked = proven ?? (await unlockKek(db, options.vault));
    installId = unlocked.installId;
    ring = await loadKeyRing(db, unlocked, clock.nowIso());
    logger.info('core.opened', { schemaFrom: from, schemaTo: to, vault: options.vault.kind });
  } catch (error) {
    logger.error('core.open_refused', error);
    await db.destroy();
    await logger.close();
    // A server that cannot be reached, refuses the login or the TLS set-up is told in words, with steps.
    const connection = error instanceof StartupError ? null : classifyConnectionError(error);
    throw connection ? connectionStartupError(probeOutcome(connection)) : error;
  }

  const listeners = new Set<EventListener>();
  const emit = <E extends ApiEventName>(senderId: string, event: E, payload: ApiEvents[E]) => {
    for (const listener of listeners) listener(senderId, event, payload);
  };
  const keyRing = () => ring;
  // Rotations (here or on another workstation sharing the database) change the domain keys: the ring reloads
  // them with the KEK from this workstation's keychain, at once here and within a sweep elsewhere.
  let ringFingerprint = await domainKeyFingerprint(db);
  let failedFingerprint: string | null = null;
  const ringHolder: KeyRingHolder = {
    current: keyRing,
    async reload(q) {
      const fingerprint = await domainKeyFingerprint(q ?? db);
      const kek = await options.vault.get(kekName(installId));
      if (!kek) throw new Error('The key-encryption key left the keychain');
      try {
        const load = (trx: Queryable) => loadDomainKeys(trx, kek, { fresh: false, now: clock.nowIso() });
        ring = q ? await load(q) : await inTransaction(db, load);
        ringFingerprint = fingerprint;
      } finally {
        kek.fill(0);
      }
    },
  };
  const refreshRing = async () => {
    const fingerprint = await domainKeyFingerprint(db);
    if (fingerprint === ringFingerprint || fingerprint === failedFingerprint) return;
    try {
      await ringHolder.reload();
    } catch (error) {
      // E.g. the KEK was rotated on another workstation: the ring in memory keeps working; enrol this one again.
      failedFingerprint = fingerprint;
      logger.error('keys.ring_reload_failed', error);
    }
  };
  const freshIndexKeys: FreshIndexKeys = async (q) => {
    if ((await blindIndexVersions(q)).join() !== ring.indexVersions.join()) await ringHolder.reload(q);
  };
  // The chain head is witnessed outside the database (keychain beside the KEK, and this workstation's settings).
  const witness = new ChainWitness(db, keyRing, installId, [vaultWitnessStore(options.vault, installId), settingsWitnessStore(settings)], logger, options.witnessDelayMs);
  await witness.load();
  const audit: AuditLog = new AuditLog(db, keyRing, clock, {
    // Setup is the first audited call; accounts existing without it in the chain means the log was wiped.
    firstRun: { action: sessionChannels['session.setup'].audit!, happened: async (q: Queryable): Promise<boolean> => (await accounts.count(q)) > 0 },
    onAppend: () => witness.noteAppend(),
    witnessed: () => witness.current(),
  });
  await checkWitness(db, witness, audit, logger);
  // Events a workstation staged but did not live to chain (PostgreSQL): chained now rather than at the next call.
  await audit.sealStaged();
  // Office-wide settings live in the database; this workstation's old idle-lock value moves there on first open.
  const office = new OfficeSettings(clock, managedPolicy);
  const hasher = new PasswordHasher(options.passwordCost ?? DEFAULT_SCRYPT_LOG_N);
  const accounts: AccountService = new AccountService(db, keyRing, clock, hasher, audit, () => office.cached().minPasswordLength, freshIndexKeys);
  await office.adoptWorkstationValues(db, { idleLockMinutes: settings.get('idleLockMinutes') });
  await office.refresh(db);
  const idleLockMinutes = () => office.cached().idleLockMinutes;
  const sessions = new SessionManager(clock, () => idleLockMinutes() * 60_000, emit, (q, userId) => accounts.sessionState(q, userId));
  const customerKeys = new SubjectKeys(keyRing, CUSTOMER_KEYS);
  const customers = new CustomerStore(keyRing, clock, customerKeys, { versionInForce: policyVersionInForce }, freshIndexKeys);
  const orders = new OrderService(clock, customerKeys);
  const breakGlass = new BreakGlassService(customerKeys, clock, customers);
  const records = new RecordAccess(customers, orders, breakGlass, accounts);
  const approvalKinds = new ApprovalKinds();
  const [roleGrant, passwordReset] = accountApprovalKinds(accounts);
  approvalKinds.register(roleGrant).register(passwordReset);
  for (const kind of options.approvalKinds ?? []) approvalKinds.register(kind);
  const approvals = new ApprovalService(keyRing, clock, approvalKinds, customerKeys);
  const policy = new PolicyService(new SqlPolicyVersions(), clock, approvals);
  approvalKinds.register(policy.approvalKind());
  const recipients = new RecipientRegistry(keyRing, clock);
  const disclosureRequests = new DisclosureRequests(keyRing, clock, customerKeys, recipients, approvals);
  const disclosureRegister = new DisclosureRegister(keyRing, clock);
  approvalKinds.register(disclosureApprovalKind(disclosureRequests));
  const workstationId = settings.get('workstationId') ?? randomUUID();
  settings.set('workstationId', workstationId);
  const jobs = new JobRunner(db, clock, { audit, logger, owner: workstationId });
  jobs.register(customerImportJob);
  const customerKeyMigration = new CustomerKeyMigration(customerKeys, () => clock.nowIso(), 200, logger);
  jobs.register(customerKeyMigration);
  // Deletions, legal holds and retention (issue #8): approved deletions and retention batches delete through one eraser.
  const holds = new LegalHolds(clock, customerKeys);
  const eraser = new CustomerEraser(db, clock, customerKeyMigration, holds, approvals, audit, logger);
  const deletionRequests = new DeletionRequests(clock, approvals, eraser, holds, customers, accounts, trackedDeletions);
  const retention = new Retention({ db, clock, approvals, eraser, holds, names: customers, staff: accounts, jobs, logger, retentionDays: async (q) => (await office.refresh(q)).retentionDays, openRequestSources: [withOpenRequests] });
  approvalKinds.register(deletionRequests.kind()).register(retention.approvalKind());
  // Minors (issue #8): a record found to be a minor's is quarantined and its deletion requested in one transaction,
  // by whoever found it (so another manager decides); under a legal hold no request can be filed yet.
  const minorCases = new MinorCases(clock, customers, {
    request: async (q, { customerId, requesterId }) => {
      // A deletion already waiting (the customer's own, say) serves: a second would be refused.
      const pending = await deletionRequests.pendingFor(q, customerId);
      if (pending || !requesterId || (await holds.activeHold(q, customerId))) return pending;
      return (await deletionRequests.file(q, { customerId, reason: 'minor', channel: 'internal', requesterId })).id;
    },
    statuses: (q, ids) => approvals.statusesOf(q, ids),
    erasedAt: (q, ids) => eraser.deletedAt(q, ids),
  }, accounts);
  const corrections = new CorrectionService(customers, accounts, minorCases);
  const requestTracker = new SubjectRequestTracker(clock, customerKeys, customers, accounts);
  jobs.register(retention);
  jobs.register(recipientsJob(() => clock.nowIso()));
  jobs.register(csvExportJob);
  jobs.register(releaseJobKind(disclosureRequests));
  // Encrypted backups of the SQLite file (issue #11); on PostgreSQL the server is backed up with scripts/pg-backup.sh.
  const backups = new BackupService({
    db,
    databaseFile: sqliteFile,
    dataDir: options.dataDir,
    vault: options.vault,
    installId: () => installId,
    kekId: () => ring.kekId,
    clock,
    jobs,
    settings,
    scheduleLockedBy: managedPolicy?.locked.backupSchedule ? managedPolicy.managedBy : null,
    audit,
    logger,
    appVersion: options.appVersion ?? APP_VERSION,
    progress: (senderId, payload) => emit(senderId, 'progress', payload),
  });
  jobs.register(backups.jobKind());
  if (sqliteFile && backups.removeLeftovers() > 0) logger.info('backup.leftovers_removed');
  // Keys (issue #11): KEK and audit-key rotation, the dek-wrap rotation job, recovery kits.
  const keyRotation = new KeyRotation({ db, vault: options.vault, installId, clock, ring: ringHolder, auditHead: audit });
  const dekWrapRotation = new DekWrapRotation({ vault: options.vault, installId, clock, ring: ringHolder, audit, logger, batchSize: options.keyRotationBatch, graceMs: options.keyRotationGraceMs });
  jobs.register(dekWrapRotation);
  const blindIndexRotation = new BlindIndexRotation({
    vault: options.vault,
    installId,
    clock,
    ring: ringHolder,
    audit,
    tables: [customerIndexRows(customers), accounts.usernameIndexRows()],
    logger,
    batchSize: options.keyRotationBatch,
    graceMs: options.keyRotationGraceMs,
  });
  jobs.register(blindIndexRotation);
  // Jobs a killed process left running are resumed or rolled back before the first call.
  const recovered = await jobs.recover();
  if (recovered.resumed.length || recovered.rolledBack.length) {
    logger.info('jobs.recovered', { resumed: recovered.resumed.length, rolledBack: recovered.rolledBack.length });
  }
  // A database from before per-customer keys moves onto them in the background.
  await customerKeyMigration.startIfNeeded(jobs, db);
  // An approved retention batch whose job a killed process never started starts now; a deletion committed just
  // before a kill has its freed pages reclaimed.
  await retention.startApproved();
  await eraser.reclaim();
  // A database restored outside the console whose carried-over ledger names customers it still holds: deleted again.
  const resurrected = await eraser.stillPresent(db);
  if (resurrected.length) logger.info('erasure.ledger_reapplied', (await eraser.reapply(db, resurrected)));
  const erasure = erasurePort(deletionRequests, holds, eraser);
  options.onErasurePort?.(erasure);
  const importer = new CustomerImportService(customers, jobs, (senderId, payload) => emit(senderId, 'progress', payload));
  const announcements = new AnnouncementService(db, clock, jobs, customers, (senderId, payload) => emit(senderId, 'progress', payload));
  const files = options.fileSaver ?? noFileSaver;
  const recoveryKits = new RecoveryKits({ db, vault: options.vault, installId, clock, files, auditHead: audit, kekId: () => ring.kekId, cost: options.enrolmentCost });
  const disclosures = new DisclosureService({
    db,
    clock,
    requests: disclosureRequests,
    register: disclosureRegister,
    customers,
    jobs,
    saver: files,
    progress: (senderId, payload) => emit(senderId, 'progress', payload),
    releaseBatch: options.releaseBatch,
  });
  // The access export and the recipients to tell read the disclosure register (issues #8, #9).
  const disclosureSources = disclosureRegisterSources(disclosures);
  const accessExport = new AccessExportAssembler(new SubjectAccessReader(customers, orders, corrections, accounts), accounts, disclosureSources.section);
  const denials = new DenialCoalescer(db, audit, clock, logger);
  // A restore switches the SQLite file under the open core: new calls wait it out (answered UNAVAILABLE), the store
  // closes, the files are swapped (the current one kept aside), the store and key ring reopen on the restored one.
  let switching = false;
  let inFlight = 0;
  const reopenKeys = async () => {
    ring = await loadKeyRing(db, await unlockKek(db, options.vault), clock.nowIso());
    ringFingerprint = await domainKeyFingerprint(db);
  };
  const moveDatabase = (from: string, to: string) => {
    renameSync(from, to);
    if (existsSync(`${from}-wal`)) renameSync(`${from}-wal`, `${to}-wal`);
    rmSync(`${from}-shm`, { force: true });
  };
  const switcher: DatabaseSwitch = {
    async replaceWith(prepared, after) {
      if (!sqliteFile) throw new AppError('UNAVAILABLE', 'Only a SQLite database is restored from the console.');
      switching = true;
      try {
        // The restore's own call is the one in flight; others finish first.
        for (const started = Date.now(); inFlight > 1; await sleep(10)) {
          if (Date.now() - started > 30_000) throw new AppError('CONFLICT', 'Other calls are still running: try the restore again. Nothing was changed.');
        }
        // A scheduled backup may have started while the copy was checked (before its job row exists): wait for it too.
        if (jobs.busy || backups.busy) throw new AppError('CONFLICT', 'A job is running on this workstation (backup, import, release, retention…): restore once it has finished. Nothing was changed.');
        await denials.flush();
        await witness.flush();
        await eraser.settled();
        await dialectOf(db).reclaimFreedSpace(db);
        await db.destroy();
        const keptAside = `${sqliteFile}.before-restore-${new Date(clock.now()).toISOString().replace(/[:.]/g, '-')}`;
        moveDatabase(sqliteFile, keptAside);
        renameSync(prepared, sqliteFile);
        try {
          db.initialize();
          await reopenKeys();
          await office.refresh(db);
          await after(keptAside);
        } catch (error) {
          logger.error('backup.restore_rolled_back', error);
          await db.destroy();
          for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqliteFile}${suffix}`, { force: true });
          moveDatabase(keptAside, sqliteFile);
          db.initialize();
          await reopenKeys();
          await office.refresh(db);
          throw error;
        }
        // Done through the app and audited in the restored chain: the witness follows the restored chain from now on.
        await witness.reanchor();
        await jobs.recover();
        logger.info('backup.restored');
        return { keptAside };
      } finally {
        switching = false;
      }
    },
  };
  const restores = new RestoreService({ db, dataDir: options.dataDir, vault: options.vault, installId: () => installId, clock, appVersion: options.appVersion ?? APP_VERSION, backups, erasure, audit, logger, switcher });
  // Home (issue #13): each feature contributes its counts; backups and key rotation register theirs here too.
  const home = new HomeWorkRegistry()
    .register(approvalsHomeWork(approvalKinds, (kind) => APPROVAL_PAGES[kind] ?? 'tasks'))
    .register(breakGlassHomeWork())
    .register(policyHomeWork())
    .register(subjectRequestsHomeWork())
    .register(accountsHomeWork())
    .register(jobsHomeWork(jobs))
    .register(keyVersionsHomeWork())
    .register(auditHomeWork(accounts))
    .register(backupHomeWork(backups));
  const router = new Router<Api, Session>({
    db,
    denials,
    channels: API,
    audit,
    sessions,
    logger,
    handlers: {
      ...sessionHandlers(accounts, sessions, idleLockMinutes, () => office.cached().locale),
      ...accountsHandlers(accounts, sessions, approvals),
      ...auditHandlers(audit, accounts, {
        sign: (head) => signHead(ring, installId, head, clock.nowIso()),
        problem: (file) => headFileProblem(ring, installId, file),
      }, files, (senderId, payload) => emit(senderId, 'progress', payload)),
      ...settingsHandlers(office, managedView(managedFile, managedPolicy)),
      ...customersHandlers({ customers, corrections, records, importer }),
      ...ordersHandlers(orders),
      ...breakglassHandlers(breakGlass, accounts),
      ...approvalsHandlers(approvals, accounts),
      ...subjectRequestsHandlers({
        db,
        clock,
        tracker: requestTracker,
        assembler: accessExport,
        gate: new ExportGate(),
        files,
        recipients: disclosureSources.recipients,
      }),
      ...minorsHandlers(minorCases),
      ...erasureHandlers({ requests: deletionRequests, approvals, eraser, holds, retention, names: customers, staff: accounts }),
      ...policyHandlers({ policy, staff: accounts, files }),
      ...announcementsHandlers({ announcements, staff: accounts, names: customers, files }),
      ...disclosuresHandlers({ recipients, requests: disclosureRequests, register: disclosureRegister, service: disclosures, staff: accounts, customerNames: customers }),
      ...backupHandlers(backups, restores, files),
      ...keyRotationHandlers({ db, ring: ringHolder, rotation: keyRotation, dekWrap: dekWrapRotation, blindIndex: blindIndexRotation, jobs, kits: recoveryKits, staff: accounts }),
      ...homeHandlers(home, clock),
      ...tasksHandlers(jobs),
      ...workstationHandlers(
        new WorkstationService({ settings, vault: options.vault, dataDir: options.dataDir, now: () => new Date(clock.now()), enrolmentCost: options.enrolmentCost, appVersion: options.appVersion ?? APP_VERSION, managed: managedPolicy }),
      ),
    },
  });
  let closing = false;
  const sweeper = setInterval(() => {
    if (closing || switching) return;
    // A scheduled backup that is due starts (in the background, as a job; audited).
    backups.runIfDue();
    // Picks up an idle-lock change made on another workstation, then locks whoever has been idle for it.
    office
      .refresh(db)
      .catch((error: unknown) => void (closing || logger.error('settings.refresh_failed', error)))
      .finally(() => sessions.sweepIdle());
    refreshRing().catch((error: unknown) => void (closing || logger.error('keys.ring_refresh_failed', error)));
  }, options.sweepIntervalMs ?? 5_000);
  sweeper.unref();
  // A workstation that died mid-job leaves it to the others: whoever notices its lease ran out finishes it.
  const jobSweeper = setInterval(() => {
    if (closing || switching) return;
    jobs.recover().catch((error: unknown) => void (closing || logger.error('jobs.recover_failed', error)));
  }, 30_000);
  jobSweeper.unref();

  return {
    async handle(caller, channel, payload) {
      if (switching) return { ok: false, error: { code: 'UNAVAILABLE', message: 'A backup is being restored on this workstation. Try again in a moment.' } };
      inFlight += 1;
      try {
        return await router.handle(caller, channel, payload);
      } finally {
        inFlight -= 1;
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    endSession: (senderId) => sessions.end(senderId, null),
    sweepIdle: () => sessions.sweepIdle(),
    async close() {
      closing = true;
      clearInterval(sweeper);
      clearInterval(jobSweeper);
      await jobs.stop();
      await backups.settled();
      await denials.flush();
      await witness.flush();
      await db.destroy();
      logger.info('core.closed');
      await logger.close();
    },
    paths: { dataDir: options.dataDir, database: databaseFile, logs: logger.file, settings: settings.path },
  };
}

/**
 * Start-up check: the chain must still hold the head witnessed outside the database. If it does not (events cut
 * off the end, the head row rewritten), the finding is logged and appended to the chain itself — where the chain
 * ended and which head it missed — once per witnessed head, and the witness is frozen so the evidence stays.
 * The app still opens: auditors must be able to sign in, verify and export what is left.
 */
async function checkWitness(db: Db, witness: ChainWitness, audit: AuditLog, logger: Logger): Promise<void> {
  const reach = await witness.check(db);
  if (reach.ok) {
    await witness.refresh();
    return;
  }
  logger.error('audit.witness_not_reached', null, { witnessedSeq: reach.witnessedSeq, chainEndsAt: reach.chainEndsAt, replaced: reach.replaced });
  const last = await db('audit_events').where({ action: INTEGRITY_ACTION }).orderBy('seq', 'desc').first<{ details: string } | undefined>('details');
  const already = last ? (JSON.parse(last.details) as { witnessedSeq?: unknown }).witnessedSeq === reach.witnessedSeq : false;
  if (!already) {
    await audit.append(db, {
      actorId: null,
      action: INTEGRITY_ACTION,
      outcome: 'failed',
      details: { check: 'witness', witnessedSeq: reach.witnessedSeq, chainEndsAt: reach.chainEndsAt },
    });
  }
}
