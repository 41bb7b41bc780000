import { Alert, Button, Checkbox, Group, Modal, Select, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { Recipient } from '../../../../main/features/disclosures/disclosures.contract.std';
import { DEFAULT_RECIPIENT_FIELDS, MAX_RECIPIENT_FIELDS, RECIPIENT_KINDS, type DisclosableField, type RecipientKind } from '../../../../main/features/disclosures/disclosureRules.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useRemoteData } from '../../ui/useRemoteData';
import { useSubmission } from '../../ui/useSubmission';
import { DISCLOSABLE_FIELD_LABELS, RECIPIENT_KIND_LABELS } from './labels';
import modalClasses from '../../ui/Modal.module.css';

interface RecipientModalProps {
  /** Null: a new recipient. */
  recipient: Recipient | null;
  canEdit: boolean;
  onClose(): void;
  onSaved(): void;
}

/**
 * A recipient's allowed fields and history. Each save is a new version; fields beyond the kind's default are a
 * widening and need a reason, kept (encrypted) in the history. Fields beyond the kind's maximum are not offered.
 */
export function RecipientModal({ recipient, canEdit, onClose, onSaved }: RecipientModalProps) {
  const [name, setName] = useState(recipient?.name ?? '');
  const [kind, setKind] = useState<RecipientKind>(recipient?.kind ?? 'shipping');
  const [fields, setFields] = useState<DisclosableField[]>(recipient?.allowedFields ?? [...DEFAULT_RECIPIENT_FIELDS.shipping]);
  const [active, setActive] = useState(recipient?.active ?? true);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const { submitting, failure, run } = useSubmission();
  const widened = fields.filter((f) => !DEFAULT_RECIPIENT_FIELDS[kind].includes(f));

  const save = () => {
    if (!name.trim()) return setProblem('Give the recipient a name');
    if (fields.length === 0) return setProblem('Choose at least one field');
    if (widened.length && reason.trim().length < 10) return setProblem('Widening beyond the default fields needs a reason of at least 10 characters');
    setProblem(null);
    void run(async () => {
      await call('disclosures.recipients.save', {
        ...(recipient ? { id: recipient.id } : {}),
        name: name.trim(),
        kind,
        allowedFields: fields,
        active,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      notifySuccess(recipient ? 'Recipient saved as a new version.' : 'Recipient added.');
      onSaved();
    });
  };

  return (
    <Modal opened onClose={onClose} title={recipient ? `Recipient: ${recipient.name}` : 'Add a recipient'} size="lg" centered>
      <Stack>
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} disabled={!canEdit} required maxLength={200} data-autofocus />
        <Select
          label="Kind"
          data={RECIPIENT_KINDS.map((value) => ({ value, label: RECIPIENT_KIND_LABELS[value] }))}
          value={kind}
          onChange={(value) => {
            if (!value) return;
            setKind(value as RecipientKind);
            setFields([...DEFAULT_RECIPIENT_FIELDS[value as RecipientKind]]);
          }}
          allowDeselect={false}
          disabled={!canEdit || recipient !== null}
          description={recipient ? 'A recipient keeps its kind.' : undefined}
        />
        <Checkbox.Group label="Fields it may receive" value={fields} onChange={(value) => setFields(value as DisclosableField[])}>
          <Group mt="xs">
            {MAX_RECIPIENT_FIELDS[kind].map((field) => (
              <Checkbox key={field} value={field} disabled={!canEdit} label={`${DISCLOSABLE_FIELD_LABELS[field]}${DEFAULT_RECIPIENT_FIELDS[kind].includes(field) ? '' : ' (widening)'}`} />
            ))}
          </Group>
        </Checkbox.Group>
        {widened.length > 0 && canEdit && (
          <Textarea
            label="Reason for widening"
            description="Why this recipient needs more than the default fields. Kept in the version history."
            autosize
            minRows={2}
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
          />
        )}
        <Switch label="Active (can receive new disclosures)" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} disabled={!canEdit} />
        {problem && (
          <Alert color="red" variant="light" role="alert">
            {problem}
          </Alert>
        )}
        <FormFailure message={failure} title="Not saved" />
        {recipient && <Versions recipientId={recipient.id} />}
        <Group justify="flex-end" className={modalClasses.stickyFooter}>
          <Button variant="default" onClick={onClose}>
            {canEdit ? 'Cancel' : 'Close'}
          </Button>
          {canEdit && (
            <Button loading={submitting} onClick={save}>
              {recipient ? 'Save as new version' : 'Add recipient'}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

function Versions({ recipientId }: { recipientId: string }) {
  const load = useCallback(() => call('disclosures.recipients.versions', { recipientId }), [recipientId]);
  const versions = useRemoteData(load);
  return (
    <div>
      <Title order={3} size="h6" mb={4}>
        Version history
      </Title>
      {versions.error && <Text c="red">{versions.error}</Text>}
      <Table aria-label="Version history" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Version</Table.Th>
            <Table.Th>Changed</Table.Th>
            <Table.Th>Fields</Table.Th>
            <Table.Th>Reason</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(versions.data?.versions ?? []).map((v) => (
            <Table.Tr key={v.version}>
              <Table.Td>{v.version}</Table.Td>
              <Table.Td>
                <Text size="xs">
                  {formatDateTime(v.changedAt)} · {v.changedByName ?? 'Removed account'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{v.allowedFields.map((f) => DISCLOSABLE_FIELD_LABELS[f]).join(', ')}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{v.reason ?? '—'}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
