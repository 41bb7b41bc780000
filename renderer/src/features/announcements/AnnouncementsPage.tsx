import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { IconPlus, IconRefresh } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { useRemoteData } from '../../ui/useRemoteData';
import { useActiveSession } from '../session/sessionContext';
import { AnnouncementCard } from './AnnouncementCard';
import { AudiencesCard } from './AudiencesCard';
import { NewAnnouncementModal } from './NewAnnouncementModal';

/** Policy-change announcements: one per published version, its recipients and their status; marketing audiences. */
export function AnnouncementsPage() {
  const session = useActiveSession();
  const manages = roleHolds(session.role, 'announcements.manage');
  const load = useCallback(async () => {
    const [announcements, versions] = await Promise.all([call('announcements.list', {}), call('policy.list', {})]);
    return { announcements: announcements.announcements, versions: versions.versions };
  }, []);
  const remote = useRemoteData(load);
  const [creating, setCreating] = useState(false);
  const announced = new Set(remote.data?.announcements.map((a) => a.policyVersionId));
  const announceable = (remote.data?.versions ?? []).filter((v) => v.publishedAt && !announced.has(v.id));
  return (
    <Stack gap="lg">
      <PageHeader
        title="Announcements"
        description="Clients are told of every policy change. Each published version gets one announcement: who it reaches, how it goes out, and where each recipient stands."
        actions={
          <>
            <Button variant="default" leftSection={<IconRefresh size={18} aria-hidden />} onClick={remote.reload}>
              Refresh
            </Button>
            {manages && (
              <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setCreating(true)} disabled={announceable.length === 0}>
                New announcement
              </Button>
            )}
          </>
        }
      />
      {remote.error && (
        <Alert color="red" variant="light" role="alert">
          {remote.error}
        </Alert>
      )}
      {remote.loading && (
        <Center p="xl">
          <Loader aria-label="Loading announcements" />
        </Center>
      )}
      {remote.data && remote.data.announcements.length === 0 && (
        <Text c="dimmed" size="sm">
          No announcement yet. {manages ? 'Publish a version of the policy, then announce it here.' : 'A manager prepares one when a version is published.'}
        </Text>
      )}
      {remote.data?.announcements.map((a) => (
        <AnnouncementCard key={a.id} announcement={a} onChanged={remote.reload} />
      ))}
      {roleHolds(session.role, 'audiences.export') && <AudiencesCard />}
      {creating && (
        <NewAnnouncementModal
          versions={announceable}
          onClose={() => setCreating(false)}
          onDone={() => {
            setCreating(false);
            notifySuccess('Announcement prepared: its recipients are listed.');
            remote.reload();
          }}
        />
      )}
    </Stack>
  );
}
