import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { DeletionsHomeCard } from '../erasure/DeletionsHomeCard';
import { DisclosuresHomeCard } from '../disclosures/DisclosuresHomeCard';
import { useActiveSession } from '../session/sessionContext';
import { RoleBadge } from '../../ui/RoleBadge';
import { UserAvatar } from '../../ui/UserAvatar';
import { RequestsHomeCard } from '../subjectRequests/RequestsHomeCard';
import classes from './HomePage.module.css';
import { PolicyControlCard } from './PolicyControlCard';
import { RoleAccessCard } from './RoleAccessCard';
import { ROLE_SUMMARIES } from './roleCapabilities';
import { PolicyNoticesCard } from '../policy/PolicyNoticesCard';
import { policyControls } from './policyControls';

export function HomePage() {
  const session = useActiveSession();
  return (
    <Stack gap="lg">
      <Paper withBorder p="lg" radius="md">
        <Group gap="lg" wrap="nowrap">
          <UserAvatar displayName={session.displayName} size={64} />
          <div>
            <Title order={1} size="h2">
              Welcome, {session.displayName}
            </Title>
            <Group gap="xs" mt={6}>
              <Text c="dimmed" size="sm">
                Signed in as {session.username}
              </Text>
              <RoleBadge role={session.role} />
            </Group>
            <Text size="sm" mt="xs">
              {ROLE_SUMMARIES[session.role]}
            </Text>
          </div>
        </Group>
      </Paper>
      <RequestsHomeCard />
      <DeletionsHomeCard />
      <PolicyNoticesCard />
      <DisclosuresHomeCard />
      <RoleAccessCard role={session.role} />
      <section aria-labelledby="policy-controls-title">
        <Title order={2} size="h4" id="policy-controls-title" mb="sm">
          Privacy controls in force
        </Title>
        <div className={classes.controls}>
          {policyControls(session.idleLockMinutes).map((control) => (
            <PolicyControlCard key={control.title} control={control} />
          ))}
        </div>
      </section>
    </Stack>
  );
}
