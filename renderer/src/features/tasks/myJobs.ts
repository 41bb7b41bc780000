import { useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../../main/api.std';
import { callPassive } from '../../api/client';

export type Job = ChannelOutput<'tasks.list'>['tasks'][number];

export const RUNNING_JOB_STATES: readonly Job['state'][] = ['queued', 'running', 'rolling_back'];

/** How often the header asks main for the caller's jobs: a job started on a page shows within this time. */
const POLL_MS = 5_000;

/**
 * The caller's own jobs that are still running (a key rotation, a retention batch…), polled passively so the
 * header can show work main runs on its own; a poll never counts as activity, so it cannot keep a session awake.
 */
export function useMyRunningJobs(): readonly Job[] {
  const [jobs, setJobs] = useState<readonly Job[]>([]);
  useEffect(() => {
    let stopped = false;
    const load = () =>
      callPassive('tasks.list', { limit: 20 }).then(
        (r) => {
          if (!stopped) setJobs(r.tasks.filter((job) => job.mine && RUNNING_JOB_STATES.includes(job.state)));
        },
        () => undefined, // locked or signed out meanwhile: the next poll tries again
      );
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  return jobs;
}
