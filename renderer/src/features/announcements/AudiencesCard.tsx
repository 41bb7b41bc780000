import { Button, Paper, Table, Text, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import { PURPOSES, type MarketingPurpose } from '../../../../main/features/customers/customers.contract.std';
import { call } from '../../api/client';
import { notifyFailure } from '../../ui/notify';
import { useRemoteData } from '../../ui/useRemoteData';
import { runTask } from '../tasks/taskStore';
import { TaskProgress } from './TaskProgress';
import { useTaskProgress } from './useTaskProgress';

const labelOf = (purpose: MarketingPurpose) => PURPOSES.find((p) => p.purpose === purpose)?.label ?? purpose;

/** Marketing audiences: counted first, then exported (audited); only active adults with current consent. */
export function AudiencesCard() {
  const load = useCallback(() => call('audiences.counts', {}), []);
  const remote = useRemoteData(load);
  const [running, setRunning] = useState<{ purpose: MarketingPurpose; taskId: string } | null>(null);
  const progress = useTaskProgress(running?.taskId ?? null);
  const exportAudience = async (purpose: MarketingPurpose) => {
    const taskId = crypto.randomUUID();
    setRunning({ purpose, taskId });
    try {
      // A task: it shows in the header while the person moves on, and its end is notified wherever they are.
      await runTask({
        taskId,
        kind: 'outreach.csv_export',
        label: `${labelOf(purpose)} audience export`,
        path: '/announcements',
        run: () => call('audiences.export', { purpose, taskId }),
        outcome: (result) => (result.saved ? `${labelOf(purpose)} audience saved: ${result.rows.toLocaleString()} customers.` : 'Not saved: no file was chosen.'),
      });
    } catch (error) {
      notifyFailure('Not exported', error);
    } finally {
      setRunning(null);
      remote.reload();
    }
  };
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="audiences-title">
      <Title order={2} size="h4" id="audiences-title">
        Marketing audiences
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Active adult customers who consent to the purpose today. Minors, closed and erased records and withdrawn consents are left out; every export is audited.
      </Text>
      <Table aria-labelledby="audiences-title">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Purpose</Table.Th>
            <Table.Th>Customers</Table.Th>
            <Table.Th>Export</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(remote.data?.counts ?? []).map((c) => (
            <Table.Tr key={c.purpose}>
              <Table.Td>{labelOf(c.purpose)}</Table.Td>
              <Table.Td>{c.count.toLocaleString()}</Table.Td>
              <Table.Td>
                <Button size="compact-sm" variant="light" leftSection={<IconDownload size={14} aria-hidden />} disabled={running !== null || c.count === 0} loading={running?.purpose === c.purpose} onClick={() => void exportAudience(c.purpose)} aria-label={`Export the ${labelOf(c.purpose)} audience`}>
                  Export CSV
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {running && <TaskProgress label="Writing the audience file" progress={progress} />}
    </Paper>
  );
}
