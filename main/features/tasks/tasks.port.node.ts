import type { JobRunner } from '../../platform/jobs/jobRunner.node.ts';
import { daysBefore, type HomeWorkProvider } from '../home/home.port.node.ts';

/** Home (IT): jobs running now and jobs that failed or were rolled back this week, office-wide. */
export function jobsHomeWork(jobs: JobRunner): HomeWorkProvider {
  return {
    id: 'jobs',
    permissions: ['jobs.monitor'],
    async items(q, viewer) {
      const counts = await jobs.countByState(q, daysBefore(viewer.now, 7));
      const running = (counts.queued ?? 0) + (counts.running ?? 0) + (counts.rolling_back ?? 0);
      const failed = (counts.failed ?? 0) + (counts.rolled_back ?? 0);
      return [
        { id: 'jobs.running', section: 'system', label: 'Jobs running', count: running, tone: 'info', page: 'tasks', detail: null, at: null },
        { id: 'jobs.failed', section: 'system', label: 'Jobs failed this week', count: failed, tone: failed ? 'danger' : 'ok', page: 'tasks', detail: null, at: null },
      ];
    },
  };
}
