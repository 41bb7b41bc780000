import { roleHolds } from '../../platform/ipc/roles.std.ts';
import { requireSession, type ChannelHandlers } from '../../platform/ipc/router.node.ts';
import type { JobRunner } from '../../platform/jobs/jobRunner.node.ts';
import { JOB_KIND_LABELS, type tasksChannels } from './tasks.contract.std.ts';

export function tasksHandlers(jobs: JobRunner): ChannelHandlers<typeof tasksChannels> {
  return {
    'tasks.list': async (input, ctx) => {
      const session = requireSession(ctx);
      const allJobs = roleHolds(session.role, 'jobs.monitor');
      const list = await jobs.list(ctx.q, { startedBy: allJobs ? undefined : session.userId, limit: input.limit });
      return {
        allJobs,
        tasks: list.map((job) => ({
          id: job.id,
          kind: job.kind,
          label: JOB_KIND_LABELS[job.kind] ?? job.kind,
          state: job.state,
          done: job.done,
          total: job.total,
          errorCode: job.errorCode,
          createdAt: job.createdAt,
          finishedAt: job.finishedAt,
          mine: job.startedBy === session.userId,
        })),
      };
    },
  };
}
