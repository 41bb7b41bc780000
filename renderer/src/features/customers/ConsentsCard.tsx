import { Badge, Button, Group, Modal, Paper, Select, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { CONSENT_PURPOSE_LABELS, type ConsentPurpose, type STAFF_CONSENT_CHANNELS } from '../../../../main/features/customers/consents.std';
import type { CustomerRecord } from '../../../../main/features/customers/customers.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { formatDateTime } from '../../ui/format';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { useActiveSession } from '../session/sessionContext';
import { CHANNEL_LABELS, staffLabel } from './labels';
import { CHANNEL_OPTIONS } from './NewCustomerModal';

type ConsentState = NonNullable<CustomerRecord['consents']>[number];
type ConsentEvent = NonNullable<CustomerRecord['consentHistory']>[number];
type StaffChannel = (typeof STAFF_CONSENT_CHANNELS)[number];

interface ConsentsCardProps {
  customerId: string;
  consents: readonly ConsentState[];
  history: readonly ConsentEvent[];
  canChange: boolean;
  onChanged(consent: ConsentState, event: ConsentEvent): void;
}

function stateText(consent: ConsentState): string {
  if (!consent.changedAt || !consent.channel) return 'Never given';
  const how = CHANNEL_LABELS[consent.channel];
  const shown = consent.policyVersion ? ` · policy version ${consent.policyVersion}` : '';
  return `${consent.granted ? 'Given' : 'Withdrawn'} · ${how} · ${formatDateTime(consent.changedAt)}${shown}`;
}

/** Marketing preferences and third-party sharing: off until the customer says yes, with a history of every change. */
export function ConsentsCard({ customerId, consents, history, canChange, onChanged }: ConsentsCardProps) {
  const { userId, displayName } = useActiveSession();
  const [change, setChange] = useState<{ purpose: ConsentPurpose; granted: boolean } | null>(null);

  return (
    <Paper withBorder radius="md" p="lg">
      <Stack gap="md">
        <div>
          <Title order={2} size="h4">
            Marketing preferences
          </Title>
          <Text size="sm" c="dimmed">
            Newsletters, product news, research and sharing with third parties are only used when the customer agreed.
          </Text>
        </div>
        <Table verticalSpacing="xs" aria-label="Marketing preferences">
          <Table.Tbody>
            {consents.map((consent) => (
              <Table.Tr key={consent.purpose}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {CONSENT_PURPOSE_LABELS[consent.purpose]}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {stateText(consent)}
                  </Text>
                </Table.Td>
                <Table.Td w={80}>
                  <Switch
                    checked={consent.granted}
                    disabled={!canChange}
                    onChange={(event) => setChange({ purpose: consent.purpose, granted: event.currentTarget.checked })}
                    aria-label={CONSENT_PURPOSE_LABELS[consent.purpose]}
                    color="teal"
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <div>
          <Text size="sm" fw={600} mb={4}>
            History
          </Text>
          {history.length === 0 ? (
            <Text size="sm" c="dimmed">
              No consent was ever given or withdrawn.
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={480}>
              <Table verticalSpacing={4} fz="sm" aria-label="Consent history" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Preference</Table.Th>
                    <Table.Th>Change</Table.Th>
                    <Table.Th>How</Table.Th>
                    <Table.Th>Policy shown</Table.Th>
                    <Table.Th>Recorded by</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {[...history].reverse().map((event, index) => (
                    <Table.Tr key={`${event.at}-${event.purpose}-${index}`}>
                      <Table.Td>{formatDateTime(event.at, { seconds: true })}</Table.Td>
                      <Table.Td>{CONSENT_PURPOSE_LABELS[event.purpose]}</Table.Td>
                      <Table.Td>
                        <Badge color={event.granted ? 'teal' : 'gray'} variant="light">
                          {event.granted ? 'Given' : 'Withdrawn'}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{CHANNEL_LABELS[event.channel]}</Table.Td>
                      <Table.Td>{event.policyVersion ? `Version ${event.policyVersion}` : '—'}</Table.Td>
                      <Table.Td>{staffLabel(event.recordedBy, event.actorName, userId)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </div>
      </Stack>
      {change && (
        <ConsentChangeModal
          customerId={customerId}
          change={change}
          onClose={() => setChange(null)}
          onSaved={(consent, channel) => {
            // Main stored exactly this event; it is added here so the history needs no second opening.
            onChanged(consent, {
              purpose: consent.purpose,
              granted: consent.granted,
              channel,
              at: consent.changedAt ?? '',
              policyVersion: consent.policyVersion,
              recordedBy: userId,
              actorName: displayName,
            });
            setChange(null);
          }}
        />
      )}
    </Paper>
  );
}

interface ConsentChangeModalProps {
  customerId: string;
  change: { purpose: ConsentPurpose; granted: boolean };
  onClose(): void;
  onSaved(consent: ConsentState, channel: StaffChannel): void;
}

function ConsentChangeModal({ customerId, change, onClose, onSaved }: ConsentChangeModalProps) {
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'controlled',
    initialValues: { channel: null as StaffChannel | null },
    validate: { channel: (value) => (value ? null : 'Say how the customer told us') },
  });
  const label = CONSENT_PURPOSE_LABELS[change.purpose];

  const submit = form.onSubmit(({ channel }) =>
    run(async () => {
      if (!channel) return;
      const { consent } = await call('customers.setConsent', { customerId, purpose: change.purpose, granted: change.granted, channel });
      notifySuccess(`${label}: consent ${change.granted ? 'given' : 'withdrawn'}.`);
      onSaved(consent, channel);
    }),
  );

  return (
    <Modal opened onClose={onClose} title={change.granted ? `Record consent: ${label}` : `Record withdrawal: ${label}`} centered>
      <form onSubmit={submit} noValidate aria-label="Consent change">
        <Stack>
          <Text size="sm">
            {change.granted
              ? 'Record that the customer agreed to this. The time, the way they told us and your account are kept in the history.'
              : 'Record that the customer withdrew this consent. It stops applying at once; the history keeps when and how.'}
          </Text>
          <FormFailure message={failure} title="Not saved" />
          <Select label="How did the customer tell us?" data={CHANNEL_OPTIONS} withAsterisk key={form.key('channel')} {...form.getInputProps('channel')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting} color={change.granted ? undefined : 'red'}>
              {change.granted ? 'Record consent' : 'Record withdrawal'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
