import { Badge, Group, Tooltip } from '@mantine/core';
import type { Account } from '../../../../main/features/accounts/accounts.contract.std';
import { formatDateTime } from '../../ui/format';

export function AccountStatus({ account }: { account: Account }) {
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
    </Group>
  );
}
