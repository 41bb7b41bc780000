import { Group, Menu, Text, UnstyledButton, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { IconCheck, IconChevronDown, IconDeviceDesktop, IconKey, IconLock, IconLogout, IconMoon, IconShieldHalf, IconSun, type Icon } from '@tabler/icons-react';
import { useState } from 'react';
import { CustodianModal } from '../../features/keyRotation/CustodianModal';
import { ChangePasswordModal } from '../../features/session/ChangePasswordModal';
import { useActiveSession, useSession } from '../../features/session/sessionContext';
import { RoleBadge } from '../../ui/RoleBadge';
import { UserAvatar } from '../../ui/UserAvatar';
import { notifyFailure } from '../../ui/notify';

const SCHEMES: { value: MantineColorScheme; label: string; icon: Icon }[] = [
  { value: 'auto', label: 'System', icon: IconDeviceDesktop },
  { value: 'light', label: 'Light', icon: IconSun },
  { value: 'dark', label: 'Dark', icon: IconMoon },
];

export function UserMenu() {
  const session = useActiveSession();
  const { signOut, lockNow } = useSession();
  // keepTransitions: otherwise Mantine injects an inline <style> to pause transitions, which the CSP refuses.
  const { colorScheme, setColorScheme } = useMantineColorScheme({ keepTransitions: true });

  const [changingPassword, setChangingPassword] = useState(false);
  const [custodian, setCustodian] = useState(false);

  const lock = () => lockNow().catch((error: unknown) => notifyFailure('Could not lock the console', error));

  return (
    <>
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
          <Menu.Item leftSection={<IconKey size={16} aria-hidden />} onClick={() => setChangingPassword(true)}>
            Change my password
          </Menu.Item>
          <Menu.Item leftSection={<IconShieldHalf size={16} aria-hidden />} onClick={() => setCustodian(true)}>
            My recovery-kit shares
          </Menu.Item>
          <Menu.Divider />
          <Menu.Label id="colour-scheme-label">Colour scheme</Menu.Label>
          <div role="group" aria-labelledby="colour-scheme-label">
            {SCHEMES.map(({ value, label, icon: SchemeIcon }) => (
              <Menu.Item
                key={value}
                // Mantine fixes the role to menuitem, which may not carry aria-checked; aria-current marks the choice.
                aria-current={colorScheme === value ? 'true' : undefined}
                leftSection={<SchemeIcon size={16} aria-hidden />}
                rightSection={colorScheme === value ? <IconCheck size={16} aria-hidden /> : null}
                onClick={() => setColorScheme(value)}
              >
                {label}
              </Menu.Item>
            ))}
          </div>
          <Menu.Divider />
          <Menu.Item color="red" leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void signOut()}>
            Sign out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ChangePasswordModal opened={changingPassword} onClose={() => setChangingPassword(false)} />
      <CustodianModal opened={custodian} onClose={() => setCustodian(false)} />
    </>
  );
}
