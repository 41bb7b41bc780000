import { Badge, Group, Select, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { ROLE_LABELS, ROLES, type Role } from '../../../../main/platform/ipc/roles.std';
import { SortableTh, sortRows, useSort } from '../../ui/SortableTh';
import type { AccountEntry } from '../../../../main/features/accounts/accounts.contract.std';
import { formatDateTime } from '../../ui/format';
import { RoleBadge } from '../../ui/RoleBadge';
import { UserAvatar } from '../../ui/UserAvatar';
import { AccountActionsMenu, type AccountAction } from './AccountActionsMenu';
import { AccountStatus } from './AccountStatus';

interface AccountsTableProps {
  accounts: readonly AccountEntry[];
  /** The signed-in person: their own row offers no actions (changing yourself is refused or pointless). */
  currentUserId: string;
  /** Absent for roles that may only read accounts. */
  onAction?: (action: AccountAction, account: AccountEntry) => void;
}

type Column = 'person' | 'role' | 'status' | 'lastLogin' | 'created';
const STATUS_FILTERS = [
  { value: 'all', label: 'Any status' },
  { value: 'active', label: 'Active' },
  { value: 'disabled', label: 'Disabled' },
  { value: 'locked', label: 'Locked out' },
  { value: 'waiting', label: 'Awaiting approval' },
] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number]['value'];

function statusMatches(account: AccountEntry, filter: StatusFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'locked') return account.lockedUntil !== null;
  if (filter === 'waiting') return account.awaitingRole !== null || account.awaitingReset;
  return account.status === filter;
}

const statusRank = (a: AccountEntry) => (a.lockedUntil ? 0 : a.status === 'active' ? 1 : 2);

export function AccountsTable({ accounts, currentUserId, onAction }: AccountsTableProps) {
  const [role, setRole] = useState<Role | 'all'>('all');
  const [status, setStatus] = useState<StatusFilter>('all');
  const [sort, toggle] = useSort<Column>({ column: 'person', direction: 'asc' });
  const shown = sortRows(
    accounts.filter((a) => (role === 'all' || a.role === role) && statusMatches(a, status)),
    sort,
    (a, column) =>
      column === 'person' ? a.displayName : column === 'role' ? ROLE_LABELS[a.role] : column === 'status' ? statusRank(a) : column === 'lastLogin' ? a.lastLoginAt : a.createdAt,
  );
  const th = (label: string, column: Column) => <SortableTh label={label} column={column} sort={sort} onSort={toggle} />;
  return (
    <>
      <Group gap="sm" p="sm" align="flex-end">
        <Select
          label="Role"
          data={[{ value: 'all', label: 'Any role' }, ...ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))]}
          value={role}
          onChange={(value) => setRole((value as Role | 'all' | null) ?? 'all')}
          allowDeselect={false}
          w={220}
        />
        <Select label="Status" data={STATUS_FILTERS.map((f) => ({ ...f }))} value={status} onChange={(value) => setStatus((value as StatusFilter | null) ?? 'all')} allowDeselect={false} w={220} />
        <Text size="sm" c="dimmed" role="status">
          {shown.length === accounts.length ? `${accounts.length} accounts` : `${shown.length} of ${accounts.length} accounts`}
        </Text>
      </Group>
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Accounts">
        <Table.Thead>
          <Table.Tr>
            {th('Person', 'person')}
            {th('Role', 'role')}
            {th('Status', 'status')}
            {th('Last sign-in', 'lastLogin')}
            {th('Created', 'created')}
            {onAction && (
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((account) => (
            <Table.Tr key={account.id}>
              <Table.Td>
                <Group gap="sm" wrap="nowrap">
                  <UserAvatar displayName={account.displayName} size="sm" />
                  <div>
                    <Text size="sm" fw={500}>
                      {account.displayName}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {account.username}
                    </Text>
                  </div>
                </Group>
              </Table.Td>
              <Table.Td>
                <RoleBadge role={account.role} />
              </Table.Td>
              <Table.Td>
                <AccountStatus account={account} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(account.lastLoginAt)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(account.createdAt)}</Text>
              </Table.Td>
              {onAction && (
                <Table.Td ta="right">
                  {account.id === currentUserId ? (
                    <Badge variant="outline" color="gray">
                      You
                    </Badge>
                  ) : (
                    <AccountActionsMenu account={account} onAction={onAction} />
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
    </>
  );
}
