import { ActionIcon, Menu } from '@mantine/core';
import { IconDotsVertical, IconKey, IconLockOpen, IconUserCheck, IconUserCog, IconUserOff } from '@tabler/icons-react';
import type { AccountEntry } from '../../../../main/features/accounts/accounts.contract.std';

export type AccountAction = 'change-role' | 'reset-password' | 'clear-lockout' | 'disable' | 'enable';

interface AccountActionsMenuProps {
  account: AccountEntry;
  onAction(action: AccountAction, account: AccountEntry): void;
}

/**
 * Offers only what main would accept: while a change waits for approval, no other role change, reset or enabling
 * (one open request per account). Your own account gets no menu at all (see AccountsTable).
 */
export function AccountActionsMenu({ account, onAction }: AccountActionsMenuProps) {
  const act = (action: AccountAction) => () => onAction(action, account);
  const awaiting = account.awaitingRole !== null || account.awaitingReset;
  return (
    <Menu position="bottom-end" shadow="md" width={220}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${account.username}`}>
          <IconDotsVertical size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {awaiting && <Menu.Label>A change is waiting for approval</Menu.Label>}
        {!awaiting && (
          <>
            <Menu.Item leftSection={<IconUserCog size={16} aria-hidden />} onClick={act('change-role')}>
              Change role
            </Menu.Item>
            <Menu.Item leftSection={<IconKey size={16} aria-hidden />} onClick={act('reset-password')}>
              Reset password
            </Menu.Item>
          </>
        )}
        {account.lockedUntil && (
          <Menu.Item leftSection={<IconLockOpen size={16} aria-hidden />} onClick={act('clear-lockout')}>
            Clear lockout
          </Menu.Item>
        )}
        <Menu.Divider />
        {account.status === 'active' ? (
          <Menu.Item color="red" leftSection={<IconUserOff size={16} aria-hidden />} onClick={act('disable')}>
            Disable account…
          </Menu.Item>
        ) : (
          !awaiting && (
            <Menu.Item leftSection={<IconUserCheck size={16} aria-hidden />} onClick={act('enable')}>
              Enable account
            </Menu.Item>
          )
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
