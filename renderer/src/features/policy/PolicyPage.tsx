import { Alert, Badge, Button, Center, Group, Loader, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconFileTypeHtml, IconFileTypePdf, IconPlus } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { notifyFailure, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { useRemoteData } from '../../ui/useRemoteData';
import { useSubmission } from '../../ui/useSubmission';
import { FormFailure } from '../../ui/FormFailure';
import { useActiveSession } from '../session/sessionContext';
import { PolicyVersionPanel } from './PolicyVersionPanel';
import { STATUS_COLORS, STATUS_LABELS, versionLabel } from './policyLabels';
import { PurposesCard } from './PurposesCard';

/** Policy versions: drafted, reviewed, published (a material change with its notice period), archived, exported. */
export function PolicyPage() {
  const session = useActiveSession();
  const load = useCallback(() => call('policy.list', {}), []);
  const remote = useRemoteData(load);
  const versions = remote.data?.versions ?? [];
  const [chosen, setSelected] = useState<string | null>(null);
  const creating = useSubmission();
  const [exporting, setExporting] = useState<'pdf' | 'html' | null>(null);

  // Until someone picks one: the open draft, else the version in force.
  const selected = chosen ?? (versions.find((v) => v.status === 'draft' || v.status === 'in_review') ?? versions.find((v) => v.inForce) ?? versions[0])?.id ?? null;

  const newDraft = () =>
    creating.run(async () => {
      const { version } = await call('policy.createDraft', {});
      notifySuccess(`${versionLabel(version.version)} drafted from the latest published text.`);
      setSelected(version.id);
      remote.reload();
    });

  const exportAs = async (format: 'pdf' | 'html') => {
    setExporting(format);
    try {
      const result = await call('policy.export', { format });
      if (result.saved) notifySuccess(`${versionLabel(result.version)} saved as ${result.fileName ?? format.toUpperCase()}.`);
    } catch (error) {
      notifyFailure('Not exported', error);
    } finally {
      setExporting(null);
    }
  };

  const open = versions.find((v) => v.status === 'draft' || v.status === 'in_review');
  return (
    <Stack gap="lg">
      <PageHeader
        title="Privacy policy"
        description="Every version of the policy customers were given. Published text never changes; a new version is drafted, reviewed and published, and clients keep the latest."
        actions={
          <>
            <Button variant="default" leftSection={<IconFileTypePdf size={18} aria-hidden />} loading={exporting === 'pdf'} onClick={() => void exportAs('pdf')}>
              Export PDF
            </Button>
            <Button variant="default" leftSection={<IconFileTypeHtml size={18} aria-hidden />} loading={exporting === 'html'} onClick={() => void exportAs('html')}>
              Export HTML
            </Button>
            {roleHolds(session.role, 'policy.draft') && (
              <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => void newDraft()} loading={creating.submitting} disabled={Boolean(open)} title={open ? `${versionLabel(open.version)} is still open` : undefined}>
                New draft
              </Button>
            )}
          </>
        }
      />
      <FormFailure title="No draft created" message={creating.failure} />
      {remote.error && (
        <Alert color="red" variant="light" role="alert">
          {remote.error}
        </Alert>
      )}
      {remote.loading && (
        <Center p="xl">
          <Loader aria-label="Loading policy versions" />
        </Center>
      )}
      {versions.length > 0 && (
        <Paper withBorder radius="md" p="xs">
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" highlightOnHover aria-label="Policy versions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Version</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Effective</Table.Th>
                  <Table.Th>Change</Table.Th>
                  <Table.Th>Last change</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Open</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {versions.map((v) => (
                  <Table.Tr key={v.id} aria-current={v.id === selected ? 'true' : undefined} bg={v.id === selected ? 'var(--mantine-color-default-hover)' : undefined}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {versionLabel(v.version)}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {v.title}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <Badge color={STATUS_COLORS[v.status]} variant="light">
                          {STATUS_LABELS[v.status]}
                        </Badge>
                        {v.inForce && (
                          <Badge color="blue" variant="light">
                            In force
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{v.effectiveDate ?? '—'}</Text>
                    </Table.Td>
                    <Table.Td maw={360}>
                      <Text size="sm" lineClamp={2}>
                        {v.material ? 'Material · ' : ''}
                        {v.changeSummary ?? (v.status === 'draft' ? 'Not yet described' : '—')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(v.publishedAt ?? v.updatedAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Button size="compact-sm" variant={v.id === selected ? 'filled' : 'light'} onClick={() => setSelected(v.id)} aria-label={`Open ${versionLabel(v.version)}`}>
                        {v.id === selected ? 'Shown' : 'Open'}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {selected && <PolicyVersionPanel versionId={selected} versions={versions} onChanged={remote.reload} />}
      <PurposesCard />
    </Stack>
  );
}
