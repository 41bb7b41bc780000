import { useEffect, useState } from 'react';
import { onApiEvent } from '../../api/events';

/** Progress events main sends for one task (a job the caller started with this task id). */
export function useTaskProgress(taskId: string | null): { done: number; total: number } | null {
  const [progress, setProgress] = useState<{ taskId: string; done: number; total: number } | null>(null);
  useEffect(() => {
    if (!taskId) return undefined;
    return onApiEvent('progress', (event) => {
      if (event.taskId === taskId) setProgress({ taskId, done: event.done, total: event.total });
    });
  }, [taskId]);
  return progress && progress.taskId === taskId ? { done: progress.done, total: progress.total } : null;
}
