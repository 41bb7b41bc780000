import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { useState } from 'react';
import type { AuditVerification } from '../../../../main/features/audit/audit.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { useSubmission } from '../../ui/useSubmission';

function VerificationResult({ result }: { result: AuditVerification }) {
  if (result.ok) {
    return (
      <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} title="Chain intact">
        All {result.checked} events verified; none was altered, inserted or removed.
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" icon={<IconShieldX aria-hidden />} title="Chain broken">
      Checked {result.checked} events. The first problem is at event #{result.firstBrokenSeq ?? '?'}
      {result.reason ? `: ${result.reason}` : ''}. Report this to your data protection officer.
    </Alert>
  );
}

/** Re-walks the whole hash chain in main; any edited, inserted or deleted event shows up here. */
export function VerifyChainCard({ onVerified }: { onVerified(): void }) {
  const [result, setResult] = useState<AuditVerification | null>(null);
  const { submitting, failure, run } = useSubmission();

  const verify = () =>
    run(async () => {
      setResult(await call('audit.verify', {}));
      // Verifying is itself audited, so the list has a new event.
      onVerified();
    });

  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Text fw={600}>Integrity check</Text>
          <Text size="sm" c="dimmed">
            Each event is chained to the one before it with a keyed hash. Verifying recomputes the whole chain.
          </Text>
        </div>
        <Button variant="light" leftSection={<IconShieldCheck size={18} aria-hidden />} loading={submitting} onClick={() => void verify()}>
          Verify chain
        </Button>
      </Group>
      {(result || failure) && (
        <Stack mt="md" role="status">
          {result && <VerificationResult result={result} />}
          <FormFailure message={failure} />
        </Stack>
      )}
    </Paper>
  );
}
