import { Alert, Badge, Button, Group, Paper, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { POLICY_BODY_MAX, type PolicyVersionSummary, type PolicyVersionView } from '../../../../main/features/policy/policy.contract.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useRemoteData } from '../../ui/useRemoteData';
import { useSubmission } from '../../ui/useSubmission';
import { useActiveSession } from '../session/sessionContext';
import { MarkdownPreview } from './MarkdownPreview';
import { PolicyDiff } from './PolicyDiff';
import { STATUS_COLORS, STATUS_LABELS, versionLabel } from './policyLabels';
import classes from './PolicyVersionPanel.module.css';
import { PublicationRequest } from './PublicationRequest';
import { PublishModal } from './PublishModal';

interface PanelProps {
  versionId: string;
  versions: readonly PolicyVersionSummary[];
  onChanged(): void;
}

/** One version: its text (editable while a draft, with a live preview), how it differs from another, and its actions. */
export function PolicyVersionPanel({ versionId, versions, onChanged }: PanelProps) {
  const load = useCallback(() => call('policy.get', { id: versionId }), [versionId]);
  const remote = useRemoteData(load);
  const version = remote.data?.version.id === versionId ? remote.data.version : null;
  if (remote.error) {
    return (
      <Alert color="red" variant="light" role="alert">
        {remote.error}
      </Alert>
    );
  }
  if (!version) return null;
  return (
    <LoadedVersion
      key={`${version.id}:${version.revision}:${version.status}`}
      version={version}
      versions={versions}
      onChanged={() => {
        remote.reload();
        onChanged();
      }}
    />
  );
}

function LoadedVersion({ version, versions, onChanged }: { version: PolicyVersionView; versions: readonly PolicyVersionSummary[]; onChanged(): void }) {
  const session = useActiveSession();
  const canDraft = roleHolds(session.role, 'policy.draft');
  const canPublish = roleHolds(session.role, 'policy.publish');
  const editable = version.status === 'draft' && canDraft;
  const [title, setTitle] = useState(version.title);
  const [body, setBody] = useState(version.body);
  const [publishing, setPublishing] = useState<'publish' | 'request' | null>(null);
  const save = useSubmission();
  const action = useSubmission();
  const dirty = title !== version.title || body !== version.body;
  const published = versions.filter((v) => v.id !== version.id && v.publishedAt);
  const defaultCompare = published.find((v) => v.version < version.version)?.id ?? published[0]?.id ?? null;
  const [compareWith, setCompareWith] = useState<string | null>(defaultCompare);

  const saveDraft = () =>
    save.run(async () => {
      await call('policy.saveDraft', { id: version.id, revision: version.revision, title, body });
      notifySuccess(`${versionLabel(version.version)} saved.`);
      onChanged();
    });

  const simple = (label: string, channel: 'policy.archive' | 'policy.reopenDraft'): Promise<boolean> =>
    action.run(async () => {
      await call(channel, { id: version.id });
      notifySuccess(label);
      onChanged();
    });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} size="h3">
            {versionLabel(version.version)} · {version.title}
          </Title>
          <Group gap="xs" mt={4}>
            <Badge color={STATUS_COLORS[version.status]} variant="light">
              {STATUS_LABELS[version.status]}
            </Badge>
            {version.inForce && (
              <Badge color="blue" variant="light">
                In force
              </Badge>
            )}
            {version.material && (
              <Badge color="orange" variant="outline">
                Material change
              </Badge>
            )}
            <Text size="sm" c="dimmed">
              {version.publishedAt
                ? `Published ${formatDateTime(version.publishedAt)} by ${version.publishedByName ?? 'the console'} · effective ${version.effectiveDate}`
                : `Drafted by ${version.createdByName ?? 'a removed account'} · last saved ${formatDateTime(version.updatedAt)}`}
            </Text>
          </Group>
          {version.changeSummary && (
            <Text size="sm" mt="xs">
              <b>What changed:</b> {version.changeSummary}
            </Text>
          )}
        </div>
        <Group gap="xs">
          {version.status === 'draft' && canPublish && (
            <Button onClick={() => setPublishing('publish')} disabled={dirty}>
              Publish…
            </Button>
          )}
          {version.status === 'draft' && canDraft && (
            <Button variant="light" onClick={() => setPublishing('request')} disabled={dirty}>
              Ask a manager to publish…
            </Button>
          )}
          {canPublish && (version.status === 'draft' || (version.status === 'published' && !version.inForce && version.effectiveDate !== null && versions.some((v) => v.inForce && v.version > version.version))) && (
            <Button variant="default" color="red" onClick={() => void simple(`${versionLabel(version.version)} archived.`, 'policy.archive')} loading={action.submitting}>
              Archive
            </Button>
          )}
        </Group>
      </Group>
      <FormFailure message={action.failure} />
      {version.status === 'in_review' && (
        <PublicationRequest
          version={version}
          onChanged={onChanged}
          onReopen={canDraft ? () => void simple(`${versionLabel(version.version)} is a draft again.`, 'policy.reopenDraft') : null}
        />
      )}
      {editable ? (
        <Paper withBorder radius="md" p="md">
          <Stack gap="sm">
            <FormFailure title="Not saved" message={save.failure} />
            <TextInput label="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} required />
            <div className={classes.editor}>
              <Textarea
                label="Text (Markdown)"
                description="Headings with #, lists with -; raw HTML is shown as text."
                value={body}
                onChange={(e) => setBody(e.currentTarget.value)}
                autosize
                minRows={18}
                maxRows={40}
                maxLength={POLICY_BODY_MAX}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
              <div>
                <Text size="sm" fw={500} mb={4} id="policy-preview-title">
                  Preview
                </Text>
                <MarkdownPreview source={body} label="Preview of the draft" maxHeight={720} />
              </div>
            </div>
            <Group justify="flex-end">
              {dirty && (
                <Text size="sm" c="dimmed">
                  Unsaved changes
                </Text>
              )}
              <Button variant="default" disabled={!dirty || save.submitting} onClick={() => {
                  setTitle(version.title);
                  setBody(version.body);
                }}>
                Discard changes
              </Button>
              <Button onClick={() => void saveDraft()} loading={save.submitting} disabled={!dirty}>
                Save draft
              </Button>
            </Group>
          </Stack>
        </Paper>
      ) : (
        <MarkdownPreview source={version.body} label={`Text of ${versionLabel(version.version)}`} maxHeight={640} />
      )}
      {published.length > 0 && <Comparison version={version} body={body} candidates={published} compareWith={compareWith} onCompareWith={setCompareWith} />}
      {publishing && (
        <PublishModal
          version={version}
          mode={publishing}
          onClose={() => setPublishing(null)}
          onDone={(next) => {
            setPublishing(null);
            notifySuccess(next.status === 'published' ? `${versionLabel(next.version)} published.` : `${versionLabel(next.version)} sent for approval.`);
            onChanged();
          }}
        />
      )}
    </Stack>
  );
}

