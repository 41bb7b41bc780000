import { Alert, List, Text } from '@mantine/core';
import type { ProbeOutcome, ProbeResult } from '../../../../main/platform/store/connectionSettings.std';

const TITLES: Record<ProbeOutcome, string> = {
  ok: 'Connection works',
  unreachable: 'Server not reachable',
  auth_failed: 'Sign-in to the database refused',
  tls_failed: 'Secure connection (TLS) failed',
  database_missing: 'Database not found',
  not_initialised: 'Database not set up yet',
  db_newer: 'Database from a newer app version',
  app_outdated: 'Update this workstation',
  key_not_enrolled: 'Workstation not enrolled',
  key_mismatch: 'Wrong key on this workstation',
  keychain_unavailable: 'Keychain not available',
};

/** "Test connection" in words: a title per outcome, the sentence from main, and the steps to take. */
export function ConnectionResult({ result }: { result: ProbeResult }) {
  const good = result.outcome === 'ok';
  const facts = [result.schemaVersion !== null ? `schema ${result.schemaVersion}` : null, result.installId ? `install ${result.installId}` : null].filter(Boolean);
  return (
    <Alert color={good ? 'teal' : 'red'} variant="light" title={TITLES[result.outcome]} role="status" data-outcome={result.outcome}>
      <Text size="sm">{result.message}</Text>
      {facts.length > 0 && (
        <Text size="xs" c="dimmed" mt={4}>
          {facts.join(' · ')}
        </Text>
      )}
      {result.steps.length > 0 && (
        <List size="sm" mt="xs" type="ordered">
          {result.steps.map((step) => (
            <List.Item key={step}>{step}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
