import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { AccountEntry } from '../../../../main/features/accounts/accounts.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import modalClasses from '../../ui/Modal.module.css';

/** Disabling signs a person out everywhere at once: confirmed, naming whom. */
export function DisableAccountModal({ account, onClose, onDisabled }: { account: AccountEntry; onClose(): void; onDisabled(): void }) {
  const { submitting, failure, run } = useSubmission();
  const disable = async () => {
    const done = await run(async () => {
      await call('accounts.update', { id: account.id, status: 'disabled' });
      notifySuccess(`Disabled the account of ${account.displayName}.`);
    });
    if (done) {
      onDisabled();
      onClose();
    }
  };
  return (
    <Modal opened onClose={onClose} title={`Disable the account of ${account.displayName}?`} centered>
      <Stack>
        <FormFailure message={failure} />
        <Text size="sm">
          {account.displayName} ({account.username}) is signed out on every workstation at once and cannot sign in until
          the account is enabled again. Nothing they did is deleted.
        </Text>
        <Group justify="flex-end" className={modalClasses.stickyFooter}>
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" loading={submitting} onClick={() => void disable()}>
            Disable account
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
