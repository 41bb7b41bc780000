import { Badge, Group, Tooltip } from '@mantine/core';
import type { AccountEntry } from '../../../../main/features/accounts/accounts.contract.std';
import { ROLE_LABELS } from '../../../../main/platform/ipc/roles.std';
import { formatDateTime } from '../../ui/format';

export function AccountStatus({ account }: { account: AccountEntry }) {
  return (
    <Group gap={6}>
      {account.status === 'active' ? (
        <Badge color="teal" variant="dot">
          Active
        </Badge>
      ) : (
        <Badge color="gray" variant="dot">
          Disabled
        </Badge>
      )}
      {account.lockedUntil && (
        <Tooltip label={`Locked after failed sign-ins until ${formatDateTime(account.lockedUntil)}`}>
          <Badge color="orange" variant="light">
            Locked out
          </Badge>
        </Tooltip>
      )}
      {account.awaitingRole && (
        <Badge color="blue" variant="light">
          {account.status === 'disabled' && account.awaitingRole === account.role ? 'Awaiting approval' : `${ROLE_LABELS[account.awaitingRole]} awaiting approval`}
        </Badge>
      )}
      {account.awaitingReset && (
        <Badge color="blue" variant="light">
          Reset awaiting approval
        </Badge>
      )}
      {account.mustChangePassword && (
        <Badge color="yellow" variant="light">
          Must set a new password
        </Badge>
      )}
    </Group>
  );
}
