import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { Account } from '../../../../main/features/accounts/accounts.contract.std';
import { ROLE_LABELS, type Role } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { ROLE_OPTIONS } from './roleOptions';

interface ChangeRoleModalProps {
  account: Account;
  onClose(): void;
  onChanged(): void;
}

/** Mounted per account so the form starts from that account's current role. */
export function ChangeRoleModal({ account, onClose, onChanged }: ChangeRoleModalProps) {
  const { submitting, failure, run } = useSubmission();
  const form = useForm({ mode: 'uncontrolled', initialValues: { role: account.role as Role } });

  const submit = form.onSubmit(async ({ role }) => {
    const changed = await run(async () => {
      await call('accounts.update', { id: account.id, role });
      notifySuccess(`${account.displayName} is now ${ROLE_LABELS[role]}.`);
    });
    if (changed) {
      onChanged();
      onClose();
    }
  });

  return (
    <Modal opened onClose={onClose} title={`Change role of ${account.displayName}`} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormFailure message={failure} />
          <Select label="Role" data={ROLE_OPTIONS} allowDeselect={false} key={form.key('role')} {...form.getInputProps('role')} />
          <Text size="sm" c="dimmed">
            A new role takes effect at the next sign-in; any open session of this person is ended now.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting}>
              Save role
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
