import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { Account } from '../../../../main/features/accounts/accounts.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { NewPasswordFields } from '../../ui/NewPasswordFields';
import { newPasswordRules } from '../../ui/formRules';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';

interface ResetPasswordModalProps {
  account: Account;
  onClose(): void;
  onReset(): void;
}

export function ResetPasswordModal({ account, onClose, onReset }: ResetPasswordModalProps) {
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { password: '', confirmation: '' },
    validate: newPasswordRules(() => account.username),
  });

  const submit = form.onSubmit(async ({ password }) => {
    const done = await run(async () => {
      await call('accounts.resetPassword', { id: account.id, password });
      notifySuccess(`Password of ${account.displayName} reset.`);
    });
    if (done) {
      onReset();
      onClose();
    }
  });

  return (
    <Modal opened onClose={onClose} title={`Reset password of ${account.displayName}`} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormFailure message={failure} />
          <Text size="sm" c="dimmed">
            This also clears failed attempts and any lockout. Give the new password to the person in person or by
            phone, never by e-mail.
          </Text>
          <NewPasswordFields form={form} label="New password" confirmationLabel="Confirm new password" autoFocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting}>
              Reset password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
