import { List, Paper, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { ROLE_LABELS, type Role } from '../../../../main/platform/ipc/roles.std';
import classes from './HomePage.module.css';
import { capabilitiesOf } from './roleCapabilities';

function CapabilityList({ title, items, allowed }: { title: string; items: string[]; allowed: boolean }) {
  const Icon = allowed ? IconCheck : IconX;
  return (
    <div>
      <Text size="sm" fw={600} mb="xs">
        {title}
      </Text>
      {items.length === 0 && (
        <Text size="sm" c="dimmed">
          Nothing
        </Text>
      )}
      <List spacing="xs" size="sm" listStyleType="none" c={allowed ? undefined : 'dimmed'} aria-label={title}>
        {items.map((item) => (
          <List.Item
            key={item}
            icon={
              <ThemeIcon size={20} radius="xl" color={allowed ? 'teal' : 'gray'} variant="light">
                <Icon size={13} aria-hidden />
              </ThemeIcon>
            }
          >
            {item}
          </List.Item>
        ))}
      </List>
    </div>
  );
}

export function RoleAccessCard({ role }: { role: Role }) {
  const { allowed, refused } = capabilitiesOf(role);
  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} size="h4">
        What your role may do
      </Title>
      <Text c="dimmed" size="sm" mb="md">
        Access for {ROLE_LABELS[role]}. Everything is refused unless your role is granted it.
      </Text>
      <div className={classes.access}>
        <CapabilityList title="Allowed" items={allowed} allowed />
        <CapabilityList title="Not allowed for your role" items={refused} allowed={false} />
      </div>
    </Paper>
  );
}
