import { Paper, Text, ThemeIcon } from '@mantine/core';
import type { PolicyControl } from './policyControls';

export function PolicyControlCard({ control: { title, description, icon: Icon } }: { control: PolicyControl }) {
  return (
    <Paper withBorder p="md" radius="md">
      <ThemeIcon variant="light" size="lg" radius="md" mb="sm">
        <Icon size={20} stroke={1.6} aria-hidden />
      </ThemeIcon>
      <Text fw={600} size="sm">
        {title}
      </Text>
      <Text c="dimmed" size="sm" mt={4}>
        {description}
      </Text>
    </Paper>
  );
}
