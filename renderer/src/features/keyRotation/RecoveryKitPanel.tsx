import { Alert, Badge, Button, Card, Group, PasswordInput, Radio, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { CopyableSecretText, ShownOncePassphrase } from '../../ui/SecretText';
import { useCallback, useState } from 'react';
import type { ChannelOutput } from '../../../../main/api.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { formatDateTime } from '../../ui/format';
import { useRemoteData } from '../../ui/useRemoteData';
import { useSubmission } from '../../ui/useSubmission';

type Kit = ChannelOutput<'keys.status'>['kits'][number];
type Created = ChannelOutput<'keys.kit.create'>;

const MIN_LENGTH = 20;
const MIN_DISTINCT = 8;
/** Mirrors passphraseProblem() in main, which decides. */
function passphraseError(value: string): string | null {
  if ([...value].length < MIN_LENGTH) return `At least ${MIN_LENGTH} characters`;
  if (new Set(value.toLowerCase()).size < MIN_DISTINCT) return `At least ${MIN_DISTINCT} different characters`;
  return null;
}

/** Make a recovery kit (whole, or split for three custodians) and see the kits made, their custodians' acknowledgements. */
export function RecoveryKitPanel({ kits, onCreated }: { kits: readonly Kit[]; onCreated: () => void }) {
  const loadAccounts = useCallback(() => call('accounts.list', {}), []);
  const accounts = useRemoteData(loadAccounts);
  const options = (accounts.data?.accounts ?? []).filter((a) => a.status === 'active').map((a) => ({ value: a.id, label: a.displayName }));
  const [created, setCreated] = useState<Created | null>(null);
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'controlled',
    initialValues: { split: 'whole', custodian1: '', custodian2: '', custodian3: '', choice: 'generate', passphrase: '' },
    validate: {
      custodian1: (v, values) => (values.split === 'split' && !v ? 'Choose a custodian' : null),
      custodian2: (v, values) => (values.split === 'split' && !v ? 'Choose a custodian' : values.split === 'split' && v === values.custodian1 ? 'Choose three different people' : null),
      custodian3: (v, values) =>
        values.split === 'split' && !v ? 'Choose a custodian' : values.split === 'split' && (v === values.custodian1 || v === values.custodian2) ? 'Choose three different people' : null,
      passphrase: (v, values) => (values.choice === 'type' ? passphraseError(v) : null),
    },
  });
  const submit = form.onSubmit((values) =>
    run(async () => {
      setCreated(null);
      const split = values.split === 'split';
      const result = await call('keys.kit.create', {
        split,
        ...(split ? { custodians: [values.custodian1, values.custodian2, values.custodian3] } : {}),
        ...(values.choice === 'type' ? { passphrase: values.passphrase } : {}),
      });
      form.setFieldValue('passphrase', '');
      setCreated(result);
      onCreated();
    }),
  );

  return (
    <Card withBorder>
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4">
            Recovery kits
          </Title>
          <Text size="sm" c="dimmed">
            The KEK sealed under a passphrase, printed to keep in a safe. With it, a workstation whose keychain lost the key is
            restored on the recovery screen. Split, any two of three custodians' shares (with the passphrase) restore it.
          </Text>
        </div>
        <form onSubmit={submit} noValidate aria-label="Make a recovery kit">
          <Stack>
            <FormFailure message={failure} />
            <Radio.Group label="Kit" {...form.getInputProps('split')}>
              <Stack mt="xs" gap="xs">
                <Radio value="whole" label="One sheet under a passphrase" />
                <Radio value="split" label="Split for three custodians (any two restore it)" />
              </Stack>
            </Radio.Group>
            {form.values.split === 'split' && (
              <Group grow align="flex-start">
                {(['custodian1', 'custodian2', 'custodian3'] as const).map((field, i) => (
                  <Select key={field} label={`Custodian of share ${i + 1}`} data={options} searchable withAsterisk {...form.getInputProps(field)} />
                ))}
              </Group>
            )}
            <Radio.Group label="Passphrase" {...form.getInputProps('choice')}>
              <Stack mt="xs" gap="xs">
                <Radio value="generate" label="Generate one (shown once)" />
                <Radio value="type" label="Type one" />
              </Stack>
            </Radio.Group>
            {form.values.choice === 'type' && <PasswordInput label="Passphrase for this kit" description={`At least ${MIN_LENGTH} characters`} autoComplete="new-password" withAsterisk {...form.getInputProps('passphrase')} />}
            <Group>
              <Button type="submit" loading={submitting}>
                Make recovery kit
              </Button>
            </Group>
          </Stack>
        </form>
        {created && (
          <Stack gap="sm" aria-live="polite">
            <Alert color="blue" variant="light" title="Recovery kit made" role="status">
              <Text size="sm">
                Saved as {created.fileName ?? 'a PDF'} (key {created.kekId}). Print it, then delete the file.
              </Text>
              {created.generatedPassphrase && <ShownOncePassphrase passphrase={created.generatedPassphrase} testId="kit-passphrase" />}
            </Alert>
            {created.texts.map((text, i) => (
              <CopyableSecretText
                key={i}
                label={created.texts.length > 1 ? `Share ${i + 1} of ${created.texts.length}` : 'Recovery kit'}
                value={text}
                copyLabel={created.texts.length > 1 ? `Copy share ${i + 1}` : 'Copy kit'}
                minRows={3}
                maxRows={6}
                compact
              />
            ))}
          </Stack>
        )}
        {kits.length === 0 ? (
          <Text size="sm" c="dimmed">
            No recovery kit has been made yet.
          </Text>
        ) : (
          <Table striped withTableBorder aria-label="Recovery kits">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Made</Table.Th>
                <Table.Th scope="col">Key</Table.Th>
                <Table.Th scope="col">Shares</Table.Th>
                <Table.Th scope="col">Custodians</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {kits.map((kit) => (
                <Table.Tr key={kit.id}>
                  <Table.Td>
                    {formatDateTime(kit.createdAt)}
                    {kit.createdByName ? ` by ${kit.createdByName}` : ''}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      <Text size="sm" ff="monospace">
                        {kit.kekId}
                      </Text>
                      {kit.current ? (
                        <Badge color="teal" variant="light">
                          Current
                        </Badge>
                      ) : (
                        <Badge color="gray" variant="light">
                          Stale: key rotated since
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{kit.shares > 1 ? `${kit.threshold} of ${kit.shares}` : 'One sheet'}</Table.Td>
                  <Table.Td>
                    {kit.custodians.length === 0
                      ? '—'
                      : kit.custodians.map((c) => (
                          <Text key={c.share} size="sm">
                            Share {c.share}: {c.displayName ?? 'unknown account'} — {c.acknowledgedAt ? `acknowledged ${formatDateTime(c.acknowledgedAt)}` : 'not acknowledged yet'}
                          </Text>
                        ))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
