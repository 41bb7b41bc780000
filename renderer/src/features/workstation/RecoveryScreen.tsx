import { Alert, Button, Center, List, Loader, PasswordInput, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useCallback, useState } from 'react';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { useRemoteData } from '../../ui/useRemoteData';
import { useSubmission } from '../../ui/useSubmission';
import { AuthLayout } from '../session/AuthLayout';

/**
 * Shown instead of the console when it could not open (main loads `#recovery`): why, the steps, and — when the key
 * is what is missing — the form that imports an enrolment package. Works before anyone can sign in.
 */
export function RecoveryScreen() {
  const load = useCallback(() => call('workstation.recovery.status', {}), []);
  const status = useRemoteData(load);
  const [enrolled, setEnrolled] = useState(false);
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { packageText: '', secondShare: '', passphrase: '' },
    validate: {
      packageText: (value) => (value.trim() ? null : 'Paste the enrolment package'),
      passphrase: (value) => (value ? null : 'Enter the passphrase'),
    },
  });
  const submit = form.onSubmit((values) =>
    run(async () => {
      const second = values.secondShare.trim();
      await call('workstation.recovery.enrol', { packageText: values.packageText.trim(), passphrase: values.passphrase, ...(second ? { moreShares: [second] } : {}) });
      setEnrolled(true);
    }),
  );

  const s = status.data;
  if (!s) {
    return (
      <AuthLayout title="Starting the console">
        {status.error ? <FormFailure message={status.error} /> : <Center p="md"><Loader aria-label="Loading" /></Center>}
      </AuthLayout>
    );
  }
  if (s.mode === 'open') {
    return (
      <AuthLayout title="The console is open">
        <Text size="sm">This workstation already opens its database. Nothing needs to be recovered.</Text>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={enrolled ? 'Workstation enrolled' : 'The console cannot open'} description={enrolled ? undefined : s.message}>
      <Stack>
        {!enrolled && s.steps.length > 0 && (
          <div>
            <Text fw={600} size="sm">
              What to do
            </Text>
            <List type="ordered" size="sm" mt={4}>
              {s.steps.map((step) => (
                <List.Item key={step}>{step}</List.Item>
              ))}
            </List>
          </div>
        )}
        {enrolled ? (
          <Alert color="teal" variant="light" title="The office key is installed" role="status">
            The office key is now in this computer's keychain. The console restarts and opens.
          </Alert>
        ) : (
          s.canEnrol && (
            <form onSubmit={submit} noValidate aria-label="Enrol this workstation">
              <Stack>
                <Text fw={600} size="sm">
                  Enrol this workstation
                </Text>
                <FormFailure message={failure} />
                <Textarea label="Enrolment package" description="Paste the package IT created on a workstation that opens the database, or a recovery kit (or one share of it)" autosize minRows={4} maxRows={8} styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }} withAsterisk key={form.key('packageText')} {...form.getInputProps('packageText')} />
                <Textarea
                  label="Second share (split recovery kit only)"
                  description="A kit split for custodians needs two of its three shares: paste one above and another here"
                  autosize
                  minRows={2}
                  maxRows={8}
                  styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
                  key={form.key('secondShare')}
                  {...form.getInputProps('secondShare')}
                />
                <PasswordInput label="Passphrase" withAsterisk autoComplete="off" key={form.key('passphrase')} {...form.getInputProps('passphrase')} />
                <Button type="submit" loading={submitting}>
                  Enrol this workstation
                </Button>
              </Stack>
            </form>
          )
        )}
      </Stack>
    </AuthLayout>
  );
}
