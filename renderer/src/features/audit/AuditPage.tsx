import { Alert, Button, Center, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import type { AuditFilter } from '../../../../main/features/audit/audit.contract.std';
import { PageHeader } from '../../ui/PageHeader';
import { AuditFilters } from './AuditFilters';
import { AuditTable } from './AuditTable';
import { AUDIT_PAGE_SIZE, useAuditPages } from './useAuditPages';
import { SignedHeadCard } from './SignedHeadCard';
import { VerifyChainCard } from './VerifyChainCard';

export function AuditPage() {
  const [filter, setFilter] = useState<AuditFilter>({});
  const valid = !(filter.from && filter.to && filter.from > filter.to);
  const [applied, setApplied] = useState<AuditFilter>({});
  if (valid && applied !== filter) setApplied(filter);
  const audit = useAuditPages(applied);
  const events = audit.data?.events ?? [];
  const first = audit.pageIndex * AUDIT_PAGE_SIZE + 1;

  const refresh = () => (audit.hasNewer ? audit.newest() : audit.reload());

  return (
    <Stack gap="lg">
      <PageHeader
        title="Audit log"
        description="Sign-ins, changes and refused requests, newest first. Details hold ids and field names, never personal data."
        actions={
          <Button variant="default" leftSection={<IconRefresh size={18} aria-hidden />} onClick={refresh}>
            Refresh
          </Button>
        }
      />
      <VerifyChainCard onVerified={refresh} />
      <SignedHeadCard onChanged={refresh} />
      <Paper withBorder radius="md" p="xs">
        <AuditFilters filter={filter} onChange={setFilter} />
        {audit.error && (
          <Alert color="red" variant="light" m="sm" role="alert">
            {audit.error}
          </Alert>
        )}
        {audit.data ? (
          <AuditTable events={events} names={audit.data.accountNames} />
        ) : (
          audit.loading && (
            <Center p="xl">
              <Loader aria-label="Loading audit events" />
            </Center>
          )
        )}
        <Group justify="space-between" p="sm">
          <Text size="sm" c="dimmed">
            {events.length > 0
              ? `Events ${first}–${first + events.length - 1} of ${audit.data?.total ?? events.length}`
              : audit.data && (Object.keys(applied).length ? 'No event matches these filters' : 'No events')}
          </Text>
          <Group gap="xs">
            <Button
              variant="default"
              size="xs"
              leftSection={<IconChevronLeft size={16} aria-hidden />}
              disabled={!audit.hasNewer}
              onClick={audit.newer}
            >
              Newer
            </Button>
            <Button
              variant="default"
              size="xs"
              rightSection={<IconChevronRight size={16} aria-hidden />}
              disabled={!audit.hasOlder}
              onClick={audit.older}
            >
              Older
            </Button>
          </Group>
        </Group>
      </Paper>
    </Stack>
  );
}
