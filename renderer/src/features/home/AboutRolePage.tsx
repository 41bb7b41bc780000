import { Stack, Text, Title } from '@mantine/core';
import { PageHeader } from '../../ui/PageHeader';
import { useActiveSession } from '../session/sessionContext';
import classes from './HomePage.module.css';
import { PolicyControlCard } from './PolicyControlCard';
import { RoleAccessCard } from './RoleAccessCard';
import { ROLE_SUMMARIES } from './roleCapabilities';
import { policyControls } from './policyControls';

/** The static panels that used to fill Home: what the role may do, and the privacy controls in force. */
export function AboutRolePage() {
  const session = useActiveSession();
  return (
    <Stack gap="lg">
      <PageHeader title="About my role" description={ROLE_SUMMARIES[session.role]} />
      <RoleAccessCard role={session.role} />
      <section aria-labelledby="policy-controls-title">
        <Title order={2} size="h4" id="policy-controls-title" mb="sm">
          Privacy controls in force
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          What the console enforces for everyone, whatever their role.
        </Text>
        <div className={classes.controls}>
          {policyControls(session.idleLockMinutes).map((control) => (
            <PolicyControlCard key={control.title} control={control} />
          ))}
        </div>
      </section>
    </Stack>
  );
}
