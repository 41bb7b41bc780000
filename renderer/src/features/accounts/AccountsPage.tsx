import { Alert, Button, Center, Loader, Paper, Stack } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import type { ChannelInput } from '../../../../main/api.std';
import type { Account } from '../../../../main/features/accounts/accounts.contract.std';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { notifyFailure, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { useRemoteData } from '../../ui/useRemoteData';
import { useActiveSession } from '../session/sessionContext';
import type { AccountAction } from './AccountActionsMenu';
import { AccountsTable } from './AccountsTable';
import { ChangeRoleModal } from './ChangeRoleModal';
import { CreateAccountModal } from './CreateAccountModal';
import { ResetPasswordModal } from './ResetPasswordModal';

type OpenDialog = { kind: 'create' } | { kind: 'change-role' | 'reset-password'; account: Account } | null;

type AccountChange = Omit<ChannelInput<'accounts.update'>, 'id'>;

const DIRECT_CHANGES: Record<'clear-lockout' | 'disable' | 'enable', { change: AccountChange; done: string }> = {
  'clear-lockout': { change: { clearLockout: true }, done: 'Lockout cleared for' },
  disable: { change: { status: 'disabled' }, done: 'Disabled the account of' },
  enable: { change: { status: 'active' }, done: 'Enabled the account of' },
};

export function AccountsPage() {
  const session = useActiveSession();
  const canManage = roleHolds(session.role, 'accounts.manage');
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const loadAccounts = useCallback(async () => (await call('accounts.list', {})).accounts, []);
  const accounts = useRemoteData(loadAccounts);
  const closeDialog = () => setDialog(null);

  const handleAction = (action: AccountAction, account: Account) => {
    if (action === 'change-role' || action === 'reset-password') {
      setDialog({ kind: action, account });
      return;
    }
    const { change, done } = DIRECT_CHANGES[action];
    call('accounts.update', { id: account.id, ...change }).then(
      () => {
        notifySuccess(`${done} ${account.displayName}.`);
        accounts.reload();
      },
      (error: unknown) => notifyFailure('Change not saved', error),
    );
  };

  return (
    <Stack gap="lg">
      <PageHeader
        title="Accounts"
        description="Everyone who can sign in to the console, and the role that decides what they may do."
        actions={
          canManage && (
            <Button leftSection={<IconUserPlus size={18} aria-hidden />} onClick={() => setDialog({ kind: 'create' })}>
              New account
            </Button>
          )
        }
      />
      <Paper withBorder radius="md" p="xs">
        {accounts.error && (
          <Alert color="red" variant="light" m="sm" role="alert">
            {accounts.error}
          </Alert>
        )}
        {accounts.data ? (
          <AccountsTable accounts={accounts.data} onAction={canManage ? handleAction : undefined} />
        ) : (
          accounts.loading && (
            <Center p="xl">
              <Loader aria-label="Loading accounts" />
            </Center>
          )
        )}
      </Paper>
      <CreateAccountModal opened={dialog?.kind === 'create'} onClose={closeDialog} onCreated={accounts.reload} />
      {dialog?.kind === 'change-role' && (
        <ChangeRoleModal account={dialog.account} onClose={closeDialog} onChanged={accounts.reload} />
      )}
      {dialog?.kind === 'reset-password' && (
        <ResetPasswordModal account={dialog.account} onClose={closeDialog} onReset={accounts.reload} />
      )}
    </Stack>
  );
}
