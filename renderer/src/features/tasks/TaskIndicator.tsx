import { Badge, Button, Group, Popover, Progress, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconChecklist } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMyRunningJobs, type Job } from './myJobs';
import { cancelTask, showReport, useTasks, type LocalTask } from './taskStore';

const STATE_WORDS: Record<LocalTask['state'], string> = { running: 'Running', succeeded: 'Finished', failed: 'Failed', cancelled: 'Cancelled' };
const STATE_COLORS: Record<LocalTask['state'], string> = { running: 'blue', succeeded: 'teal', failed: 'red', cancelled: 'gray' };

export function percentOf(task: Pick<LocalTask, 'done' | 'total'>): number | null {
  return task.total && task.total > 0 ? Math.min(100, Math.round((task.done / task.total) * 100)) : null;
}

function TaskLine({ task, onGo }: { task: LocalTask; onGo(path: string): void }) {
  const percent = percentOf(task);
  return (
    <Stack gap={4} className="task-line" data-testid={`task-${task.kind}`}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" fw={600}>
          {task.label}
        </Text>
        {/* Never squeezed by a long label: the state is read whole. */}
        <Badge color={STATE_COLORS[task.state]} variant="light" style={{ flexShrink: 0 }}>
          {STATE_WORDS[task.state]}
        </Badge>
      </Group>
      {task.state === 'running' && (
        <>
          <Progress value={percent ?? 100} striped={percent === null} animated size="md" aria-label={`${task.label} progress`} />
          <Text size="xs" c="dimmed">
            {task.cancelling
              ? 'Cancelling…'
              : task.total
                ? `${task.progressText ? task.progressText(task.done, task.total) : `${task.done.toLocaleString()} of ${task.total.toLocaleString()}`} (${percent}%)`
                : 'Starting…'}
          </Text>
        </>
      )}
      {task.state !== 'running' && (
        <Text size="xs" c="dimmed">
          {task.outcome ?? task.message}
        </Text>
      )}
      <Group gap="xs">
        {task.report && (
          <Button size="compact-xs" variant="light" onClick={() => showReport(task.taskId)}>
            Open report
          </Button>
        )}
        {task.state === 'running' && task.cancel && (
          <Button size="compact-xs" variant="default" onClick={() => cancelTask(task.taskId)} disabled={task.cancelling}>
            Cancel
          </Button>
        )}
        <Button size="compact-xs" variant="subtle" onClick={() => onGo(task.path)}>
          Go to page
        </Button>
      </Group>
    </Stack>
  );
}

/** A job main runs on its own (a rotation, a retention batch), shown as a task line; its page is Tasks. */
function jobAsTask(job: Job): LocalTask {
  return {
    taskId: job.id,
    kind: job.kind,
    label: job.label,
    path: '/tasks',
    state: 'running',
    done: job.done,
    total: job.total,
    startedAt: Date.parse(job.createdAt),
    finishedAt: null,
    message: null,
    outcome: null,
    report: null,
    cancel: null,
    cancelling: false,
    progressText: null,
  };
}

/**
 * In the header of every page: the tasks this window started, with progress (they survive leaving a page), and
 * the caller's jobs still running in main.
 */
export function TaskIndicator() {
  const tasks = useTasks();
  const [opened, setOpened] = useState(false);
  const navigate = useNavigate();
  const target = useRef<HTMLButtonElement>(null);
  // Escape closes it wherever the focus is (the dropdown's own handler needs the focus inside it).
  useEffect(() => {
    if (!opened) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpened(false);
      target.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [opened]);
  const jobs = useMyRunningJobs();
  const runningHere = tasks.filter((t) => t.state === 'running');
  // A job this window follows as a task (an import, a release) already shows as that task.
  const jobLines = jobs.filter((job) => !runningHere.some((t) => t.kind === job.kind)).map(jobAsTask);
  const running = [...runningHere, ...jobLines];
  const first = running[0];
  const percent = first ? percentOf(first) : null;
  const text = first ? `${first.label}${percent === null ? '…' : ` ${percent}%`}${running.length > 1 ? ` (+${running.length - 1})` : ''}` : 'Tasks';
  return (
    <Popover opened={opened} onChange={setOpened} onClose={() => setOpened(false)} onDismiss={() => setOpened(false)} position="bottom-end" width={360} shadow="md" withArrow trapFocus returnFocus>
      <Popover.Target>
        <UnstyledButton ref={target} onClick={() => setOpened((o) => !o)} className="task-indicator" aria-expanded={opened} aria-haspopup="dialog">
          <Group gap={6} wrap="nowrap">
            <IconChecklist size={20} stroke={1.6} aria-hidden />
            <Text size="sm" fw={first ? 600 : 400}>
              {text}
            </Text>
            {first && <Progress value={percent ?? 100} w={80} size="sm" striped={percent === null} animated aria-hidden />}
          </Group>
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown role="dialog" aria-labelledby="task-popover-title">
        <Stack gap="md">
          <Text fw={700} size="sm" id="task-popover-title">
            Tasks
          </Text>
          {tasks.length === 0 && jobLines.length === 0 && (
            <Text size="sm" c="dimmed">
              No task started in this window yet.
            </Text>
          )}
          {[...tasks.slice(0, 5), ...jobLines].map((task) => (
            <TaskLine
              key={task.taskId}
              task={task}
              onGo={(path) => {
                setOpened(false);
                void navigate(path);
              }}
            />
          ))}
          <Button component={Link} to="/tasks" variant="default" size="xs" onClick={() => setOpened(false)}>
            All tasks and jobs
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
