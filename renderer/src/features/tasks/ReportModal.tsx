import { Button, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import modalClasses from '../../ui/Modal.module.css';
import { reportCsv, showReport, useOpenReport } from './taskStore';

/** A finished task's report, reopened from the task indicator or the Tasks page; downloadable as CSV. */
export function ReportModal() {
  const task = useOpenReport();
  const report = task?.report ?? null;
  const download = () => {
    if (!report) return;
    // Made in the renderer from what is on screen (rows, fields, rules: no value), saved by the browser's download.
    const url = URL.createObjectURL(new Blob([reportCsv(report)], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = report.fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <Modal opened={report !== null} onClose={() => showReport(null)} title={report?.title ?? 'Report'} size="xl">
      {report && (
        <Stack gap="sm">
          <Text size="sm">{report.summary}</Text>
          {report.truncated && (
            <Text size="xs" c="dimmed">
              Only the first {report.rows.length.toLocaleString()} problems are listed.
            </Text>
          )}
          <ScrollArea.Autosize mah="50vh" type="auto">
            <Table verticalSpacing={4} fz="sm" striped stickyHeader aria-label="Rejected rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Row</Table.Th>
                  <Table.Th scope="col">Field</Table.Th>
                  <Table.Th scope="col">Problem</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.rows.map((row, index) => (
                  <Table.Tr key={`${row.row}-${row.field}-${index}`}>
                    <Table.Td>{row.row}</Table.Td>
                    <Table.Td>{row.field}</Table.Td>
                    <Table.Td>{row.problem}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
          <Group justify="flex-end" className={modalClasses.stickyFooter}>
            <Button variant="default" onClick={download} leftSection={<IconDownload size={16} aria-hidden />}>
              Download CSV
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

