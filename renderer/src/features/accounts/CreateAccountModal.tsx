import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { Role } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { NewPasswordFields } from '../../ui/NewPasswordFields';
import { newPasswordRules, requiredText, usernameError } from '../../ui/formRules';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { ROLE_OPTIONS } from './roleOptions';

interface CreateAccountModalProps {
  opened: boolean;
  onClose(): void;
  onCreated(): void;
}

export function CreateAccountModal({ opened, onClose, onCreated }: CreateAccountModalProps) {
  const { submitting, failure, run, reset } = useSubmission();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { username: '', displayName: '', role: 'staff' as Role, password: '', confirmation: '' },
    validate: {
      username: usernameError,
      displayName: requiredText('a display name', 80),
      ...newPasswordRules((values: { username: string }) => values.username),
    },
  });

  const close = () => {
    form.reset();
    reset();
    onClose();
  };

  const submit = form.onSubmit(async ({ username, displayName, role, password }) => {
    const created = await run(async () => {
      const account = await call('accounts.create', { username, displayName, role, password });
      notifySuccess(`Account “${account.username}” created.`);
    });
    if (created) {
      onCreated();
      close();
    }
  });

  return (
    <Modal opened={opened} onClose={close} title="New account" size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormFailure message={failure} />
          <Group grow align="flex-start">
            <TextInput label="Username" withAsterisk data-autofocus key={form.key('username')} {...form.getInputProps('username')} />
            <TextInput label="Display name" withAsterisk key={form.key('displayName')} {...form.getInputProps('displayName')} />
          </Group>
          <Select
            label="Role"
            description="Grants only what this role needs; it can be changed later."
            data={ROLE_OPTIONS}
            allowDeselect={false}
            withAsterisk
            key={form.key('role')}
            {...form.getInputProps('role')}
          />
          <NewPasswordFields form={form} label="Initial password" inline />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting}>
              Create account
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
