import type { HomeWorkProvider } from '../home/home.port.node.ts';
import type { BackupService } from './backupService.node.ts';

/** Home (IT): this workstation's last backup, and whether one is overdue or failed. Nothing on PostgreSQL (server-side). */
export function backupHomeWork(backups: BackupService): HomeWorkProvider {
  return {
    id: 'backups',
    permissions: ['backups.manage'],
    async items(_q, viewer) {
      const status = await backups.status();
      if (status.engine !== 'sqlite') return [];
      const { last, nextDueAt } = status;
      const overdue = nextDueAt !== null && Date.parse(nextDueAt) < Date.parse(viewer.now) - 3_600_000;
      if (!last) {
        return [{ id: 'backups.last', section: 'system', label: 'No backup of this workstation yet', count: 1, tone: 'warning', page: 'backups', detail: null, at: null }];
      }
      const failed = !last.ok;
      return [
        {
          id: 'backups.last',
          section: 'system',
          label: failed ? 'The last backup failed' : overdue ? 'The scheduled backup is overdue' : 'Last backup',
          count: failed || overdue ? 1 : 0,
          tone: failed ? 'danger' : overdue ? 'warning' : 'ok',
          page: 'backups',
          detail: failed ? `failed (${last.code ?? 'error'})` : last.scheduled ? 'scheduled' : 'made by hand',
          at: last.at,
        },
      ];
    },
  };
}
