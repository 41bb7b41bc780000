import { Alert, Center, Divider, Loader, Paper, Stack } from '@mantine/core';
import { useCallback } from 'react';
import { call } from '../../api/client';
import { PageHeader } from '../../ui/PageHeader';
import { useRemoteData } from '../../ui/useRemoteData';
import { PasswordPolicyForm } from '../accounts/PasswordPolicyForm';
import { EnrolmentPackagePanel } from '../workstation/EnrolmentPackagePanel';
import { WorkstationConnectionForm } from '../workstation/WorkstationConnectionForm';
import { DateFormatForm } from './DateFormatForm';
import { IdleLockForm } from './IdleLockForm';
import { ManagedSettingsNotice } from './ManagedSettings';
import { RecordKeepingForm } from './RecordKeepingForm';

export function SettingsPage() {
  const loadSettings = useCallback(() => call('settings.get', {}), []);
  const settings = useRemoteData(loadSettings);
  const loadConnection = useCallback(() => call('workstation.connection.get', {}), []);
  const connection = useRemoteData(loadConnection);
  const loadManaged = useCallback(() => call('settings.managed', {}), []);
  const managed = useRemoteData(loadManaged);
  // The forms wait for the policy too, so a locked control is never briefly editable.
  const locks = managed.data?.locked ?? null;
  const lockedBy = managed.data?.managedBy ?? '';
  return (
    <Stack gap="lg">
      <PageHeader title="Settings" description="Office-wide settings: kept in the shared database, they apply to everyone on every workstation." />
      {managed.error && (
        <Alert color="red" variant="light" role="alert">
          {managed.error}
        </Alert>
      )}
      {managed.data && <ManagedSettingsNotice view={managed.data} />}
      <Paper withBorder radius="md" p="lg" maw={640}>
        {settings.error && (
          <Alert color="red" variant="light" role="alert">
            {settings.error}
          </Alert>
        )}
        {settings.data && locks ? (
          <Stack gap="xl">
            <IdleLockForm current={settings.data} lockedBy={locks.idleLockMinutes !== undefined ? lockedBy : null} />
            <Divider />
            <RecordKeepingForm
              current={settings.data}
              lockedBy={{
                retentionDays: locks.retentionDays !== undefined ? lockedBy : null,
                requestDeadlineDays: locks.requestDeadlineDays !== undefined ? lockedBy : null,
              }}
            />
            <Divider />
            <PasswordPolicyForm current={settings.data} />
            <Divider />
            <DateFormatForm current={settings.data} />
          </Stack>
        ) : (
          settings.loading && (
            <Center p="md">
              <Loader aria-label="Loading settings" />
            </Center>
          )
        )}
      </Paper>
      <Paper withBorder radius="md" p="lg" maw={760}>
        {connection.error && (
          <Alert color="red" variant="light" role="alert">
            {connection.error}
          </Alert>
        )}
        {connection.data && locks ? (
          <WorkstationConnectionForm current={connection.data} lockedBy={locks.databaseConnection ? lockedBy : null} />
        ) : (
          connection.loading && (
            <Center p="md">
              <Loader aria-label="Loading the workstation connection" />
            </Center>
          )
        )}
      </Paper>
      <Paper withBorder radius="md" p="lg" maw={760}>
        <EnrolmentPackagePanel />
      </Paper>
    </Stack>
  );
}
