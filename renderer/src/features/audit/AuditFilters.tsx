import { Button, Group, Select } from '@mantine/core';
import { IconDownload, IconFilterOff } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import type { AuditFilter } from '../../../../main/features/audit/audit.contract.std';
import { call } from '../../api/client';
import { notifyFailure, notifySuccess } from '../../ui/notify';
import { useRemoteData } from '../../ui/useRemoteData';
import { DateField } from '../../ui/DateField';

const OUTCOMES = [
  { value: 'ok', label: 'ok' },
  { value: 'denied', label: 'denied' },
  { value: 'failed', label: 'failed' },
];

/** The auditor's filter over the log (actor, action, outcome, days) and the CSV export of what it selects. */
export function AuditFilters({ filter, onChange }: { filter: AuditFilter; onChange(next: AuditFilter): void }) {
  const loadAccounts = useCallback(() => call('accounts.list', {}), []);
  const loadActions = useCallback(() => call('audit.actions', {}), []);
  const accounts = useRemoteData(loadAccounts);
  const actions = useRemoteData(loadActions);
  const [exporting, setExporting] = useState(false);
  const rangeError = filter.from && filter.to && filter.from > filter.to ? 'The first day must not be after the last' : null;
  const set = (patch: Partial<AuditFilter>) => {
    const next = { ...filter, ...patch };
    for (const key of Object.keys(next) as (keyof AuditFilter)[]) if (!next[key]) delete next[key];
    onChange(next);
  };
  const exportCsv = () => {
    setExporting(true);
    call('audit.export', filter)
      .then(
        (result) => result.saved && notifySuccess(`${result.rows.toLocaleString()} events exported to ${result.fileName ?? 'the file'}.`),
        (error: unknown) => notifyFailure('Export failed', error),
      )
      .finally(() => setExporting(false));
  };
  const actorOptions = [{ value: 'system', label: 'System / not signed in' }, ...(accounts.data?.accounts ?? []).map((a) => ({ value: a.id, label: `${a.displayName} (${a.username})` }))];
  return (
    <Group gap="sm" align="flex-start" p="sm" role="search" aria-label="Filter the audit log">
      <Select label="Actor" placeholder="Anyone" data={actorOptions} value={filter.actorId ?? null} onChange={(v) => set({ actorId: v ?? undefined })} clearable searchable w={240} />
      <Select label="Action" placeholder="Any action" data={actions.data?.actions ?? []} value={filter.action ?? null} onChange={(v) => set({ action: v ?? undefined })} clearable searchable w={240} />
      <Select label="Outcome" placeholder="Any outcome" data={OUTCOMES} value={filter.outcome ?? null} onChange={(v) => set({ outcome: (v as AuditFilter['outcome'] | null) ?? undefined })} clearable w={150} />
      <DateField label="From" value={filter.from ?? ''} onChange={(day) => set({ from: day || undefined })} w={170} />
      <DateField label="To" value={filter.to ?? ''} onChange={(day) => set({ to: day || undefined })} error={rangeError} w={170} />
      <Group gap="xs" mt={25}>
        <Button variant="default" leftSection={<IconFilterOff size={16} aria-hidden />} onClick={() => onChange({})} disabled={Object.keys(filter).length === 0}>
          Clear filters
        </Button>
        <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} onClick={exportCsv} loading={exporting} disabled={rangeError !== null}>
          Export CSV
        </Button>
      </Group>
    </Group>
  );
}
