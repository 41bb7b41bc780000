import { ActionIcon, Menu } from '@mantine/core';
import { IconDotsVertical, IconKey, IconLockOpen, IconUserCheck, IconUserCog, IconUserOff } from '@tabler/icons-react';
import type { Account } from '../../../../main/features/accounts/accounts.contract.std';

export type AccountAction = 'change-role' | 'reset-password' | 'clear-lockout' | 'disable' | 'enable';

interface AccountActionsMenuProps {
  account: Account;
  onAction(action: AccountAction, account: Account): void;
}

export function AccountActionsMenu({ account, onAction }: AccountActionsMenuProps) {
  const act = (action: AccountAction) => () => onAction(action, account);
  return (
    <Menu position="bottom-end" shadow="md" width={200}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${account.username}`}>
          <IconDotsVertical size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconUserCog size={16} aria-hidden />} onClick={act('change-role')}>
          Change role
        </Menu.Item>
        <Menu.Item leftSection={<IconKey size={16} aria-hidden />} onClick={act('reset-password')}>
          Reset password
        </Menu.Item>
        {account.lockedUntil && (
          <Menu.Item leftSection={<IconLockOpen size={16} aria-hidden />} onClick={act('clear-lockout')}>
            Clear lockout
          </Menu.Item>
        )}
        <Menu.Divider />
        {account.status === 'active' ? (
          <Menu.Item color="red" leftSection={<IconUserOff size={16} aria-hidden />} onClick={act('disable')}>
            Disable account
          </Menu.Item>
        ) : (
          <Menu.Item leftSection={<IconUserCheck size={16} aria-hidden />} onClick={act('enable')}>
            Enable account
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
