import { Button, Group, NumberInput, PasswordInput, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { ConnectionView } from '../../../../main/features/workstation/workstation.contract.std';
import {
  DEFAULT_POSTGRES_PORT,
  postgresConnection,
  type ProbeResult,
  type TlsMode,
  type WorkstationConnection,
} from '../../../../main/platform/store/connectionSettings.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { LockedBadge } from '../settings/ManagedSettings';
import { ConnectionResult } from './ConnectionResult';

interface Values {
  engine: 'sqlite' | 'postgresql';
  host: string;
  port: number | string;
  database: string;
  user: string;
  password: string;
  tlsMode: TlsMode;
  caFile: string;
}

function initialValues(view: ConnectionView): Values {
  const c = view.connection;
  if (c.engine === 'sqlite') return { engine: 'sqlite', host: '', port: DEFAULT_POSTGRES_PORT, database: 'privacy_console', user: 'console_app', password: '', tlsMode: 'verify-full', caFile: '' };
  return { engine: 'postgresql', host: c.host, port: c.port, database: c.database, user: c.user, password: '', tlsMode: c.tls.mode, caFile: c.tls.mode === 'verify-full' ? c.tls.caFile : '' };
}

function toConnection(v: Values): WorkstationConnection {
  if (v.engine === 'sqlite') return { engine: 'sqlite' };
  const tls = v.tlsMode === 'verify-full' ? { mode: 'verify-full' as const, caFile: v.caFile.trim() } : { mode: v.tlsMode };
  return { engine: 'postgresql', host: v.host.trim(), port: Number(v.port), database: v.database.trim(), user: v.user.trim(), tls };
}

/** Field errors from the same zod schema main enforces, mapped onto the form's field names. */
function validate(v: Values): Partial<Record<keyof Values, string>> {
  if (v.engine === 'sqlite') return {};
  const parsed = postgresConnection.safeParse(toConnection(v));
  const errors: Partial<Record<keyof Values, string>> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [first, second] = issue.path;
      const field = (first === 'tls' ? (second === 'caFile' ? 'caFile' : 'tlsMode') : first) as keyof Values;
      errors[field] ??= issue.message;
    }
  }
  return errors;
}

/** `lockedBy`: IT locked the connection (managed settings); only its password can still be entered here. */
export function WorkstationConnectionForm({ current, lockedBy }: { current: ConnectionView; lockedBy: string | null }) {
  const locked = lockedBy !== null;
  const [passwordStored, setPasswordStored] = useState(current.passwordStored);
  const [result, setResult] = useState<ProbeResult | null>(null);
  const saving = useSubmission();
  const testing = useSubmission();
  const form = useForm<Values>({ mode: 'controlled', initialValues: initialValues(current), validate });
  const v = form.values;
  const postgres = v.engine === 'postgresql';
  const password = () => (v.password === '' ? undefined : v.password);

  const test = () => {
    if (form.validate().hasErrors) return;
    setResult(null);
    void testing.run(async () => setResult(await call('workstation.connection.test', { connection: toConnection(v), password: password() })));
  };

  const save = form.onSubmit((values) =>
    saving.run(async () => {
      const saved = await call('workstation.connection.save', { connection: toConnection(values), password: values.password === '' ? undefined : values.password });
      setPasswordStored(saved.passwordStored);
      form.setFieldValue('password', '');
      notifySuccess('Connection saved. It applies the next time the console starts on this workstation.');
    }),
  );

  return (
    <form onSubmit={save} noValidate aria-labelledby="workstation-connection-title">
      <Stack>
        <div>
          <Group gap="sm">
            <Title order={2} size="h4" id="workstation-connection-title">
              Workstation connection
            </Title>
            {locked && <LockedBadge by={lockedBy} />}
          </Group>
          <Text size="sm" c="dimmed">
            Where this workstation keeps its records: its own database, or the office PostgreSQL database shared by several
            workstations. The password is kept in this computer's keychain, never in the settings file.
          </Text>
        </div>
        <FormFailure message={saving.failure ?? testing.failure} />
        <Radio.Group label="Database" description={locked ? `Locked by ${lockedBy}` : undefined} {...form.getInputProps('engine')} onChange={(value) => form.setFieldValue('engine', value as Values['engine'])}>
          <Group mt="xs">
            <Radio value="sqlite" label="This workstation only (built-in)" disabled={locked} />
            <Radio value="postgresql" label="Office database (PostgreSQL)" disabled={locked} />
          </Group>
        </Radio.Group>
        {postgres && (
          <>
            <Group grow align="flex-start">
              <TextInput label="Server host" description="Name or IP address" withAsterisk disabled={locked} {...form.getInputProps('host')} />
              <NumberInput label="Port" withAsterisk disabled={locked} min={1} max={65535} allowDecimal={false} allowNegative={false} maw={140} {...form.getInputProps('port')} />
            </Group>
            <Group grow align="flex-start">
              <TextInput label="Database name" withAsterisk disabled={locked} {...form.getInputProps('database')} />
              <TextInput label="User" withAsterisk disabled={locked} autoComplete="off" {...form.getInputProps('user')} />
            </Group>
            <PasswordInput
              label="Password"
              description={passwordStored ? 'A password is stored in the keychain; leave empty to keep it.' : 'Stored in this computer\'s keychain.'}
              withAsterisk={!passwordStored}
              autoComplete="new-password"
              {...form.getInputProps('password')}
            />
            <Radio.Group
              label="Secure connection (TLS)"
              description="Use verify-full on any shared network: it checks the server's certificate against the office CA."
              disabled={locked}
              {...form.getInputProps('tlsMode')}
              onChange={(value) => form.setFieldValue('tlsMode', value as TlsMode)}
            >
              <Stack mt="xs" gap="xs">
                <Radio value="verify-full" label="verify-full: encrypted, server certificate and name checked" disabled={locked} />
                <Radio value="require" label="require: encrypted, server not verified" disabled={locked} />
                <Radio value="disable" label="disable: not encrypted (same machine only)" disabled={locked} />
              </Stack>
            </Radio.Group>
            {v.tlsMode === 'verify-full' && (
              <TextInput
                label="CA certificate file"
                description="Full path to the office CA certificate (PEM) on this computer"
                placeholder="/etc/ssl/certs/office-ca.pem"
                withAsterisk
                disabled={locked}
                {...form.getInputProps('caFile')}
              />
            )}
          </>
        )}
        {result && <ConnectionResult result={result} />}
        <Group>
          <Button variant="default" onClick={test} loading={testing.submitting}>
            Test connection
          </Button>
          {/* Locked: only the password of a locked office database is this workstation's to enter. */}
          <Button type="submit" loading={saving.submitting} disabled={locked && !postgres}>
            {locked ? 'Save password' : 'Save connection'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
