import { Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { AccountEntry } from '../../../../main/features/accounts/accounts.contract.std';
import { ROLE_LABELS, type Role } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { APPROVAL_REASON_HELP, APPROVAL_REASON_LABEL, approvalReasonError, GOVERNED_ROLES, REASON_MAX } from './approvalReason';
import { ROLE_OPTIONS } from './roleOptions';
import modalClasses from '../../ui/Modal.module.css';

interface ChangeRoleModalProps {
  account: AccountEntry;
  grantsNeedApproval: boolean;
  onClose(): void;
  onChanged(): void;
}

/** Mounted per account so the form starts from that account's current role. */
export function ChangeRoleModal({ account, grantsNeedApproval, onClose, onChanged }: ChangeRoleModalProps) {
  const { submitting, failure, run } = useSubmission();
  const needsReason = (role: Role) => grantsNeedApproval && role !== account.role && GOVERNED_ROLES.has(role);
  const form = useForm({
    mode: 'controlled',
    initialValues: { role: account.role as Role, reason: '' },
    validate: { reason: (value: string, values: { role: Role }) => (needsReason(values.role) ? approvalReasonError(value) : null) },
  });

  const submit = form.onSubmit(async ({ role, reason }) => {
    const changed = await run(async () => {
      const result = await call('accounts.update', { id: account.id, role, ...(needsReason(role) ? { reason: reason.trim() } : {}) });
      notifySuccess(
        result.approvalId
          ? `Asked another IT administrator to approve ${ROLE_LABELS[role]} for ${account.displayName}.`
          : `${account.displayName} is now ${ROLE_LABELS[role]}.`,
      );
    });
    if (changed) {
      onChanged();
      onClose();
    }
  });

  const held = needsReason(form.values.role);
  return (
    <Modal opened onClose={onClose} title={`Change role of ${account.displayName}`} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormFailure message={failure} />
          <Select label="Role" data={ROLE_OPTIONS} allowDeselect={false} data-autofocus key={form.key('role')} {...form.getInputProps('role')} />
          {held ? (
            <Textarea
              label={APPROVAL_REASON_LABEL}
              description={`${APPROVAL_REASON_HELP} ${account.displayName} keeps the current role until then.`}
              withAsterisk
              autosize
              minRows={2}
              maxLength={REASON_MAX}
              key={form.key('reason')}
              {...form.getInputProps('reason')}
            />
          ) : (
            <Text size="sm" c="dimmed">
              A new role takes effect at the next sign-in; any open session of this person is ended now.
            </Text>
          )}
          <Group justify="flex-end" className={modalClasses.stickyFooter}>
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting}>
              {held ? 'Ask for approval' : 'Save role'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
