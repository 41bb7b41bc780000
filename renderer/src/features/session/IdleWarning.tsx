import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconClockExclamation } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { call, lastCallAt } from '../../api/client';
import { notifyFailure } from '../../ui/notify';

/** How long before the idle lock the warning appears. */
export const IDLE_WARNING_MS = 60_000;
const TICK_MS = 1_000;

/**
 * Main locks a session that made no call for the office's idle minutes; a minute before, this says so and offers
 * to stay signed in (one activity call restarts main's count). Any other call in the meantime does the same.
 */
export function IdleWarning({ idleLockMinutes }: { idleLockMinutes: number }) {
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);

  useEffect(() => {
    const check = () => {
      const left = lastCallAt() + idleLockMinutes * 60_000 - Date.now();
      setSecondsLeft(left <= IDLE_WARNING_MS ? Math.max(0, Math.ceil(left / 1000)) : null);
    };
    check();
    const timer = setInterval(check, TICK_MS);
    return () => clearInterval(timer);
  }, [idleLockMinutes]);

  const stay = () => {
    setSecondsLeft(null);
    call('session.activity', {}).catch((error: unknown) => notifyFailure('Could not keep the session open', error));
  };

  return (
    <Modal
      opened={secondsLeft !== null}
      onClose={stay}
      title="Still there?"
      centered
      zIndex={450}
      closeOnClickOutside={false}
    >
      <Stack>
        <Group wrap="nowrap" align="flex-start" gap="sm">
          <IconClockExclamation size={28} stroke={1.5} aria-hidden />
          <Text size="sm" role="timer" aria-live="off">
            The console locks in {secondsLeft ?? 0} seconds to protect personal data, after {idleLockMinutes} minutes
            without activity.
          </Text>
        </Group>
        <Group justify="flex-end">
          <Button onClick={stay} data-autofocus>
            Stay signed in
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
