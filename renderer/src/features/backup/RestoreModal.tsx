import { Alert, Button, Checkbox, Group, List, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import type { ChannelOutput } from '../../../../main/api.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { formatDateTime } from '../../ui/format';
import { useSubmission } from '../../ui/useSubmission';

type Backup = ChannelOutput<'backup.status'>['backups'][number];
type Restored = ChannelOutput<'backup.restore'>;

/**
 * Restoring a backup: what it does in words, the passphrase when the backup has one, and an explicit confirmation.
 * Main asks for the password again (the session feature's prompt) before anything happens.
 */
export function RestoreModal({ backup, onClose }: { backup: Backup; onClose(restored: boolean): void }) {
  const { submitting, failure, run } = useSubmission();
  const [restored, setRestored] = useState<Restored | null>(null);
  const needsPassphrase = backup.keySource === 'passphrase';
  const form = useForm({
    mode: 'controlled',
    initialValues: { passphrase: '', understood: false },
    validate: {
      passphrase: (value) => (needsPassphrase && value.length === 0 ? 'Enter the passphrase of this backup' : null),
      understood: (value) => (value ? null : 'Confirm that the database will be replaced'),
    },
  });
  const submit = form.onSubmit((values) =>
    run(async () => {
      const result = await call('backup.restore', { file: backup.file, confirm: true, ...(needsPassphrase ? { passphrase: values.passphrase } : {}) });
      form.setFieldValue('passphrase', '');
      setRestored(result);
    }),
  );
  const close = () => {
    if (!submitting) onClose(restored !== null);
  };
  return (
    <Modal opened onClose={close} title="Restore this backup?" centered size="lg" closeOnClickOutside={!submitting} closeOnEscape={!submitting}>
      {restored ? (
        <Stack>
          <Alert color="teal" variant="light" title="Restored" role="status">
            <Text size="sm">
              The database is now the backup made {formatDateTime(restored.backupCreatedAt)}.{' '}
              {restored.deletionsReapplied === 0
                ? 'No customer deleted since then had to be deleted again.'
                : `${restored.deletionsReapplied} customer(s) deleted since then were deleted again.`}
            </Text>
            <Text size="sm" mt="xs">
              The database as it was before is kept aside as <code>{restored.keptAside}</code>. The restore is recorded in the audit log.
            </Text>
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close} data-autofocus>
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate aria-label="Restore a backup">
          <Stack>
            <Group wrap="nowrap" align="flex-start" gap="sm">
              <IconAlertTriangle size={28} stroke={1.5} aria-hidden />
              <Text size="sm">
                The database will be replaced by the backup made <strong>{formatDateTime(backup.createdAt)}</strong> ({backup.file}).
              </Text>
            </Group>
            <List size="sm" spacing={4}>
              <List.Item>Everything recorded after that time is no longer in the database (it stays in the copy kept aside).</List.Item>
              <List.Item>Customers deleted after that time are deleted again.</List.Item>
              <List.Item>The backup is checked first; a damaged or altered backup is refused and nothing changes.</List.Item>
              <List.Item>Other windows wait while the database is switched; you will be asked for your password.</List.Item>
            </List>
            <FormFailure message={failure} />
            {needsPassphrase && <PasswordInput label="Backup passphrase" autoComplete="off" withAsterisk data-autofocus {...form.getInputProps('passphrase')} />}
            <Checkbox label="I understand that the current database will be replaced by this backup" {...form.getInputProps('understood', { type: 'checkbox' })} data-autofocus={needsPassphrase ? undefined : true} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close} disabled={submitting}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={submitting}>
                Restore this backup
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
