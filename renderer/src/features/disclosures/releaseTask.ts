import { useSyncExternalStore } from 'react';
import type { ChannelOutput } from '../../../../main/api.std';
import type { RequestDetail } from '../../../../main/features/disclosures/disclosures.contract.std';
import { call } from '../../api/client';
import { runTask } from '../tasks/taskStore';

export type Released = ChannelOutput<'disclosures.release'>;

export const RELEASE_TASK_KIND = 'disclosures.release';

/**
 * Releases that ended while nobody was looking at their dialog, with the one-time passphrase: kept in this
 * window's memory only, for the person who released, until the Disclosures page has shown them once.
 */
let unseen: readonly { userId: string; released: Released }[] = [];
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((listener) => listener());

/** Runs a release as a task (header indicator, progress, end notification); the result waits to be shown once. */
export function startRelease(request: RequestDetail, options: { format: 'csv' | 'json'; encrypt: boolean }, userId: string): { taskId: string; done: Promise<Released> } {
  const taskId = crypto.randomUUID();
  // A previous person's unseen results are not this one's: dropped.
  unseen = unseen.filter((entry) => entry.userId === userId);
  const done = runTask({
    taskId,
    kind: RELEASE_TASK_KIND,
    label: `Release of a disclosure (${request.customerCount} customer${request.customerCount === 1 ? '' : 's'})`,
    path: '/disclosures',
    total: request.customerCount,
    run: () => call('disclosures.release', { taskId, requestId: request.id, ...options }),
    outcome: (released) =>
      `${released.rows} row(s) saved as ${released.fileName}.${released.passphrase ? ' Its one-time passphrase is shown once, under Disclosures.' : ''}`,
  });
  done.then(
    (released) => {
      unseen = [...unseen, { userId, released }];
      emit();
    },
    () => undefined, // the task shows the failure
  );
  return { taskId, done };
}

/** Shown now: forgotten. */
export function markReleaseSeen(released: Released): void {
  unseen = unseen.filter((entry) => entry.released !== released);
  emit();
}

/** The oldest release of `userId` not shown yet; another person's are never theirs to see. */
export function useUnseenRelease(userId: string): Released | null {
  const all = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    () => unseen,
  );
  return all.find((entry) => entry.userId === userId)?.released ?? null;
}
