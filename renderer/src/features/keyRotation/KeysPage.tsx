import { Alert, Badge, Button, Card, Group, Modal, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../../main/api.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { PageHeader } from '../../ui/PageHeader';
import { RemoteStatus } from '../../ui/RemoteStatus';
import { formatDateTime } from '../../ui/format';
import { notifySuccess } from '../../ui/notify';
import { useRemoteData } from '../../ui/useRemoteData';
import { useSubmission } from '../../ui/useSubmission';
import { RecoveryKitPanel } from './RecoveryKitPanel';

type Status = ChannelOutput<'keys.status'>;
type Rotation = 'kek' | 'dek-wrap' | 'audit' | 'blind-index';

const KEY_LABELS: Record<string, string> = {
  kek: 'Key-encryption key (KEK)',
  'dek-wrap': 'Data-key wrapping key',
  'blind-index': 'Search index key',
  audit: 'Audit chain key',
};

const ROTATION_TEXT: Record<Rotation, { title: string; body: string; action: string }> = {
  kek: {
    title: 'Rotate the key-encryption key',
    body: 'A new KEK is stored in this computer\'s keychain and the domain keys are rewrapped under it in one step; the old KEK is removed. Recovery kits made before no longer open the database: make a new one afterwards. Other workstations on the office database need a new enrolment package.',
    action: 'Rotate the KEK',
  },
  'dek-wrap': {
    title: 'Rotate the data-key wrapping key',
    body: 'A new version wraps every new key at once; a background job then rewraps every customer key and staff record in batches and retires the old version. The console stays usable meanwhile.',
    action: 'Rotate the data-key wrapping key',
  },
  'blind-index': {
    title: 'Rotate the search index key',
    body: 'A new version indexes every new or corrected record at once; a background job then recomputes the search indexes of every customer and staff account in batches and destroys the old key. Search finds every record throughout. Counters of failed sign-ins under names no account has start again.',
    action: 'Rotate the search index key',
  },
  audit: {
    title: 'Rotate the audit chain key',
    body: 'Every audit event from now on is sealed with a new key version; earlier events keep verifying with theirs.',
    action: 'Rotate the audit chain key',
  },
};

/** The rotation job kinds (main's `key-rotation.<purpose>`), what each moves, for the progress line. */
const JOB_TEXT: Record<string, { label: string; unit: string }> = {
  'key-rotation.dek-wrap': { label: 'Data-key wrapping key rotation running', unit: 'keys rewrapped' },
  'key-rotation.blind-index': { label: 'Search index key rotation running', unit: 'records re-indexed' },
};

function JobProgress({ job }: { job: Status['running'][number] }) {
  const total = job.total ?? 0;
  const percent = total > 0 ? Math.min(100, Math.round((job.done / total) * 100)) : 0;
  const text = JOB_TEXT[job.kind] ?? { label: 'Key rotation running', unit: 'done' };
  return (
    <Card withBorder padding="sm" role="status" aria-live="polite">
      <Text size="sm" fw={600}>
        {text.label}
      </Text>
      <Progress value={percent} mt="xs" aria-label={`${text.label}: progress`} />
      <Text size="xs" c="dimmed" mt={4}>
        {job.done.toLocaleString()} of {total.toLocaleString()} {text.unit} ({job.state}). Last batch {formatDateTime(job.updatedAt, { seconds: true })}.
      </Text>
    </Card>
  );
}

function keyState(k: Status['domainKeys'][number]): string {
  if (k.current) return 'Current';
  if (k.purpose === 'blind-index') return 'Older version (searched until every record is re-indexed)';
  return k.retiredAt ? `Retired ${formatDateTime(k.retiredAt)} (opens older records only)` : 'Older version (opens older records)';
}

/** IT's Keys page: current key versions, rotations (with a running job's progress), recovery kits and custodians. */
export function KeysPage() {
  const load = useCallback(() => call('keys.status', {}), []);
  const status = useRemoteData(load);
  const [confirming, setConfirming] = useState<Rotation | null>(null);
  const { submitting, failure, run, reset } = useSubmission();
  const running = (status.data?.running.length ?? 0) > 0;
  const runningKind = (purpose: Rotation) => status.data?.running.some((job) => job.kind === `key-rotation.${purpose}`) ?? false;

  // While a rotation job runs, its progress is read again every second.
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => status.reload(), 1_000);
    return () => clearInterval(timer);
  }, [running, status]);

  const rotate = async (which: Rotation) => {
    const done = await run(async () => {
      if (which === 'kek') {
        const r = await call('keys.rotateKek', {});
        notifySuccess(`Key-encryption key rotated: now ${r.toKekId}.`);
      } else {
        await call('keys.rotateDomainKey', { purpose: which });
        notifySuccess(which === 'audit' ? 'Audit chain key rotated.' : 'Rotation started.');
      }
    });
    if (done) setConfirming(null);
    status.reload();
  };

  const s = status.data;
  return (
    <Stack>
      <PageHeader title="Keys" description="Key versions, rotations and recovery kits. Keys never leave main; this page shows ids, versions and dates only." />
      <RemoteStatus remote={status} loadingLabel="Loading keys" isEmpty={false} empty={null} />
      {s && (
        <>
          <Card withBorder>
            <Stack gap="sm">
              <Title order={2} size="h4">
                Current keys
              </Title>
              <Text size="sm">
                Key-encryption key <Badge variant="light" ff="monospace" component="span">{s.kekId}</Badge> (in this computer's keychain)
              </Text>
              <Table striped withTableBorder aria-label="Domain key versions">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Key</Table.Th>
                    <Table.Th scope="col">Version</Table.Th>
                    <Table.Th scope="col">Created</Table.Th>
                    <Table.Th scope="col">State</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.domainKeys.map((k) => (
                    <Table.Tr key={`${k.purpose}/${k.version}`}>
                      <Table.Td>{KEY_LABELS[k.purpose]}</Table.Td>
                      <Table.Td>{k.version}</Table.Td>
                      <Table.Td>{formatDateTime(k.createdAt)}</Table.Td>
                      <Table.Td>{keyState(k)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {s.running.map((job) => (
                <JobProgress key={job.id} job={job} />
              ))}
              <Group>
                <Button variant="default" onClick={() => (reset(), setConfirming('kek'))}>
                  {ROTATION_TEXT.kek.action}
                </Button>
                <Button variant="default" disabled={runningKind('dek-wrap')} onClick={() => (reset(), setConfirming('dek-wrap'))}>
                  {ROTATION_TEXT['dek-wrap'].action}
                </Button>
                <Button variant="default" disabled={runningKind('blind-index')} onClick={() => (reset(), setConfirming('blind-index'))}>
                  {ROTATION_TEXT['blind-index'].action}
                </Button>
                <Button variant="default" onClick={() => (reset(), setConfirming('audit'))}>
                  {ROTATION_TEXT.audit.action}
                </Button>
              </Group>
            </Stack>
          </Card>
          <Card withBorder>
            <Stack gap="sm">
              <Title order={2} size="h4">
                Rotation history
              </Title>
              {s.rotations.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No key has been rotated yet.
                </Text>
              ) : (
                <Table striped withTableBorder aria-label="Rotation history">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Key</Table.Th>
                      <Table.Th scope="col">From → to</Table.Th>
                      <Table.Th scope="col">Started</Table.Th>
                      <Table.Th scope="col">By</Table.Th>
                      <Table.Th scope="col">Finished</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {s.rotations.map((r) => (
                      <Table.Tr key={r.id}>
                        <Table.Td>{KEY_LABELS[r.target]}</Table.Td>
                        <Table.Td ff="monospace">
                          {r.fromRef ?? '—'} → {r.toRef}
                        </Table.Td>
                        <Table.Td>{formatDateTime(r.startedAt)}</Table.Td>
                        <Table.Td>{r.startedByName ?? '—'}</Table.Td>
                        <Table.Td>{r.finishedAt ? formatDateTime(r.finishedAt) : 'Running'}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Stack>
          </Card>
          <RecoveryKitPanel kits={s.kits} onCreated={() => status.reload()} />
        </>
      )}
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title={confirming ? ROTATION_TEXT[confirming].title : ''}>
        {confirming && (
          <Stack>
            <Text size="sm">{ROTATION_TEXT[confirming].body}</Text>
            {confirming === 'kek' && (
              <Alert color="yellow" variant="light" title="Make a new recovery kit afterwards">
                The old key is gone once the rotation completes.
              </Alert>
            )}
            <FormFailure message={failure} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(null)}>
                Cancel
              </Button>
              <Button loading={submitting} onClick={() => void rotate(confirming)}>
                {ROTATION_TEXT[confirming].action}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
