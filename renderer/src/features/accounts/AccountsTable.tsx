import { Badge, Group, Table, Text, VisuallyHidden } from '@mantine/core';
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

export function AccountsTable({ accounts, currentUserId, onAction }: AccountsTableProps) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Accounts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Person</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Last sign-in</Table.Th>
            <Table.Th>Created</Table.Th>
            {onAction && (
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {accounts.map((account) => (
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
  );
}
