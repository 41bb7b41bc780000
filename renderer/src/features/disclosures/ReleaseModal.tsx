import { Alert, Button, Checkbox, Code, CopyButton, Group, Modal, Progress, SegmentedControl, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { RequestDetail } from '../../../../main/features/disclosures/disclosures.contract.std';
import { errorMessage } from '../../api/ApiCallError';
import { FormFailure } from '../../ui/FormFailure';
import modalClasses from '../../ui/Modal.module.css';
import { useActiveSession } from '../session/sessionContext';
import { useRunningTask } from '../tasks/taskStore';
import { markReleaseSeen, RELEASE_TASK_KIND, startRelease, type Released } from './releaseTask';

interface ReleaseModalProps {
  request: RequestDetail;
  onClose(): void;
  onReleased(): void;
}

/**
 * Releases an approved request: the manager picks CSV or JSON and whether to encrypt, then chooses where to save.
 * The release runs as a task: this dialog may be closed (or the page left) while it runs, the header shows it, and
 * its result waits for the Disclosures page (`ReleasedModal`).
 */
export function ReleaseModal({ request, onClose, onReleased }: ReleaseModalProps) {
  const { userId } = useActiveSession();
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [encrypt, setEncrypt] = useState(true);
  const [failure, setFailure] = useState<string | null>(null);
  const running = useRunningTask(RELEASE_TASK_KIND);
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);

  const release = () => {
    setFailure(null);
    startRelease(request, { format, encrypt }, userId).done.then(
      () => mounted.current && onReleased(),
      (error: unknown) => mounted.current && setFailure(errorMessage(error)),
    );
  };

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
            disabled={running !== null}
          />
        </div>
        <Checkbox
          checked={encrypt}
          onChange={(event) => setEncrypt(event.currentTarget.checked)}
          label="Encrypt with a one-time passphrase (age)"
          description="Recommended whenever the file leaves by email or on removable media."
          disabled={running !== null}
        />
        {running && (
          <Stack gap={4}>
            <Text size="sm" role="status">
              A release is running. You may close this dialog: the header&apos;s task indicator follows it, and its result (with any passphrase) waits under Disclosures.
            </Text>
            {running.total !== null && running.total > 0 && (
              <Progress
                value={Math.round((running.done / running.total) * 100)}
                aria-label="Release progress"
                aria-valuetext={`${running.done} of ${running.total} customers`}
              />
            )}
          </Stack>
        )}
        <FormFailure message={failure} title="Not released" />
        <Group justify="flex-end" className={modalClasses.stickyFooter}>
          <Button variant="default" onClick={onClose}>
            {running ? 'Close' : 'Cancel'}
          </Button>
          <Button loading={running !== null} onClick={release} data-autofocus>
            Choose where to save and release
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A finished release, shown once: its file, its SHA-256 in the register and the one-time passphrase. */
export function ReleasedModal({ released }: { released: Released }) {
  const done = () => markReleaseSeen(released);
  return (
    <Modal opened onClose={done} title="Disclosure released" size="lg" centered>
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
          <Button onClick={done} data-autofocus>
            Done
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
