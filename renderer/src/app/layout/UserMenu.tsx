import { Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLock, IconLogout } from '@tabler/icons-react';
import { useActiveSession, useSession } from '../../features/session/sessionContext';
import { RoleBadge } from '../../ui/RoleBadge';
import { UserAvatar } from '../../ui/UserAvatar';
import { notifyFailure } from '../../ui/notify';

export function UserMenu() {
  const session = useActiveSession();
  const { signOut, lockNow } = useSession();

  const lock = () => lockNow().catch((error: unknown) => notifyFailure('Could not lock the console', error));

  return (
    <Menu position="bottom-end" width={240} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label="Account menu">
          <Group gap="sm" wrap="nowrap">
            <UserAvatar displayName={session.displayName} size="md" />
            <div>
              <Text size="sm" fw={600} lh={1.2}>
                {session.displayName}
              </Text>
              <RoleBadge role={session.role} size="xs" />
            </div>
            <IconChevronDown size={16} stroke={1.6} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Signed in as {session.username}</Menu.Label>
        <Menu.Item leftSection={<IconLock size={16} aria-hidden />} onClick={() => void lock()}>
          Lock now
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void signOut()}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
