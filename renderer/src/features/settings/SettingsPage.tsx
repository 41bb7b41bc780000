import { Alert, Center, Divider, Loader, Paper, Stack } from '@mantine/core';
import { useCallback } from 'react';
import { call } from '../../api/client';
import { PageHeader } from '../../ui/PageHeader';
import { useRemoteData } from '../../ui/useRemoteData';
import { PasswordPolicyForm } from '../accounts/PasswordPolicyForm';
import { EnrolmentPackagePanel } from '../workstation/EnrolmentPackagePanel';
import { WorkstationConnectionForm } from '../workstation/WorkstationConnectionForm';
import { IdleLockForm } from './IdleLockForm';
import { RecordKeepingForm } from './RecordKeepingForm';

export function SettingsPage() {
  const loadSettings = useCallback(() => call('settings.get', {}), []);
  const settings = useRemoteData(loadSettings);
  const loadConnection = useCallback(() => call('workstation.connection.get', {}), []);
  const connection = useRemoteData(loadConnection);
  return (
    <Stack gap="lg">
      <PageHeader title="Settings" description="Office-wide settings: kept in the shared database, they apply to everyone on every workstation." />
      <Paper withBorder radius="md" p="lg" maw={640}>
        {settings.error && (
          <Alert color="red" variant="light" role="alert">
            {settings.error}
          </Alert>
        )}
        {settings.data ? (
          <Stack gap="xl">
            <IdleLockForm current={settings.data} />
            <Divider />
            <RecordKeepingForm current={settings.data} />
            <Divider />
            <PasswordPolicyForm current={settings.data} />
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
        {connection.data ? (
          <WorkstationConnectionForm current={connection.data} />
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
