import { Alert, Button, Checkbox, Code, CopyButton, Group, Modal, Progress, SegmentedControl, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { onApiEvent } from '../../api/events';
import type { ChannelOutput } from '../../../../main/api.std';
import type { RequestDetail } from '../../../../main/features/disclosures/disclosures.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { useSubmission } from '../../ui/useSubmission';
import modalClasses from '../../ui/Modal.module.css';

type Released = ChannelOutput<'disclosures.release'>;

interface ReleaseModalProps {
  request: RequestDetail;
  onClose(): void;
  onReleased(): void;
}

/**
 * Releases an approved request: the manager picks CSV or JSON and whether to encrypt, then chooses where to save.
 * An encrypted release's passphrase is shown here once; it is never stored, so it must be passed on now.
 */
export function ReleaseModal({ request, onClose, onReleased }: ReleaseModalProps) {
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [encrypt, setEncrypt] = useState(true);
  const [released, setReleased] = useState<Released | null>(null);
  const { submitting, failure, run } = useSubmission();
  const [taskId, setTaskId] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  useEffect(() => (taskId ? onApiEvent('progress', (event) => event.taskId === taskId && setProgress({ done: event.done, total: event.total })) : undefined), [taskId]);

  const release = () =>
    run(async () => {
      const task = crypto.randomUUID();
      setTaskId(task);
      setProgress(null);
      setReleased(await call('disclosures.release', { taskId: task, requestId: request.id, format, encrypt }));
    });

  if (released) {
    return (
      <Modal opened onClose={onReleased} title="Disclosure released" size="lg" centered>
        <Stack>
          <Text size="sm">
            Saved as <Code>{released.fileName}</Code> with {released.rows} row(s). The register records its SHA-256:
          </Text>
          <Code block style={{ overflowWrap: 'anywhere' }}>
            {released.fileSha256}
          </Code>
          {released.passphrase && (
            <Alert color="orange" variant="light" title="One-time passphrase — shown only now" role="status">
              <Stack gap="xs">
                <Text size="sm">Give it to the recipient by another channel than the file (for example by phone). It is not stored anywhere.</Text>
                <Group gap="xs">
                  <Code fz="md" aria-label="Passphrase">
                    {released.passphrase}
                  </Code>
                  <CopyButton value={released.passphrase}>
                    {({ copied, copy }) => (
                      <Button size="compact-sm" variant="light" onClick={copy}>
                        {copied ? 'Copied' : 'Copy'}
                      </Button>
                    )}
                  </CopyButton>
                </Group>
              </Stack>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button onClick={onReleased} data-autofocus>
              Done
            </Button>
          </Group>
        </Stack>
      </Modal>
    );
  }

  return (
    <Modal opened onClose={onClose} title="Release this disclosure" size="lg" centered>
      <Stack>
        <Text size="sm">
          The rules are checked again now (consent, quarantined or erased customers, the recipient's fields). The file holds exactly the approved fields for{' '}
          {request.customerCount} customer(s); you choose where to save it next.
        </Text>
        <div>
          <Text size="sm" fw={500} id="release-format-label">
            File format
          </Text>
          <SegmentedControl
            value={format}
            onChange={(value) => setFormat(value as 'csv' | 'json')}
            data={[
              { value: 'csv', label: 'CSV' },
              { value: 'json', label: 'JSON' },
            ]}
            aria-labelledby="release-format-label"
          />
        </div>
        <Checkbox
          checked={encrypt}
          onChange={(event) => setEncrypt(event.currentTarget.checked)}
          label="Encrypt with a one-time passphrase (age)"
          description="Recommended whenever the file leaves by email or on removable media."
        />
        {submitting && progress && progress.total > 0 && (
          <Progress value={Math.round((progress.done / progress.total) * 100)} aria-label="Release progress" aria-valuetext={`${progress.done} of ${progress.total} customers`} />
        )}
        <FormFailure message={failure} title="Not released" />
        <Group justify="flex-end" className={modalClasses.stickyFooter}>
          <Button variant="default" onClick={onClose} disabled={submitting}>
            Cancel
          </Button>
          <Button loading={submitting} onClick={() => void release()} data-autofocus>
            Choose where to save and release
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
