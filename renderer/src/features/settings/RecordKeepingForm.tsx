import { Button, Group, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { consoleSettings, type ConsoleSettings } from '../../../../main/features/settings/settings.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { LockedBadge } from './ManagedSettings';

type Values = Pick<ConsoleSettings, 'retentionDays' | 'requestDeadlineDays'>;

/** The contract's own bounds, so the form and main refuse the same values. */
function problem(key: keyof Values, label: string) {
  return (value: unknown) => (consoleSettings.shape[key].safeParse(value).success ? null : label);
}

/** Office-wide record keeping: how long closed records are kept and how long a customer's request may take. */
export function RecordKeepingForm({ current, lockedBy }: { current: ConsoleSettings; lockedBy: Record<keyof Values, string | null> }) {
  const lockedNames = [...new Set(Object.values(lockedBy).filter((by): by is string => by !== null))];
  const allLocked = lockedBy.retentionDays !== null && lockedBy.requestDeadlineDays !== null;
  const { submitting, failure, run } = useSubmission();
  const form = useForm<Values>({
    mode: 'uncontrolled',
    initialValues: { retentionDays: current.retentionDays, requestDeadlineDays: current.requestDeadlineDays },
    validate: {
      retentionDays: problem('retentionDays', 'A whole number of days from 30 to 3650'),
      requestDeadlineDays: problem('requestDeadlineDays', 'A whole number of days from 1 to 90'),
    },
  });

  const submit = form.onSubmit((values) =>
    run(async () => {
      const saved = await call('settings.update', values);
      form.resetDirty({ retentionDays: saved.retentionDays, requestDeadlineDays: saved.requestDeadlineDays });
      notifySuccess(`Saved for every workstation: records kept ${saved.retentionDays} days after closing, requests answered within ${saved.requestDeadlineDays} days.`);
    }),
  );

  return (
    <form onSubmit={submit} noValidate aria-label="Record keeping">
      <Stack>
        <div>
          <Group gap="sm">
            <Title order={2} size="h4">
              Record keeping
            </Title>
            {lockedNames.map((by) => (
              <LockedBadge key={by} by={by} />
            ))}
          </Group>
          <Text size="sm" c="dimmed">
            How long a closed customer record is kept, and how many days staff have to answer a customer&apos;s
            request to see, correct or delete their information.
          </Text>
        </div>
        <FormFailure message={failure} />
        <Group align="flex-start">
          <NumberInput
            clampBehavior="none"
            label="Keep closed records (days)"
            allowDecimal={false}
            allowNegative={false}
            maw={240}
            disabled={lockedBy.retentionDays !== null}
            description={lockedBy.retentionDays !== null ? `Locked by ${lockedBy.retentionDays}` : undefined}
            key={form.key('retentionDays')}
            {...form.getInputProps('retentionDays')}
          />
          <NumberInput
            clampBehavior="none"
            label="Answer requests within (days)"
            allowDecimal={false}
            allowNegative={false}
            maw={240}
            disabled={lockedBy.requestDeadlineDays !== null}
            description={lockedBy.requestDeadlineDays !== null ? `Locked by ${lockedBy.requestDeadlineDays}` : undefined}
            key={form.key('requestDeadlineDays')}
            {...form.getInputProps('requestDeadlineDays')}
          />
        </Group>
        <Group>
          <Button type="submit" loading={submitting} disabled={allLocked}>
            Save record keeping
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
