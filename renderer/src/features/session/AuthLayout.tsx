import { Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import classes from './AuthLayout.module.css';

interface AuthLayoutProps {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}

/** The frame shared by setup, sign-in and lock screens: product identity above a single card. */
export function AuthLayout({ title, description, children }: AuthLayoutProps) {
  return (
    <main className={classes.page}>
      <Stack className={classes.card} gap="lg">
        <Group gap="sm" justify="center">
          <ThemeIcon size="xl" radius="md" variant="filled">
            <IconShieldCheck size={26} stroke={1.6} aria-hidden />
          </ThemeIcon>
          <Text fw={700} size="lg">
            iTechno Privacy Console
          </Text>
        </Group>
        <Paper withBorder shadow="sm" p="xl" radius="lg">
          <Stack gap="md">
            <div>
              <Title order={1} size="h3">
                {title}
              </Title>
              {description && (
                <Text c="dimmed" size="sm" mt={4}>
                  {description}
                </Text>
              )}
            </div>
            {children}
          </Stack>
        </Paper>
      </Stack>
    </main>
  );
}
