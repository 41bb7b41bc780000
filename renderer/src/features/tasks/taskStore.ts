import { useSyncExternalStore } from 'react';
import { ApiCallError, errorMessage } from '../../api/ApiCallError';
import { onApiEvent } from '../../api/events';
import { notifyTaskEnded } from '../../ui/notify';

/** One row of a task's report (an import's rejected rows): where, which field, the rule broken — never the value. */
export interface TaskReportRow {
  row: number;
  field: string;
  problem: string;
}

export interface TaskReport {
  title: string;
  summary: string;
  rows: readonly TaskReportRow[];
  truncated: boolean;
  /** Suggested name of the downloaded CSV. */
  fileName: string;
}

export type TaskState = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A long call this window started (an import, a release, an export…), kept while the person moves around. */
export interface LocalTask {
  taskId: string;
  /** The job kind in main (`customers.import`…): pages find their own running task by it. */
  kind: string;
  label: string;
  /** Where the task was started (its page), to go back to. */
  path: string;
  state: TaskState;
  done: number;
  total: number | null;
  startedAt: number;
  finishedAt: number | null;
  /** Why it failed or was cancelled. */
  message: string | null;
  /** What it ended with, in words. */
  outcome: string | null;
  report: TaskReport | null;
  cancel: (() => Promise<unknown>) | null;
  cancelling: boolean;
  /** How its progress reads (a backup counts bytes, not rows); null: "done of total". */
  progressText: ((done: number, total: number) => string) | null;
}

export interface RunTask<T> {
  taskId: string;
  kind: string;
  label: string;
  path: string;
  total?: number;
  run(): Promise<T>;
  /** Words for the end notification and the task list. */
  outcome?(value: T): string;
  report?(value: T): TaskReport | null;
  cancel?(): Promise<unknown>;
  progressText?(done: number, total: number): string;
}

/** The tasks of the signed-in person in this window: kept outside React so leaving a page loses none. */
let tasks: readonly LocalTask[] = [];
let owner: string | null = null;
const listeners = new Set<() => void>();
/** The report shown in the report dialog (any page), by task id. */
let openReport: string | null = null;

const emit = () => {
  for (const listener of listeners) listener();
};
function update(taskId: string, patch: Partial<LocalTask>): void {
  tasks = tasks.map((t) => (t.taskId === taskId ? { ...t, ...patch } : t));
  emit();
}

/** A different person signed in on this window: their predecessor's tasks and reports are not theirs to see. */
export function tasksBelongTo(userId: string): void {
  if (owner === userId) return;
  owner = userId;
  tasks = [];
  openReport = null;
  emit();
}

function onPath(path: string): boolean {
  return (window.location.hash.replace(/^#/, '') || '/') === path;
}

/** Starts a long call as a task: progress events for `taskId` move it, its end is notified, its report kept. */
export function runTask<T>(spec: RunTask<T>): Promise<T> {
  const task: LocalTask = {
    taskId: spec.taskId,
    kind: spec.kind,
    label: spec.label,
    path: spec.path,
    state: 'running',
    done: 0,
    total: spec.total ?? null,
    startedAt: Date.now(),
    finishedAt: null,
    message: null,
    outcome: null,
    report: null,
    cancel: spec.cancel ?? null,
    cancelling: false,
    progressText: spec.progressText ?? null,
  };
  tasks = [task, ...tasks].slice(0, 20);
  emit();
  const stop = onApiEvent('progress', (event) => {
    if (event.taskId === spec.taskId) update(spec.taskId, { done: event.done, total: event.total });
  });
  const forOwner = owner;
  const promise = spec.run();
  promise.then(
    (value) => {
      stop();
      if (owner !== forOwner) return;
      const outcome = spec.outcome?.(value) ?? 'Finished.';
      const report = spec.report?.(value) ?? null;
      update(spec.taskId, { state: 'succeeded', finishedAt: Date.now(), outcome, report, cancel: null });
      notifyTaskEnded(`${spec.label} finished`, report && report.rows.length ? `${outcome} Open its report under Tasks.` : outcome, 'teal');
    },
    (error: unknown) => {
      stop();
      if (owner !== forOwner) return;
      const cancelled = error instanceof ApiCallError && error.code === 'CANCELLED';
      const message = errorMessage(error);
      update(spec.taskId, { state: cancelled ? 'cancelled' : 'failed', finishedAt: Date.now(), message, cancel: null });
      // On the task's own page the failure shows where it was started; elsewhere a notification tells.
      if (!onPath(spec.path)) notifyTaskEnded(cancelled ? `${spec.label} cancelled` : `${spec.label} failed`, message, cancelled ? 'gray' : 'red');
    },
  );
  return promise;
}

export function cancelTask(taskId: string): void {
  const task = tasks.find((t) => t.taskId === taskId);
  if (!task?.cancel || task.state !== 'running') return;
  update(taskId, { cancelling: true });
  task.cancel().catch((error: unknown) => update(taskId, { cancelling: false, message: errorMessage(error) }));
}

export function showReport(taskId: string | null): void {
  openReport = taskId;
  emit();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

export function useTasks(): readonly LocalTask[] {
  return useSyncExternalStore(subscribe, () => tasks);
}

export function useOpenReport(): LocalTask | null {
  const id = useSyncExternalStore(subscribe, () => openReport);
  const all = useTasks();
  return id ? (all.find((t) => t.taskId === id) ?? null) : null;
}

/** The running task of a kind, if any (a page offers no second import while one runs). */
export function useRunningTask(kind: string): LocalTask | null {
  return useTasks().find((t) => t.kind === kind && t.state === 'running') ?? null;
}

/** CSV of a report: formulae neutralised, fields quoted. */
export function reportCsv(report: TaskReport): string {
  const cell = (value: string | number) => {
    const text = String(value);
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return `"${safe.replaceAll('"', '""')}"`;
  };
  return ['row,field,problem', ...report.rows.map((r) => [cell(r.row), cell(r.field), cell(r.problem)].join(','))].join('\r\n') + '\r\n';
}
