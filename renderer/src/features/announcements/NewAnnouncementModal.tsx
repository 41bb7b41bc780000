import { Alert, Button, Group, Modal, Radio, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useCallback, useState } from 'react';
import { ANNOUNCEMENT_CHANNELS, AUDIENCES, type AnnouncementChannel, type Audience } from '../../../../main/features/announcements/announcements.contract.std';
import type { PolicyVersionSummary } from '../../../../main/features/policy/policy.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { useRemoteData } from '../../ui/useRemoteData';
import { useSubmission } from '../../ui/useSubmission';
import { AUDIENCE_LABELS, CHANNEL_LABELS } from './labels';
import { TaskProgress } from './TaskProgress';
import { useTaskProgress } from './useTaskProgress';
import modalClasses from '../../ui/Modal.module.css';

interface Props {
  versions: readonly PolicyVersionSummary[];
  onClose(): void;
  onDone(): void;
}

/** One announcement per published version: who it reaches (counted first), how it goes out, what it says. */
export function NewAnnouncementModal({ versions, onClose, onDone }: Props) {
  const { submitting, failure, run } = useSubmission();
  const [taskId, setTaskId] = useState<string | null>(null);
  const progress = useTaskProgress(taskId);
  const first = versions[0];
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      policyVersionId: first?.id ?? '',
      title: first ? `Our privacy policy is changing (version ${first.version})` : '',
      summary: first?.changeSummary ?? '',
      audience: (first?.material ? 'affected_only' : 'all_active') as Audience,
      channel: 'email_batch' as AnnouncementChannel,
    },
    validate: {
      policyVersionId: (v) => (v ? null : 'Choose the version to announce'),
      title: (v) => (v.trim() ? null : 'Required'),
      summary: (v) => (v.trim() ? null : 'Required'),
    },
  });
  const versionId = form.values.policyVersionId;
  const loadCounts = useCallback(() => call('announcements.audienceCounts', { policyVersionId: versionId }), [versionId]);
  const counted = useRemoteData(loadCounts);
  const counts = counted.data;

  const submit = form.onSubmit((values) => {
    const id = crypto.randomUUID();
    setTaskId(id);
    void run(async () => {
      await call('announcements.create', { taskId: id, ...values });
      onDone();
    }).then(() => setTaskId(null));
  });
  const countOf = (audience: Audience) => (counts ? (audience === 'all_active' ? counts.allActive : counts.affectedOnly) : null);

  return (
    <Modal opened onClose={() => !submitting && onClose()} title="New announcement" size="lg">
      <form onSubmit={submit} aria-label="New announcement" noValidate>
        <Stack gap="md">
          <FormFailure title="Not created" message={failure} />
          <Select
            label="Policy version"
            required
            data={versions.map((v) => ({ value: v.id, label: `Version ${v.version}${v.material ? ' (material change)' : ''} · effective ${v.effectiveDate}` }))}
            allowDeselect={false}
            data-autofocus
            {...form.getInputProps('policyVersionId')}
          />
          <Radio.Group label="Audience" description="Minors, closed and erased records are never included." {...form.getInputProps('audience')}>
            <Stack gap="xs" mt="xs">
              {AUDIENCES.map((a) => (
                <Radio
                  key={a}
                  value={a}
                  label={`${AUDIENCE_LABELS[a]}${countOf(a) === null ? '' : ` — ${countOf(a)!.toLocaleString()} ${countOf(a) === 1 ? 'customer' : 'customers'}`}`}
                  description={a === 'affected_only' && counts ? `Collected under version ${counts.earlierVersions.join(', ') || '(none)'}` : undefined}
                />
              ))}
            </Stack>
          </Radio.Group>
          <Radio.Group label="Channel" {...form.getInputProps('channel')}>
            <Group mt="xs">
              {ANNOUNCEMENT_CHANNELS.map((c) => (
                <Radio key={c} value={c} label={CHANNEL_LABELS[c]} />
              ))}
            </Group>
          </Radio.Group>
          <TextInput label="Title" required maxLength={200} {...form.getInputProps('title')} />
          <Textarea label="Summary" description="What changed and what it means for the customer" required autosize minRows={3} maxLength={4000} {...form.getInputProps('summary')} />
          {submitting && (
            <Alert variant="light" color="blue">
              <TaskProgress label="Listing recipients" progress={progress} />
            </Alert>
          )}
          <Group justify="flex-end" className={modalClasses.stickyFooter}>
            <Button variant="default" onClick={onClose} disabled={submitting}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting}>
              Create and list recipients
            </Button>
          </Group>
          {counted.loading && (
            <Text size="xs" c="dimmed">
              Counting the audience…
            </Text>
          )}
        </Stack>
      </form>
    </Modal>
  );
}
