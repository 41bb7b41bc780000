import { existsSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AuditLog } from '../../platform/audit/auditLog.node.ts';
import type { AuditSink } from '../../platform/audit/auditSink.node.ts';
import type { Clock } from '../../platform/clock.std.ts';
import { kekName, loadKeyRing } from '../../platform/crypto/kek.node.ts';
import { kekFacts } from '../../platform/crypto/keyRing.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import type { SecretVault } from '../../platform/keychain/vault.std.ts';
import type { Logger } from '../../platform/log/logger.node.ts';
import { openDatabase, type Db } from '../../platform/store/database.node.ts';
import { dialectOf } from '../../platform/store/dialect.node.ts';
import { migrate, schemaVersion } from '../../platform/store/migrate.node.ts';
import { assertProtectiveTriggers } from '../../platform/store/protectiveTriggers.node.ts';
import { countRows } from '../../platform/store/queries.node.ts';
import { StartupError } from '../../platform/startupError.std.ts';
import type { ErasurePort } from '../erasure/erasure.port.node.ts';
import { sessionChannels } from '../session/session.contract.std.ts';
import type { RestoreResult } from './backup.contract.std.ts';
import { BackupFileError, decryptBackup, readBackupHeader, type BackupHeader, type BackupKey, type BackupRefusal } from './backupFile.node.ts';
import type { BackupService } from './backupService.node.ts';

/**
 * Switches the open core's SQLite file for another (the core implements it: core.node.ts). New calls are answered
 * "restore in progress" meanwhile; the store is closed, `prepared` takes the database file's place (the current
 * file is kept aside as `<file>.before-restore-<time>`), the store reopens on it and `after` runs. If `after` or
 * the reopening fails, the kept-aside file comes back and the store reopens on it, and the error is rethrown.
 */
export interface DatabaseSwitch {
  replaceWith(prepared: string, after: (keptAside: string) => Promise<void>): Promise<{ keptAside: string }>;
}

const REFUSED: Record<BackupRefusal, string> = {
  malformed: 'This file is not a backup of the console, or its header was altered. Nothing was changed.',
  damaged: 'The backup is damaged or was altered: it does not verify. Nothing was changed.',
  truncated: 'The backup is incomplete (cut short). Nothing was changed.',
  wrong_key: 'The key does not open this backup (a wrong passphrase, or a backup made under another key). Nothing was changed.',
  passphrase_needed: 'This backup was made with a passphrase: enter it to restore. Nothing was changed.',
};

export interface RestoreDeps {
  db: Db;
  dataDir: string;
  vault: SecretVault;
  installId: () => string;
  clock: Clock;
  appVersion: string;
  backups: BackupService;
  erasure: ErasurePort;
  audit: AuditSink;
  logger: Logger;
  switcher: DatabaseSwitch;
}

/**
 * A restore through the console (IT, password re-entered). Nothing is changed until the backup has been decrypted
 * and checked on a copy: every frame (altered, truncated, wrong key), this database's install id, SQLite's
 * integrity check, the key check, the append-only triggers, migrations to this version, and the whole audit
 * chain. Then the deletion ledger of the database being replaced is read, the core switches over, and every
 * customer deleted since the backup is deleted again in the restored database before the restore is audited
 * there (and the chain witness moved to it). The replaced database is kept aside.
 */
export class RestoreService {
  constructor(private readonly deps: RestoreDeps) {}