function Comparison(props: {
  version: PolicyVersionView;
  body: string;
  candidates: readonly PolicyVersionSummary[];
  compareWith: string | null;
  onCompareWith(id: string | null): void;
}) {
  const { version, body, candidates, compareWith, onCompareWith } = props;
  const loadOther = useCallback(() => (compareWith ? call('policy.get', { id: compareWith }) : Promise.resolve(null)), [compareWith]);
  const remote = useRemoteData(loadOther);
  const other = remote.data && remote.data.version.id === compareWith ? remote.data.version : null;
  const failure = remote.error;
  const older = other && other.version < version.version;
  return (
    <section aria-labelledby="policy-compare-title">
      <Group justify="space-between" mb="sm" align="flex-end">
        <Title order={3} size="h4" id="policy-compare-title">
          Differences
        </Title>
        <Select
          label="Compare with"
          data={candidates.map((v) => ({ value: v.id, label: `${versionLabel(v.version)} (${STATUS_LABELS[v.status].toLowerCase()})` }))}
          value={compareWith}
          onChange={onCompareWith}
          allowDeselect={false}
          w={260}
        />
      </Group>
      <FormFailure message={failure} />
      {other &&
        (older ? (
          <PolicyDiff before={{ label: versionLabel(other.version), body: other.body }} after={{ label: `${versionLabel(version.version)}${body !== version.body ? ' (unsaved)' : ''}`, body }} />
        ) : (
          <PolicyDiff before={{ label: versionLabel(version.version), body }} after={{ label: versionLabel(other.version), body: other.body }} />
        ))}
    </section>
  );
}
