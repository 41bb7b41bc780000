import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconShieldLock } from '@tabler/icons-react';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { useSubmission } from '../../ui/useSubmission';
import modalClasses from '../../ui/Modal.module.css';

interface ReauthModalProps {
  opened: boolean;
  onSettled(confirmed: boolean): void;
}

/** Sensitive changes need a fresh password entry; the refused call is retried once this succeeds. */
export function ReauthModal({ opened, onSettled }: ReauthModalProps) {
  const { submitting, failure, run, reset } = useSubmission();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { password: '' },
    validate: { password: (value) => (value ? null : 'Enter your password') },
  });

  const close = (confirmed: boolean) => {
    form.reset();
    reset();
    onSettled(confirmed);
  };

  const confirm = form.onSubmit(async ({ password }) => {
    if (await run(async () => void (await call('session.reauthenticate', { password })))) close(true);
  });

  return (
    <Modal opened={opened} onClose={() => close(false)} title="Confirm it's you" centered zIndex={400}>
      <form onSubmit={confirm} noValidate>
        <Stack>
          <Group wrap="nowrap" align="flex-start" gap="sm">
            <IconShieldLock size={28} stroke={1.5} aria-hidden />
            <Text size="sm">This change is protected. Enter your password again to continue.</Text>
          </Group>
          <FormFailure message={failure} />
          <PasswordInput
            label="Your password"
            autoComplete="current-password"
            data-autofocus
            key={form.key('password')}
            {...form.getInputProps('password')}
          />
          <Group justify="flex-end" className={modalClasses.stickyFooter}>
            <Button variant="default" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting}>
              Confirm
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
