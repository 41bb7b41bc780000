import { Alert, Button, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { AuditVerification } from '../../../../main/features/audit/audit.contract.std';
import { call } from '../../api/client';
import { onApiEvent } from '../../api/events';
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

/**
 * Re-walks the whole hash chain in main; any edited, inserted or deleted event shows up here. A million events
 * take a while: main reports how many it has checked, shown as a progress bar.
 */
export function VerifyChainCard({ onVerified }: { onVerified(): void }) {
  const [result, setResult] = useState<AuditVerification | null>(null);
  const [taskId, setTaskId] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const { submitting, failure, run } = useSubmission();

  useEffect(() => {
    if (!taskId) return undefined;
    return onApiEvent('progress', (event) => {
      if (event.taskId === taskId) setProgress({ done: event.done, total: event.total });
    });
  }, [taskId]);

  const verify = () =>
    run(async () => {
      const task = crypto.randomUUID();
      setTaskId(task);
      setProgress(null);
      setResult(null);
      try {
        setResult(await call('audit.verify', { taskId: task }));
      } finally {
        setTaskId(null);
      }
      // Verifying is itself audited, so the list has a new event.
      onVerified();
    });

  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;

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
      {submitting && (
        <Stack mt="md" gap={4}>
          <Progress value={progress ? percent : 100} striped={!progress} animated={!progress} aria-label="Verification progress" />
          <Text size="sm" c="dimmed" aria-live="polite">
            {progress ? `${progress.done.toLocaleString()} of ${progress.total.toLocaleString()} events checked (${percent}%)` : 'Starting…'}
          </Text>
        </Stack>
      )}
      {(result || failure) && (
        <Stack mt="md" role="status">
          {result && <VerificationResult result={result} />}
          <FormFailure message={failure} />
        </Stack>
      )}
    </Paper>
  );
}
