import { Alert, Button, Center, Loader, Paper, Stack, Text } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import type { AccountEntry } from '../../../../main/features/accounts/accounts.contract.std';
import { ROLE_LABELS, roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { notifyFailure, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { ReasonModal } from '../../ui/ReasonModal';
import { useRemoteData } from '../../ui/useRemoteData';
import { useActiveSession } from '../session/sessionContext';
import { AccountApprovals } from './AccountApprovals';
import type { AccountAction } from './AccountActionsMenu';
import { AccountsTable } from './AccountsTable';
import { APPROVAL_REASON_HELP, APPROVAL_REASON_LABEL, GOVERNED_ROLES, REASON_MAX } from './approvalReason';
import { ChangeRoleModal } from './ChangeRoleModal';
import { CreateAccountModal } from './CreateAccountModal';
import { DisableAccountModal } from './DisableAccountModal';
import { ResetPasswordModal } from './ResetPasswordModal';

type OpenDialog = { kind: 'create' } | { kind: 'change-role' | 'reset-password' | 'disable' | 'enable-for-approval'; account: AccountEntry } | null;

export function AccountsPage() {
  const session = useActiveSession();
  const canManage = roleHolds(session.role, 'accounts.manage');
  const [dialog, setDialog] = useState<OpenDialog>(null);
  // Bumped after every change, so the approvals panel shows what was just filed or decided.
  const [revision, setRevision] = useState(0);
  const loadAccounts = useCallback(async () => call('accounts.list', {}), []);
  const listing = useRemoteData(loadAccounts);
  const grantsNeedApproval = listing.data?.grantsNeedApproval ?? false;
  const closeDialog = () => setDialog(null);
  const changed = () => {
    listing.reload();
    setRevision((n) => n + 1);
  };

  const update = (account: AccountEntry, change: { clearLockout: true } | { status: 'active' }, done: string) =>
    call('accounts.update', { id: account.id, ...change }).then(
      () => {
        notifySuccess(`${done} ${account.displayName}.`);
        changed();
      },
      (error: unknown) => notifyFailure('Change not saved', error),
    );

  const handleAction = (action: AccountAction, account: AccountEntry) => {
    if (action === 'clear-lockout') void update(account, { clearLockout: true }, 'Lockout cleared for');
    else if (action === 'enable' && grantsNeedApproval && GOVERNED_ROLES.has(account.role)) setDialog({ kind: 'enable-for-approval', account });
    else if (action === 'enable') void update(account, { status: 'active' }, 'Enabled the account of');
    else setDialog({ kind: action, account });
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
      {canManage && listing.data && (
        <Text size="sm" c="dimmed">
          {grantsNeedApproval
            ? 'Granting the Manager or IT administrator role, and resetting such an account’s password, waits for another IT administrator’s approval.'
            : 'You are the only active IT administrator: role grants apply at once and are recorded as such. With a second one, they would need approval.'}
        </Text>
      )}
      {canManage && <AccountApprovals key={revision} onDecided={listing.reload} />}
      <Paper withBorder radius="md" p="xs">
        {listing.error && (
          <Alert color="red" variant="light" m="sm" role="alert">
            {listing.error}
          </Alert>
        )}
        {listing.data ? (
          <AccountsTable accounts={listing.data.accounts} currentUserId={session.userId} onAction={canManage ? handleAction : undefined} />
        ) : (
          listing.loading && (
            <Center p="xl">
              <Loader aria-label="Loading accounts" />
            </Center>
          )
        )}
      </Paper>
      <CreateAccountModal opened={dialog?.kind === 'create'} grantsNeedApproval={grantsNeedApproval} onClose={closeDialog} onCreated={changed} />
      {dialog?.kind === 'change-role' && (
        <ChangeRoleModal account={dialog.account} grantsNeedApproval={grantsNeedApproval} onClose={closeDialog} onChanged={changed} />
      )}
      {dialog?.kind === 'reset-password' && (
        <ResetPasswordModal account={dialog.account} grantsNeedApproval={grantsNeedApproval} onClose={closeDialog} onReset={changed} />
      )}
      {dialog?.kind === 'disable' && <DisableAccountModal account={dialog.account} onClose={closeDialog} onDisabled={changed} />}
      {dialog?.kind === 'enable-for-approval' && (
        <ReasonModal
          title={`Enable the account of ${dialog.account.displayName}?`}
          formLabel="Ask for approval"
          summary={
            <Text size="sm">
              Enabling gives {dialog.account.displayName} the {ROLE_LABELS[dialog.account.role]} role’s access again, so another
              IT administrator must approve it. The account stays disabled until then.
            </Text>
          }
          reasonLabel={APPROVAL_REASON_LABEL}
          reasonDescription={APPROVAL_REASON_HELP}
          minLength={10}
          maxLength={REASON_MAX}
          failureTitle="Not filed"
          actions={[{ decision: 'request', label: 'Ask for approval', color: 'blue' }]}
          onSubmit={async (_decision, reason) => {
            await call('accounts.update', { id: dialog.account.id, status: 'active', reason });
            notifySuccess(`Asked another IT administrator to approve enabling ${dialog.account.displayName}.`);
            closeDialog();
            changed();
          }}
          onClose={closeDialog}
        />
      )}
    </Stack>
  );
}
