import { Alert, Badge, Code, List, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ManagedView } from '../../../../main/platform/settings/managedPolicy.std';

/** Shown beside a setting IT locked through the machine-wide managed settings. */
export function LockedBadge({ by }: { by: string }) {
  return (
    <Badge color="gray" variant="outline" leftSection={<IconLock size={12} aria-hidden />} style={{ textTransform: 'none' }}>
      Locked by {by}
    </Badge>
  );
}

const NAMES = {
  idleLockMinutes: (v: number) => `Idle lock: ${v} minutes`,
  retentionDays: (v: number) => `Keep closed records: ${v} days`,
  requestDeadlineDays: (v: number) => `Answer requests within: ${v} days`,
};

function describeLocks(locked: ManagedView['locked']): string[] {
  const lines: string[] = [];
  for (const key of ['idleLockMinutes', 'retentionDays', 'requestDeadlineDays'] as const) {
    const value = locked[key];
    if (value !== undefined) lines.push(NAMES[key](value));
  }
  const db = locked.databaseConnection;
  if (db) lines.push(db.engine === 'sqlite' ? 'Database: this workstation only' : `Database: ${db.user}@${db.host}:${db.port}/${db.database} (TLS ${db.tls.mode})`);
  if (locked.updates) lines.push(`Updates: installed by IT only, ${locked.updates.channel} channel`);
  return lines;
}

/** Which settings IT locked on this workstation, by whom, and where the file is (so IT can find it). */
export function ManagedSettingsNotice({ view }: { view: ManagedView }) {
  if (view.managedBy === null) return null;
  const locks = describeLocks(view.locked);
  return (
    <Alert color="blue" variant="light" icon={<IconLock size={18} aria-hidden />} title={`Managed by ${view.managedBy}`} maw={760}>
      <Text size="sm">
        These settings are locked on this workstation and cannot be changed here. To change them, ask {view.managedBy}.
      </Text>
      <List size="sm" mt="xs">
        {locks.map((line) => (
          <List.Item key={line}>{line}</List.Item>
        ))}
      </List>
      <Text size="xs" mt="xs">
        Managed settings file: <Code>{view.file}</Code>
      </Text>
    </Alert>
  );
}
