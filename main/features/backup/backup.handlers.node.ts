import { AppError } from '../../platform/ipc/errors.std.ts';
import type { FileSaver } from '../../platform/files/fileSaver.node.ts';
import { requireSession, type ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { backupChannels } from './backup.contract.std.ts';
import type { BackupService } from './backupService.node.ts';
import type { RestoreService } from './restore.node.ts';

export function backupHandlers(backups: BackupService, restores: RestoreService, files: FileSaver): ChannelHandlers<typeof backupChannels> {
  return {
    'backup.status': async () => backups.status(),
    'backup.create': async (input, ctx) => {
      const session = requireSession(ctx);
      // Which key, never the passphrase.
      ctx.auditDetails({ taskId: input.taskId, keySource: input.passphrase === undefined ? 'kek' : 'passphrase', scheduled: false });
      const made = await backups.create({ taskId: input.taskId, senderId: session.senderId, startedBy: session.userId, passphrase: input.passphrase, scheduled: false });
      ctx.auditDetails({ file: made.file, bytes: made.bytes, removed: made.removed });
      return made;
    },
    'backup.cancel': async (input) => ({ cancelled: backups.cancel(input.taskId) }),
    'backup.chooseFolder': async (_input, ctx) => {
      backups.refuseOnPostgres();
      if (!files.chooseFolder) throw new AppError('UNAVAILABLE', 'Choosing a folder is not available here: type the path.');
      return { folder: await files.chooseFolder({ senderId: requireSession(ctx).senderId, title: 'Backup folder' }) };
    },
    'backup.saveSchedule': async (input, ctx) => {
      // A folder path is not personal data, but audit details hold no values: which fields, and the numbers.
      ctx.auditDetails({ enabled: input.enabled, customFolder: input.folder !== null, intervalHours: input.intervalHours, keep: input.keep });
      return backups.saveSchedule(input);
    },
    'backup.restore': async (input, ctx) => {
      const session = requireSession(ctx);
      return restores.restore({
        file: input.file,
        passphrase: input.passphrase,
        actorId: session.userId,
        details: (d) => ctx.auditDetails(d),
        // Written into the restored database once the ledger is re-applied, before the switch is final.
        audited: () => ctx.auditIn(ctx.q),
      });
    },
  };
}
