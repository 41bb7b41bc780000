import { Alert, Badge, Button, Center, Code, Group, Loader, Paper, Select, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { IconFileTypeCsv, IconFileTypePdf, IconRefresh } from '@tabler/icons-react';
import { useCallback, useMemo, useState } from 'react';
import type { RegisterEntry, RegisterFilter } from '../../../../main/features/disclosures/disclosures.contract.std';
import { DISCLOSURE_KINDS, type DisclosureKind } from '../../../../main/features/disclosures/disclosureRules.std';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { notifyFailure, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { ReasonModal } from '../../ui/ReasonModal';
import { useRemoteData } from '../../ui/useRemoteData';
import { useActiveSession } from '../session/sessionContext';
import { DISCLOSABLE_FIELD_LABELS, DISCLOSURE_KIND_LABELS } from './labels';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The append-only disclosure register: filter, export (CSV, PDF) for auditors, and corrections as new entries. */
export function RegisterPage() {
  const { role } = useActiveSession();
  const [draft, setDraft] = useState({ recipientId: '', kind: '', from: '', to: '', customerId: '' });
  const [filter, setFilter] = useState<RegisterFilter>({});
  const [correcting, setCorrecting] = useState<RegisterEntry | null>(null);
  const [exporting, setExporting] = useState<'csv' | 'pdf' | null>(null);
  const load = useCallback(() => call('disclosures.register.list', { filter, limit: 200 }), [filter]);
  const register = useRemoteData(load);
  const entries = useMemo(() => register.data?.entries ?? [], [register.data]);
  const recipientOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const e of entries) if (e.recipientId && e.recipientName) seen.set(e.recipientId, e.recipientName);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [entries]);
  const problems = {
    from: draft.from && !DAY.test(draft.from) ? 'Use YYYY-MM-DD' : null,
    to: draft.to && !DAY.test(draft.to) ? 'Use YYYY-MM-DD' : null,
    customerId: draft.customerId && !UUID.test(draft.customerId.trim()) ? 'A customer id (from the record page)' : null,
  };

  const apply = () => {
    if (problems.from || problems.to || problems.customerId) return;
    setFilter({
      ...(draft.recipientId ? { recipientId: draft.recipientId } : {}),
      ...(draft.kind ? { kind: draft.kind as DisclosureKind } : {}),
      ...(draft.from ? { from: draft.from } : {}),
      ...(draft.to ? { to: draft.to } : {}),
      ...(draft.customerId ? { customerId: draft.customerId.trim() } : {}),
    });
  };

  const exportAs = async (format: 'csv' | 'pdf') => {
    setExporting(format);
    try {
      const saved = await call('disclosures.register.export', { filter, format });
      notifySuccess(`Exported ${saved.entries} entries to ${saved.fileName} (SHA-256 ${saved.fileSha256.slice(0, 16)}…).`);
    } catch (error) {
      notifyFailure('Not exported', error);
    } finally {
      setExporting(null);
    }
  };

  return (
    <Stack gap="lg">
      <PageHeader
        title="Disclosure register"
        description="Every release of customer data: who asked and approved, when, to whom, on what basis, which fields and customers, and the file's hash. Entries never change; a correction is a new entry."
        actions={
          <Button variant="default" leftSection={<IconRefresh size={18} aria-hidden />} onClick={register.reload}>
            Refresh
          </Button>
        }
      />
      <Paper withBorder radius="md" p="md">
        <form
          aria-label="Filter the register"
          onSubmit={(event) => {
            event.preventDefault();
            apply();
          }}
        >
          <Group align="flex-start" gap="sm">
            <Select label="Recipient" placeholder="Any" data={recipientOptions} value={draft.recipientId || null} onChange={(v) => setDraft({ ...draft, recipientId: v ?? '' })} clearable w={200} />
            <Select
              label="Kind"
              placeholder="Any"
              data={DISCLOSURE_KINDS.map((value) => ({ value, label: DISCLOSURE_KIND_LABELS[value] }))}
              value={draft.kind || null}
              onChange={(v) => setDraft({ ...draft, kind: v ?? '' })}
              clearable
              w={240}
            />
            <TextInput label="From" placeholder="YYYY-MM-DD" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })} error={problems.from} w={130} />
            <TextInput label="To" placeholder="YYYY-MM-DD" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })} error={problems.to} w={130} />
            <TextInput label="Customer id" value={draft.customerId} onChange={(e) => setDraft({ ...draft, customerId: e.currentTarget.value })} error={problems.customerId} w={320} />
            <Button type="submit" mt={25}>
              Apply
            </Button>
          </Group>
        </form>
        <Group gap="sm" mt="md">
          <Text size="sm" c="dimmed">
            Export what the filter shows, for auditors:
          </Text>
          <Button size="compact-sm" variant="light" leftSection={<IconFileTypeCsv size={18} aria-hidden />} loading={exporting === 'csv'} onClick={() => void exportAs('csv')}>
            Export CSV
          </Button>
          <Button size="compact-sm" variant="light" leftSection={<IconFileTypePdf size={18} aria-hidden />} loading={exporting === 'pdf'} onClick={() => void exportAs('pdf')}>
            Export PDF
          </Button>
        </Group>
      </Paper>
      <Paper withBorder radius="md" p="xs">
        {register.error && (
          <Alert color="red" variant="light" role="alert" m="sm">
            {register.error}
          </Alert>
        )}
        {register.loading && (
          <Center p="xl">
            <Loader aria-label="Loading the register" />
          </Center>
        )}
        {register.data && entries.length === 0 && (
          <Text size="sm" c="dimmed" p="lg" ta="center">
            No entries match.
          </Text>
        )}
        {entries.length > 0 && (
          <Table.ScrollContainer minWidth={1000}>
            <Table verticalSpacing="sm" aria-label="Disclosure register">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  <Table.Th>Recorded</Table.Th>
                  <Table.Th>Recipient</Table.Th>
                  <Table.Th>Kind and basis</Table.Th>
                  <Table.Th>Fields</Table.Th>
                  <Table.Th>People</Table.Th>
                  <Table.Th>File</Table.Th>
                  {roleHolds(role, 'disclosures.approve') && (
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td>
                      <Text size="sm">{entry.seq}</Text>
                      {entry.type === 'correction' && (
                        <Badge color="orange" variant="light" size="sm">
                          Correction
                        </Badge>
                      )}
                      {entry.correctedBy.length > 0 && (
                        <Badge color="gray" variant="light" size="sm">
                          Corrected
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(entry.recordedAt)}
                      </Text>
                      <Text size="xs" c="dimmed">
                        by {entry.recordedByName ?? 'Removed account'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{entry.recipientName ?? '—'}</Text>
                      <Text size="xs" c="dimmed">
                        version {entry.recipientVersion ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{entry.kind ? DISCLOSURE_KIND_LABELS[entry.kind] : '—'}</Text>
                      {entry.legalReference && (
                        <Text size="xs">
                          {entry.legalAuthority}, <Code>{entry.legalReference}</Code>
                        </Text>
                      )}
                      {entry.note && (
                        <Text size="xs" style={{ whiteSpace: 'pre-line' }}>
                          Note: {entry.note}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{entry.fields.map((f) => DISCLOSABLE_FIELD_LABELS[f]).join(', ')}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">Requested by {entry.requestedByName ?? '—'}</Text>
                      <Text size="xs">
                        Approved by {entry.approvedByName ?? '—'} {entry.approvedAt ? `· ${formatDateTime(entry.approvedAt)}` : ''}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {entry.customerCount} customer(s)
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {entry.fileSha256 ? (
                        <>
                          <Text size="xs">
                            {entry.fileFormat?.toUpperCase()}
                            {entry.encrypted ? ', encrypted' : ''}
                          </Text>
                          <Code fz="xs" title={`SHA-256 ${entry.fileSha256}`}>
                            {entry.fileSha256.slice(0, 16)}…
                          </Code>
                        </>
                      ) : (
                        <Text size="xs" c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                    {roleHolds(role, 'disclosures.approve') && (
                      <Table.Td>
                        {entry.type === 'release' && (
                          <Button size="compact-sm" variant="default" onClick={() => setCorrecting(entry)} aria-label={`Record a correction of entry ${entry.seq}`}>
                            Correct…
                          </Button>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {register.data && register.data.total > entries.length && (
          <Text size="sm" c="dimmed" p="sm">
            Showing the newest {entries.length} of {register.data.total}. Narrow the filter or export the register to see all.
          </Text>
        )}
      </Paper>
      {correcting && (
        <ReasonModal
          title={`Correct register entry ${correcting.seq}`}
          formLabel="Register correction"
          summary={
            <Text size="sm">
              The entry stays as it is. A new entry refers to it and carries your note (for example: the recipient confirmed it deleted a duplicate file).
            </Text>
          }
          reasonLabel="Correction note"
          minLength={10}
          maxLength={2000}
          failureTitle="Not recorded"
          actions={[{ decision: 'correct', label: 'Record correction', color: 'blue' }]}
          onSubmit={async (_decision, note) => {
            await call('disclosures.register.correct', { entryId: correcting.id, note });
            notifySuccess('Correction recorded as a new register entry.');
            setCorrecting(null);
            register.reload();
          }}
          onClose={() => setCorrecting(null)}
        />
      )}
    </Stack>
  );
}
