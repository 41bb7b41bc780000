import { Alert, Badge, Button, Center, Checkbox, Group, Loader, NumberInput, Paper, PasswordInput, Progress, Stack, Switch, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDatabaseExport, IconRestore } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChannelOutput } from '../../../../main/api.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { formatDateTime } from '../../ui/format';
import { notifyFailure, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { useRemoteData } from '../../ui/useRemoteData';
import { useSubmission } from '../../ui/useSubmission';
import { cancelTask, runTask, useRunningTask } from '../tasks/taskStore';
import { RestoreModal } from './RestoreModal';

type Status = ChannelOutput<'backup.status'>;
type Backup = Status['backups'][number];

const MIN_PASSPHRASE = 20;
// The job's own kind, so the header does not list it a second time as a job.
const BACKUP_TASK_KIND = 'backup';

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString()} KB`;
  return `${(bytes / (1024 * 1024)).toLocaleString(undefined, { maximumFractionDigits: 1 })} MB`;
}

/** IT: encrypted backups of this workstation's database, their schedule, and restoring one. */
export function BackupsPage() {
  const load = useCallback(() => call('backup.status', {}), []);
  const status = useRemoteData(load);
  const [restoring, setRestoring] = useState<Backup | null>(null);
  return (
    <Stack gap="lg">
      <PageHeader title="Backups" description="Encrypted copies of this workstation's database, made now or on a schedule, and restoring one of them." />
      {status.error && (
        <Alert color="red" variant="light" role="alert">
          {status.error}
        </Alert>
      )}
      {status.loading && (
        <Center p="md">
          <Loader aria-label="Loading backups" />
        </Center>
      )}
      {status.data && status.data.engine === 'postgresql' && (
        <Alert color="blue" variant="light" title="Backed up on the database server">
          This workstation uses the office PostgreSQL database. The database administrator backs it up on the server with
          scripts/pg-backup.sh (an encrypted pg_dump) and restores it the same way; see "Backup and restore (IT)" in the README.
        </Alert>
      )}
      {status.data && status.data.engine === 'sqlite' && (
        <>
          <Paper withBorder radius="md" p="lg" maw={760}>
            <BackupNow status={status.data} onDone={status.reload} />
          </Paper>
          <Paper withBorder radius="md" p="lg" maw={760}>
            <ScheduleForm status={status.data} onSaved={status.reload} />
          </Paper>
          <Paper withBorder radius="md" p="lg">
            <BackupList status={status.data} onRestore={setRestoring} />
          </Paper>
        </>
      )}
      {restoring && (
        <RestoreModal
          backup={restoring}
          onClose={(restored) => {
            setRestoring(null);
            if (restored) status.reload();
          }}
        />
      )}
    </Stack>
  );
}

function BackupNow({ status, onDone }: { status: Status; onDone(): void }) {
  // The backup is a task kept outside the page: coming back while it runs shows its progress and Cancel again.
  const running = useRunningTask(BACKUP_TASK_KIND);
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'controlled',
    initialValues: { usePassphrase: false, passphrase: '' },
    validate: {
      passphrase: (value, values) => (values.usePassphrase && [...value].length < MIN_PASSPHRASE ? `At least ${MIN_PASSPHRASE} characters` : null),
    },
  });
  // Whichever visit of the page started it, its end refreshes the list and the last backup shown.
  const runningId = running?.taskId ?? null;
  const wasRunning = useRef<string | null>(null);
  useEffect(() => {
    if (wasRunning.current && !runningId) onDone();
    wasRunning.current = runningId;
  }, [runningId, onDone]);
  const submit = form.onSubmit((values) =>
    run(async () => {
      const id = crypto.randomUUID();
      // The header indicator keeps its progress and says when it ends, wherever the person goes meanwhile.
      await runTask({
        taskId: id,
        kind: BACKUP_TASK_KIND,
        label: 'Backup',
        path: '/backups',
        run: () => call('backup.create', { taskId: id, ...(values.usePassphrase ? { passphrase: values.passphrase } : {}) }),
        outcome: (made) => `Backup written: ${made.file} (${formatBytes(made.bytes)}).`,
        cancel: () => call('backup.cancel', { taskId: id }),
        progressText: (done, total) => `${formatBytes(done)} of ${formatBytes(total)}`,
      });
      form.setFieldValue('passphrase', '');
    }),
  );
  const last = status.last;
  return (
    <Stack>
      <div>
        <Title order={2} size="h4">
          Back up now
        </Title>
        <Text size="sm" c="dimmed">
          A consistent copy of the database, encrypted before it is written to {status.folder}. By default it opens only with this
          database's key (kept in the keychain); a passphrase makes a copy that can be kept away from it.
        </Text>
      </div>
      <Text size="sm" data-testid="last-backup">
        Last backup:{' '}
        {last ? (
          <>
            {formatDateTime(last.at)} — {last.ok ? `written, ${formatBytes(last.bytes)}` : `failed (${last.code ?? 'error'})`}
            {last.scheduled ? ' (scheduled)' : ''}
          </>
        ) : (
          'none yet'
        )}
      </Text>
      <form onSubmit={submit} noValidate aria-label="Back up now">
        <Stack>
          <FormFailure message={failure} />
          <Checkbox label="Protect this backup with a passphrase instead of this database's key" {...form.getInputProps('usePassphrase', { type: 'checkbox' })} />
          {form.values.usePassphrase && (
            <PasswordInput label="Backup passphrase" description={`At least ${MIN_PASSPHRASE} characters. Without it the backup cannot be restored.`} autoComplete="new-password" withAsterisk {...form.getInputProps('passphrase')} />
          )}
          {running && (
            <div>
              <Progress value={running.total ? (running.done / running.total) * 100 : 0} aria-label="Backup progress" size="lg" animated />
              <Text size="xs" c="dimmed" mt={4} aria-live="polite">
                {running.total ? `${formatBytes(running.done)} of ${formatBytes(running.total)} encrypted` : 'Taking a consistent copy…'}
              </Text>
            </div>
          )}
          <Group>
            <Button type="submit" loading={submitting || running !== null} leftSection={<IconDatabaseExport size={18} aria-hidden />} disabled={status.busy && !running}>
              Back up now
            </Button>
            {running && (
              <Button variant="default" onClick={() => cancelTask(running.taskId)} disabled={running.cancelling}>
                Cancel backup
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

function ScheduleForm({ status, onSaved }: { status: Status; onSaved(): void }) {
  const { submitting, failure, run } = useSubmission();
  const locked = status.lockedBy !== null;
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      enabled: status.schedule.enabled,
      folder: status.schedule.folder ?? '',
      intervalHours: status.schedule.intervalHours as number | string,
      keep: status.schedule.keep as number | string,
    },
    validate: {
      folder: (value) => (value.trim() === '' || value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\') ? null : 'An absolute path, or empty for the default folder'),
      intervalHours: (h) => (Number.isInteger(Number(h)) && Number(h) >= 1 && Number(h) <= 720 ? null : 'Whole hours from 1 to 720'),
      keep: (n) => (Number.isInteger(Number(n)) && Number(n) >= 1 && Number(n) <= 100 ? null : 'From 1 to 100'),
    },
  });
  const submit = form.onSubmit((values) =>
    run(async () => {
      await call('backup.saveSchedule', { enabled: values.enabled, folder: values.folder.trim() || null, intervalHours: Number(values.intervalHours), keep: Number(values.keep) });
      notifySuccess('Schedule saved');
      onSaved();
    }),
  );
  return (
    <Stack>
      <div>
        <Title order={2} size="h4">
          Scheduled backups
        </Title>
        <Text size="sm" c="dimmed">
          While the console is open, a backup is made whenever the interval has passed since the last one; only the newest ones are
          kept. Choose a folder on another disk or a network share only IT can read.
        </Text>
      </div>
      {locked && (
        <Alert color="gray" variant="light" role="status">
          Locked by {status.lockedBy}.
        </Alert>
      )}
      <form onSubmit={submit} noValidate aria-label="Backup schedule">
        <Stack>
          <FormFailure message={failure} />
          <Switch label="Back up on a schedule" disabled={locked} {...form.getInputProps('enabled', { type: 'checkbox' })} />
          <Group align="flex-end" wrap="nowrap">
            <TextInput label="Backup folder" description="Full path; empty for the backups folder beside the database" disabled={locked} style={{ flex: 1 }} {...form.getInputProps('folder')} />
            <Button
              variant="default"
              disabled={locked}
              onClick={() =>
                void call('backup.chooseFolder', {}).then(
                  ({ folder }) => folder && form.setFieldValue('folder', folder),
                  (error: unknown) => notifyFailure('No folder chosen', error),
                )
              }
            >
              Choose…
            </Button>
          </Group>
          <Group grow maw={480}>
            <NumberInput label="Every (hours)" min={1} max={720} allowDecimal={false} allowNegative={false} disabled={locked} {...form.getInputProps('intervalHours')} />
            <NumberInput label="Keep the newest" min={1} max={100} allowDecimal={false} allowNegative={false} disabled={locked} {...form.getInputProps('keep')} />
          </Group>
          {status.nextDueAt && (
            <Text size="sm" c="dimmed">
              Next backup: {formatDateTime(status.nextDueAt)}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={submitting} disabled={locked}>
              Save schedule
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

function BackupList({ status, onRestore }: { status: Status; onRestore(backup: Backup): void }) {
  return (
    <Stack>
      <div>
        <Title order={2} size="h4">
          Backups in the folder
        </Title>
        <Text size="sm" c="dimmed">
          Restoring replaces the database with the backup. Customers deleted since it was made are deleted again; the current
          database is kept aside beside it.
        </Text>
      </div>
      {status.unreadable > 0 && (
        <Alert color="orange" variant="light" role="status">
          {status.unreadable} file(s) in the folder look like backups but cannot be read as one.
        </Alert>
      )}
      {status.backups.length === 0 ? (
        <Text size="sm">No backups in {status.folder} yet.</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover aria-label="Backups">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Made</Table.Th>
                <Table.Th scope="col">File</Table.Th>
                <Table.Th scope="col">Size</Table.Th>
                <Table.Th scope="col">Opens with</Table.Th>
                <Table.Th scope="col">Version</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {status.backups.map((backup) => (
                <Table.Tr key={backup.file}>
                  <Table.Td>{formatDateTime(backup.createdAt)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {backup.file}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatBytes(backup.bytes)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={backup.keySource === 'kek' ? 'blue' : 'grape'}>
                      {backup.keySource === 'kek' ? 'Database key' : 'Passphrase'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {backup.appVersion} (schema {backup.schemaVersion})
                  </Table.Td>
                  <Table.Td>
                    {backup.thisDatabase && !backup.underCurrentKey ? (
                      <Text size="xs" c="dimmed">
                        Made under an earlier key-encryption key (before a rotation): it cannot be restored with this one
                      </Text>
                    ) : backup.thisDatabase ? (
                      <Button size="xs" variant="light" color="red" leftSection={<IconRestore size={16} aria-hidden />} onClick={() => onRestore(backup)} aria-label={`Restore the backup made ${formatDateTime(backup.createdAt)}`}>
                        Restore…
                      </Button>
                    ) : (
                      <Text size="xs" c="dimmed">
                        Another database
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
