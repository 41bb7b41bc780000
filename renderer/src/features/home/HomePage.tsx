import { Anchor, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { DisclosuresHomeCard } from '../disclosures/DisclosuresHomeCard';
import { useActiveSession } from '../session/sessionContext';
import { RoleBadge } from '../../ui/RoleBadge';
import { UserAvatar } from '../../ui/UserAvatar';
import { RequestsHomeCard } from '../subjectRequests/RequestsHomeCard';
import { ROLE_SUMMARIES } from './roleCapabilities';
import { PolicyNoticesCard } from '../policy/PolicyNoticesCard';
import { WorkCards } from './WorkCards';

/** Home (issue #13): what needs the signed-in person now, as counts leading to the work; their role's rules are a page of their own. */
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
              {ROLE_SUMMARIES[session.role]}{' '}
              <Anchor component={Link} to="/about" size="sm" underline="always">
                About my role and the controls in force
              </Anchor>
            </Text>
          </div>
        </Group>
      </Paper>
      <WorkCards />
      <RequestsHomeCard />
      <PolicyNoticesCard />
      <DisclosuresHomeCard />
    </Stack>
  );
}
