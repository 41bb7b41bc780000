import { Modal } from '@mantine/core';
import { notifySuccess } from '../../ui/notify';
import { ChangePasswordForm } from './ChangePasswordForm';
import { useActiveSession, useSession } from './sessionContext';

/** "Change my password" from the user menu: the current password and a new one; other sessions of the account end. */
export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const session = useActiveSession();
  const { enter } = useSession();
  return (
    <Modal opened={opened} onClose={onClose} title="Change my password" centered size="md">
      {opened && (
        <ChangePasswordForm
          session={session}
          currentLabel="Current password"
          submitLabel="Change password"
          onChanged={(next) => {
            enter(next);
            notifySuccess('Password changed. Your other open sessions were signed out.');
            onClose();
          }}
          secondary={{ label: 'Cancel', onClick: onClose }}
        />
      )}
    </Modal>
  );
}
