import { Badge, Button, Group, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect } from 'react';
import { callPassive } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { RemoteStatus } from '../../ui/RemoteStatus';
import { useRemoteData } from '../../ui/useRemoteData';
import { percentOf } from './TaskIndicator';
import { RUNNING_JOB_STATES, type Job } from './myJobs';
import { showReport, useTasks } from './taskStore';

const JOB_STATE_WORDS: Record<Job['state'], string> = {
  queued: 'Queued',
  running: 'Running',
  rolling_back: 'Rolling back',
  succeeded: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
  rolled_back: 'Rolled back',
};
const JOB_STATE_COLORS: Record<Job['state'], string> = {
  queued: 'gray',
  running: 'blue',
  rolling_back: 'orange',
  succeeded: 'teal',
  failed: 'red',
  cancelled: 'gray',
  rolled_back: 'orange',
};
/** Tasks this window started (with their reports) and the jobs main lists for the caller (IT: every job). */
export function TasksPage() {
  const local = useTasks();
  const load = useCallback(() => callPassive('tasks.list', { limit: 50 }), []);
  const jobs = useRemoteData(load);
  const anyRunning = (jobs.data?.tasks ?? []).some((j) => RUNNING_JOB_STATES.includes(j.state)) || local.some((t) => t.state === 'running');
  const { reload } = jobs;
  useEffect(() => {
    const timer = setInterval(reload, anyRunning ? 3000 : 30_000);
    return () => clearInterval(timer);
  }, [anyRunning, reload]);

  return (
    <Stack gap="lg">
      <PageHeader title="Tasks" description="Imports, releases, exports and deletion batches: their progress, how they ended, and their reports." />
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="window-tasks-title">
        <Title order={2} size="h4" id="window-tasks-title" mb="sm">
          Started in this window
        </Title>
        {local.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing yet. A task you start (an import, say) shows here and in the header while you move around.
          </Text>
        ) : (
          <Table verticalSpacing="xs" aria-labelledby="window-tasks-title">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Task</Table.Th>
                <Table.Th scope="col">State</Table.Th>
                <Table.Th scope="col">Outcome</Table.Th>
                <Table.Th scope="col">Report</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {local.map((task) => (
                <Table.Tr key={task.taskId}>
                  <Table.Td>{task.label}</Table.Td>
                  <Table.Td>
                    {task.state === 'running' ? (
                      <Progress value={percentOf(task) ?? 100} striped={percentOf(task) === null} animated w={140} aria-label={`${task.label} progress`} />
                    ) : (
                      <Badge variant="light" color={task.state === 'succeeded' ? 'teal' : task.state === 'failed' ? 'red' : 'gray'}>
                        {task.state === 'succeeded' ? 'Finished' : task.state === 'failed' ? 'Failed' : 'Cancelled'}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{task.state === 'running' ? `${task.done.toLocaleString()} of ${(task.total ?? 0).toLocaleString()}` : (task.outcome ?? task.message)}</Text>
                  </Table.Td>
                  <Table.Td>
                    {task.report ? (
                      <Button size="compact-sm" variant="light" onClick={() => showReport(task.taskId)}>
                        Open report
                      </Button>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="jobs-title">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="jobs-title">
            {jobs.data?.allJobs ? 'Every job of the office' : 'Your jobs'}
          </Title>
          <Button size="compact-sm" variant="default" onClick={reload}>
            Refresh
          </Button>
        </Group>
        <RemoteStatus remote={jobs} loadingLabel="Loading jobs" isEmpty={jobs.data?.tasks.length === 0} empty="No job yet." />
        {jobs.data && jobs.data.tasks.length > 0 && (
          <Table verticalSpacing="xs" striped aria-labelledby="jobs-title">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Job</Table.Th>
                <Table.Th scope="col">State</Table.Th>
                <Table.Th scope="col">Progress</Table.Th>
                <Table.Th scope="col">Started</Table.Th>
                <Table.Th scope="col">Ended</Table.Th>
                {jobs.data.allJobs && <Table.Th scope="col">Started by</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {jobs.data.tasks.map((job) => (
                <Table.Tr key={job.id}>
                  <Table.Td>{job.label}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={JOB_STATE_COLORS[job.state]}>
                      {JOB_STATE_WORDS[job.state]}
                    </Badge>
                    {job.errorCode && (
                      <Text size="xs" c="dimmed" component="span" ml={6}>
                        {job.errorCode}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {job.done.toLocaleString()}
                    {job.total !== null ? ` of ${job.total.toLocaleString()}` : ''}
                  </Table.Td>
                  <Table.Td>{formatDateTime(job.createdAt)}</Table.Td>
                  <Table.Td>{formatDateTime(job.finishedAt)}</Table.Td>
                  {jobs.data?.allJobs && <Table.Td>{job.mine ? 'You' : 'Someone else'}</Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