  async restore(input: { file: string; passphrase?: string; actorId: string; details: (d: Record<string, string | number | boolean | null>) => void; audited: () => Promise<void> }): Promise<RestoreResult> {
    const { backups, dataDir, clock } = this.deps;
    backups.refuseOnPostgres();
    if (backups.busy) throw new AppError('CONFLICT', 'A backup is running on this workstation: restore once it has finished.');
    const path = join(backups.folder(), basename(input.file));
    if (!existsSync(path)) throw new AppError('NOT_FOUND', 'No such backup in the backup folder. Nothing was changed.');
    input.details({ file: input.file });

    const header = await this.header(path);
    input.details({ backupCreatedAt: header.createdAt, backupSchema: header.schemaVersion, keySource: header.key.source });
    if (header.installId !== this.deps.installId()) throw new AppError('INVALID_INPUT', 'This backup is of another database (another install): it cannot be restored here. Nothing was changed.');

    const prepared = join(dataDir, `restore-${clock.now()}.sqlite`);
    const cleanup = () => {
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${prepared}${suffix}`, { force: true });
    };
    try {
      await this.decrypt(path, prepared, header, input.passphrase);
      const checked = await this.verifyCopy(prepared);
      input.details({ schemaFrom: checked.schemaFrom, schemaTo: checked.schemaTo, restoredChainSeq: checked.chainSeq });

      const replacedHead = Number((await this.deps.db('audit_events').max<{ s: number | null }>('seq as s').first())?.s ?? 0);
      input.details({ replacedChainSeq: replacedHead });
      // The database being replaced records that it was (it is kept aside as evidence).
      await this.deps.audit.append(this.deps.db, { actorId: input.actorId, action: 'backup.restore_started', outcome: 'ok', details: { file: input.file, backupCreatedAt: header.createdAt } });

      let deletionsReapplied = 0;
      const { keptAside } = await this.deps.switcher.replaceWith(prepared, async (aside) => {
        // The ledger lives in the database being replaced: read from the kept-aside file, after every call in flight
        // ended, so a deletion committed while the copy was being checked is re-applied too.
        const ledger = await readLedger(aside, this.deps.erasure);
        deletionsReapplied = (await this.deps.erasure.reapplyDeletionLedger(this.deps.db, ledger)).deleted;
        input.details({ deletionsReapplied, keptAside: basename(aside) });
        await input.audited();
      });
      return { file: input.file, backupCreatedAt: header.createdAt, deletionsReapplied, keptAside: basename(keptAside), schemaFrom: checked.schemaFrom, schemaTo: checked.schemaTo };
    } finally {
      cleanup();
    }
  }

  private async header(path: string): Promise<BackupHeader> {
    try {
      return (await readBackupHeader(path)).header;
    } catch (error) {
      throw refusal(error);
    }
  }

  private async decrypt(path: string, prepared: string, header: BackupHeader, passphrase: string | undefined): Promise<void> {
    let key: BackupKey;
    if (header.key.source === 'passphrase') {
      if (passphrase === undefined) throw refusal(new BackupFileError('passphrase_needed'));
      key = { source: 'passphrase', passphrase };
    } else {
      const kek = await this.deps.vault.get(kekName(this.deps.installId()));
      if (!kek || kekFacts(kek).kekId !== header.kekId) {
        kek?.fill(0);
        throw refusal(new BackupFileError('wrong_key'));
      }
      key = { source: 'kek', kek };
    }
    try {
      await decryptBackup(path, prepared, key);
    } catch (error) {
      throw refusal(error);
    } finally {
      if (key.source === 'kek') key.kek.fill(0);
    }
  }

  /** Every check on the decrypted copy, which is then migrated to this version. Nothing else is touched. */
  private async verifyCopy(prepared: string): Promise<{ schemaFrom: number; schemaTo: number; chainSeq: number }> {
    const copy = openDatabase({ client: 'sqlite', filename: prepared });
    try {
      const integrity = (await copy.raw('PRAGMA integrity_check')) as { integrity_check: string }[];
      if (integrity[0]?.integrity_check !== 'ok') throw new AppError('INVALID_INPUT', 'The database inside the backup fails SQLite\'s integrity check. Nothing was changed.');
      const meta = await copy('meta').where({ key: 'install_id' }).first<{ value: string } | undefined>();
      if (meta?.value !== this.deps.installId()) throw new AppError('INVALID_INPUT', 'The database inside the backup is of another install. Nothing was changed.');
      // Compared only: unlockKek would also settle a KEK rotation in this workstation's keychain against the copy.
      const kek = await this.deps.vault.get(kekName(this.deps.installId()));
      const check = await copy('meta').where({ key: 'key_check' }).first<{ value: string } | undefined>('value');
      if (!kek || check?.value !== kekFacts(kek).checkValue) throw new AppError('INVALID_INPUT', REFUSED.wrong_key);
      const unlocked = { kek, installId: this.deps.installId(), newlyChecked: false };
      const { from, to } = await migrate(copy, undefined, { appVersion: this.deps.appVersion });
      await assertProtectiveTriggers(copy);
      const ring = await loadKeyRing(copy, unlocked, this.deps.clock.nowIso());
      const setup = sessionChannels['session.setup'].audit!;
      const log = new AuditLog(copy, () => ring, this.deps.clock, { firstRun: { action: setup, happened: async (q) => (await countRows(q('users'))) > 0 } });
      const { result, head } = await log.verifyChain(copy);
      if (!result.ok) {
        throw new AppError('INVALID_INPUT', `The audit chain inside the backup does not verify (first broken event: ${result.firstBrokenSeq}). Nothing was changed.`);
      }
      await dialectOf(copy).reclaimFreedSpace(copy);
      return { schemaFrom: from, schemaTo: Math.max(to, await schemaVersion(copy)), chainSeq: head.seq };
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof StartupError) throw new AppError('INVALID_INPUT', `The backup cannot be used on this workstation: ${error.message}`);
      this.deps.logger.error('backup.restore_check_failed', error);
      throw new AppError('INVALID_INPUT', 'The database inside the backup cannot be read. Nothing was changed.');
    } finally {
      await copy.destroy();
    }
  }
}

/** The deletion ledger of a database file, through a connection of its own. */
async function readLedger(file: string, erasure: ErasurePort): ReturnType<ErasurePort['deletionLedger']> {
  const replaced = openDatabase({ client: 'sqlite', filename: file });
  try {
    return await erasure.deletionLedger(replaced);
  } finally {
    await replaced.destroy();
  }
}

function refusal(error: unknown): AppError {
  if (error instanceof BackupFileError) return new AppError('INVALID_INPUT', REFUSED[error.reason]);
  if (error instanceof AppError) return error;
  return new AppError('INVALID_INPUT', REFUSED.damaged);
}
