import { Alert, Button, Group, Modal, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ROLE_LABELS, type Role } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { NewPasswordFields } from '../../ui/NewPasswordFields';
import { newPasswordRules, requiredText, usernameError } from '../../ui/formRules';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { useActiveSession } from '../session/sessionContext';
import { APPROVAL_REASON_HELP, APPROVAL_REASON_LABEL, approvalReasonError, GOVERNED_ROLES, REASON_MAX } from './approvalReason';
import { ROLE_OPTIONS } from './roleOptions';
import modalClasses from '../../ui/Modal.module.css';

interface CreateAccountModalProps {
  opened: boolean;
  /** Another active IT administrator exists: a manager or administrator account waits for their approval. */
  grantsNeedApproval: boolean;
  onClose(): void;
  onCreated(): void;
}

export function CreateAccountModal({ opened, grantsNeedApproval, onClose, onCreated }: CreateAccountModalProps) {
  const session = useActiveSession();
  const { submitting, failure, run, reset } = useSubmission();
  const needsReason = (role: Role) => grantsNeedApproval && GOVERNED_ROLES.has(role);
  const form = useForm({
    mode: 'controlled',
    initialValues: { username: '', displayName: '', role: 'staff' as Role, password: '', confirmation: '', reason: '' },
    validate: {
      username: usernameError,
      displayName: requiredText('a display name', 80),
      ...newPasswordRules((values: { username: string }) => values.username, session.minPasswordLength),
      reason: (value: string, values: { role: Role }) => (needsReason(values.role) ? approvalReasonError(value) : null),
    },
  });

  const close = () => {
    form.reset();
    reset();
    onClose();
  };

  const submit = form.onSubmit(async ({ username, displayName, role, password, reason }) => {
    const created = await run(async () => {
      const account = await call('accounts.create', { username, displayName, role, password, ...(needsReason(role) ? { reason: reason.trim() } : {}) });
      notifySuccess(
        account.approvalId
          ? `Account “${account.username}” created, disabled until another IT administrator approves the ${ROLE_LABELS[role]} role.`
          : `Account “${account.username}” created.`,
      );
    });
    if (created) {
      onCreated();
      close();
    }
  });

  const held = needsReason(form.values.role);
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
          {held && (
            <>
              <Alert color="blue" variant="light" role="status">
                The {ROLE_LABELS[form.values.role]} role reaches customer data or every account: the new account stays
                disabled until another IT administrator approves it.
              </Alert>
              <Textarea
                label={APPROVAL_REASON_LABEL}
                description={APPROVAL_REASON_HELP}
                withAsterisk
                autosize
                minRows={2}
                maxLength={REASON_MAX}
                key={form.key('reason')}
                {...form.getInputProps('reason')}
              />
            </>
          )}
          <NewPasswordFields form={form} label="Initial password" inline minLength={session.minPasswordLength} />
          <Group justify="flex-end" className={modalClasses.stickyFooter} mt="xs">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting}>
              {held ? 'Create and ask for approval' : 'Create account'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
