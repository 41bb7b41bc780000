import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import type { Approval } from '../../../../main/features/approvals/approvals.contract.std';
import { REASON_MAX } from '../../../../main/features/approvals/approvals.contract.std';
import { ROLE_LABELS, ROLES, type Role } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { notifyFailure, notifySuccess } from '../../ui/notify';
import { ReasonModal } from '../../ui/ReasonModal';
import { useRemoteData } from '../../ui/useRemoteData';

/** The approval kinds of account governance (main: accountApprovals.node.ts). */
const ACCOUNT_KINDS = new Set(['account.role_grant', 'account.password_reset']);
const RECENT_SHOWN = 5;

const STATUS_COLOURS: Record<Approval['status'], string> = { pending: 'blue', approved: 'teal', denied: 'red', withdrawn: 'gray', expired: 'gray' };

function describe(approval: Approval): string {
  const who = approval.subjectLabel ?? 'an account';
  if (approval.kind === 'account.password_reset') return `Reset the password of ${who}`;
  const role = ROLES.includes(approval.payload.role as Role) ? ROLE_LABELS[approval.payload.role as Role] : 'a role';
  const change = approval.payload.change;
  if (change === 'create') return `New account ${who} as ${role}`;
  if (change === 'enable') return `Enable ${who} again as ${role}`;
  return `Give ${who} the ${role} role`;
}

/**
 * Role grants and resets waiting for a second IT administrator: the other administrators approve or deny them
 * here (with a fresh password entry); the one who asked sees their requests and may withdraw them.
 */
export function AccountApprovals({ onDecided }: { onDecided(): void }) {
  const load = useCallback(async () => {
    const { pending, recent } = await call('approvals.list', { recentLimit: 50 });
    const ours = (a: Approval) => ACCOUNT_KINDS.has(a.kind);
    return { pending: pending.filter(ours), recent: recent.filter(ours).slice(0, RECENT_SHOWN) };
  }, []);
  const approvals = useRemoteData(load);
  const [deciding, setDeciding] = useState<Approval | null>(null);

  const refresh = () => {
    approvals.reload();
    onDecided();
  };
  const withdraw = (approval: Approval) =>
    call('approvals.withdraw', { id: approval.id }).then(
      () => {
        notifySuccess('Request withdrawn.');
        refresh();
      },
      (error: unknown) => notifyFailure('Not withdrawn', error),
    );

  const data = approvals.data;
  if (!data || (data.pending.length === 0 && data.recent.length === 0)) return null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="account-approvals-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="account-approvals-heading">
          Waiting for a second IT administrator
        </Title>
        {data.pending.length === 0 && (
          <Text size="sm" c="dimmed">
            Nothing is waiting.
          </Text>
        )}
        {data.pending.map((approval) => (
          <Paper key={approval.id} withBorder radius="sm" p="sm" aria-label={describe(approval)}>
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <div>
                <Text fw={600} size="sm">
                  {describe(approval)}
                </Text>
                <Text size="xs" c="dimmed">
                  Asked by {approval.requesterName ?? 'a former administrator'} on {formatDateTime(approval.requestedAt)} · expires{' '}
                  {formatDateTime(approval.expiresAt)}
                </Text>
                <Text size="sm" mt={4}>
                  “{approval.requestReason}”
                </Text>
              </div>
              <Group gap="xs" wrap="nowrap">
                {approval.canDecide && (
                  <Button size="xs" onClick={() => setDeciding(approval)}>
                    Decide…
                  </Button>
                )}
                {approval.canWithdraw && (
                  <Button size="xs" variant="default" onClick={() => void withdraw(approval)}>
                    Withdraw
                  </Button>
                )}
                {!approval.canDecide && !approval.canWithdraw && <Badge variant="light">Pending</Badge>}
              </Group>
            </Group>
          </Paper>
        ))}
        {data.recent.length > 0 && (
          <>
            <Text size="sm" fw={600} mt="xs">
              Recent decisions
            </Text>
            {data.recent.map((approval) => (
              <Group key={approval.id} justify="space-between" wrap="nowrap">
                <Text size="sm">
                  {describe(approval)} — asked by {approval.requesterName ?? 'a former administrator'}
                  {approval.deciderName ? `, decided by ${approval.deciderName}` : ''} {formatDateTime(approval.decidedAt)}
                </Text>
                <Badge color={STATUS_COLOURS[approval.status]} variant="light">
                  {approval.status}
                </Badge>
              </Group>
            ))}
          </>
        )}
      </Stack>
      {deciding && (
        <ReasonModal
          title={describe(deciding)}
          formLabel="Decide the request"
          summary={
            <Stack gap={4}>
              <Text size="sm">
                Asked by {deciding.requesterName ?? 'a former administrator'} on {formatDateTime(deciding.requestedAt)}:
              </Text>
              <Text size="sm" fs="italic">
                “{deciding.requestReason}”
              </Text>
              <Text size="sm" c="dimmed">
                Approve only if you have checked with the person or their manager that this is needed.
              </Text>
            </Stack>
          }
          reasonLabel="Your reason"
          reasonDescription="Optional to approve; needed to deny."
          minLength={1}
          maxLength={REASON_MAX}
          emptyMessage="Say why you deny it"
          failureTitle="Not decided"
          actions={[
            { decision: 'approve', label: 'Approve', color: 'teal', icon: <IconCheck size={16} aria-hidden />, requiresReason: false },
            { decision: 'deny', label: 'Deny', color: 'red', icon: <IconX size={16} aria-hidden /> },
          ]}
          onSubmit={async (decision, reason) => {
            await call('approvals.decide', { id: deciding.id, decision, ...(reason ? { reason } : {}) });
            notifySuccess(decision === 'approve' ? 'Approved: the change is applied.' : 'Denied: nothing was changed.');
            setDeciding(null);
            refresh();
          }}
          onClose={() => setDeciding(null)}
        />
      )}
    </Paper>
  );
}
