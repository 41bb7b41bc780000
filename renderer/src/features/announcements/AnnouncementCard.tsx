import { Alert, Badge, Button, FileButton, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { IconDownload, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import type { AnnouncementView } from '../../../../main/features/announcements/announcements.contract.std';
import type { ChannelOutput } from '../../../../main/api.std';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { FormFailure } from '../../ui/FormFailure';
import { useSubmission } from '../../ui/useSubmission';
import { useActiveSession } from '../session/sessionContext';
import { AUDIENCE_LABELS, CHANNEL_LABELS, RECIPIENT_STATUS_COLORS, RECIPIENT_STATUS_LABELS } from './labels';
import { RecipientsTable } from './RecipientsTable';
import { runTask } from '../tasks/taskStore';
import { TaskProgress } from './TaskProgress';
import { useTaskProgress } from './useTaskProgress';

type ImportResult = ChannelOutput<'announcements.importResults'>;

export function AnnouncementCard({ announcement: a, onChanged }: { announcement: AnnouncementView; onChanged(): void }) {
  const session = useActiveSession();
  const manages = roleHolds(session.role, 'announcements.manage');
  const [showRecipients, setShowRecipients] = useState(false);
  const [taskId, setTaskId] = useState<string | null>(null);
  const progress = useTaskProgress(taskId);
  const exporting = useSubmission();
  const importing = useSubmission();
  const [imported, setImported] = useState<ImportResult | null>(null);

  const exportList = () => {
    const id = crypto.randomUUID();
    setTaskId(id);
    void exporting
      .run(async () => {
        await runTask({
          taskId: id,
          kind: 'outreach.csv_export',
          label: 'Mailing list export',
          path: '/announcements',
          run: () => call('announcements.exportMailingList', { announcementId: a.id, taskId: id }),
          outcome: (result) =>
            result.saved ? `Mailing list saved: ${result.rows.toLocaleString()} ${result.rows === 1 ? 'recipient' : 'recipients'} in ${result.fileName ?? 'the file'}.` : 'Not saved: no file was chosen.',
        });
      })
      .then(() => setTaskId(null));
  };
  const importFile = (file: File | null) => {
    if (!file) return;
    setImported(null);
    void importing.run(async () => {
      const result = await call('announcements.importResults', { announcementId: a.id, csv: await file.text() });
      setImported(result);
      onChanged();
    });
  };
  const headingId = `announcement-${a.id}`;
  return (
    <Paper withBorder radius="md" p="md" component="article" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={3} size="h4" id={headingId}>
              {a.title}
            </Title>
            <Text size="sm" c="dimmed">
              Version {a.policyVersion} · {AUDIENCE_LABELS[a.audience]} · {CHANNEL_LABELS[a.channel]} · prepared {formatDateTime(a.createdAt)} by {a.createdByName ?? 'a removed account'}
            </Text>
          </div>
          <Badge color={a.status === 'ready' ? 'teal' : 'orange'} variant="light">
            {a.status === 'ready' ? `${a.recipientCount.toLocaleString()} ${a.recipientCount === 1 ? 'recipient' : 'recipients'}` : 'Listing recipients…'}
          </Badge>
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
          {a.summary}
        </Text>
        <Group gap="xs" aria-label="Recipients by status">
          {(Object.keys(a.counts) as (keyof typeof a.counts)[]).map((s) => (
            <Badge key={s} color={RECIPIENT_STATUS_COLORS[s]} variant="outline">
              {RECIPIENT_STATUS_LABELS[s]}: {a.counts[s].toLocaleString()}
            </Badge>
          ))}
        </Group>
        <Group gap="xs">
          {manages && (
            <Button size="sm" variant="light" leftSection={<IconDownload size={16} aria-hidden />} onClick={exportList} loading={exporting.submitting} disabled={a.status !== 'ready'}>
              Export mailing list (CSV)
            </Button>
          )}
          {manages && (
            <FileButton onChange={importFile} accept=".csv,text/csv">
              {(props) => (
                <Button {...props} size="sm" variant="light" leftSection={<IconUpload size={16} aria-hidden />} loading={importing.submitting}>
                  Import mail results (CSV)
                </Button>
              )}
            </FileButton>
          )}
          <Button size="sm" variant="default" onClick={() => setShowRecipients((v) => !v)} aria-expanded={showRecipients}>
            {showRecipients ? 'Hide recipients' : 'Show recipients'}
          </Button>
        </Group>
        {exporting.submitting && <TaskProgress label="Writing the mailing list" progress={progress} />}
        <FormFailure title="Not exported" message={exporting.failure} />
        <FormFailure title="Results not imported" message={importing.failure} />
        {imported && (
          <Alert color={imported.problemRows ? 'orange' : 'teal'} variant="light" title="Mail results imported" role="status">
            <Text size="sm">
              {imported.rows.toLocaleString()} rows: {imported.updated.toLocaleString()} updated, {imported.unchanged.toLocaleString()} already up to date,{' '}
              {imported.problemRows.toLocaleString()} not applied.
            </Text>
            {imported.problems.length > 0 && (
              <List size="sm" mt="xs" spacing={2}>
                {imported.problems.map((p) => (
                  <List.Item key={p.line}>
                    Line {p.line}: {p.problem}
                  </List.Item>
                ))}
              </List>
            )}
            {imported.problemsTruncated && <Text size="xs">Only the first problems are listed.</Text>}
          </Alert>
        )}
        {showRecipients && <RecipientsTable announcementId={a.id} onChanged={onChanged} />}
      </Stack>
    </Paper>
  );
}
