import { Button, Group, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { ConsoleSettings } from '../../../../main/features/settings/settings.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { useSession } from '../session/sessionContext';
import { LockedBadge } from './ManagedSettings';

const MIN_MINUTES = 1;
const MAX_MINUTES = 120;

/** `lockedBy`: who locked the setting through the managed settings (null: not locked). */
export function IdleLockForm({ current, lockedBy }: { current: ConsoleSettings; lockedBy: string | null }) {
  const { refresh } = useSession();
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { idleLockMinutes: current.idleLockMinutes },
    validate: {
      idleLockMinutes: (value) =>
        Number.isInteger(value) && value >= MIN_MINUTES && value <= MAX_MINUTES
          ? null
          : `A whole number of minutes from ${MIN_MINUTES} to ${MAX_MINUTES}`,
    },
  });

  const submit = form.onSubmit(({ idleLockMinutes }) =>
    run(async () => {
      const saved = await call('settings.update', { idleLockMinutes });
      form.resetDirty({ idleLockMinutes: saved.idleLockMinutes });
      notifySuccess(`The console now locks after ${saved.idleLockMinutes} minutes without activity.`);
      // The session info carries the lock time shown around the console.
      await refresh();
    }),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <div>
          <Group gap="sm">
            <Title order={2} size="h4">
              Idle lock
            </Title>
            {lockedBy !== null && <LockedBadge by={lockedBy} />}
          </Group>
          <Text size="sm" c="dimmed">
            An unattended console must not show personal data. After this many minutes without activity the console
            locks and asks for the password.
          </Text>
        </div>
        <FormFailure message={failure} />
        <NumberInput
          clampBehavior="none"
          label="Lock after (minutes)"
          min={MIN_MINUTES}
          max={MAX_MINUTES}
          allowDecimal={false}
          allowNegative={false}
          maw={220}
          disabled={lockedBy !== null}
          description={lockedBy !== null ? `Locked by ${lockedBy}` : undefined}
          key={form.key('idleLockMinutes')}
          {...form.getInputProps('idleLockMinutes')}
        />
        <Group>
          <Button type="submit" loading={submitting} disabled={lockedBy !== null}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
