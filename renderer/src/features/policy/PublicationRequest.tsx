import { Alert, Button, Group, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { REASON_MIN } from '../../../../main/features/approvals/approvals.contract.std';
import type { PolicyVersionView } from '../../../../main/features/policy/policy.contract.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { notifyFailure, notifySuccess } from '../../ui/notify';
import { ReasonModal } from '../../ui/ReasonModal';
import { useRemoteData } from '../../ui/useRemoteData';
import { versionLabel } from './policyLabels';

/**
 * A version awaiting approval: who asked and why, and — for a manager who did not ask — approve (publishes it) or
 * deny with a reason; the requester may withdraw. The approvals service decides who may (never one's own request).
 */
export function PublicationRequest({ version, onChanged, onReopen }: { version: PolicyVersionView; onChanged(): void; onReopen: (() => void) | null }) {
  const load = useCallback(() => call('approvals.list', { recentLimit: 0 }), []);
  const remote = useRemoteData(load);
  const [deciding, setDeciding] = useState(false);
  const request = remote.data?.pending.find((a) => a.id === version.approvalId) ?? null;
  const withdraw = async () => {
    try {
      await call('approvals.withdraw', { id: version.approvalId! });
      await call('policy.reopenDraft', { id: version.id });
      notifySuccess(`Request withdrawn: ${versionLabel(version.version)} is a draft again.`);
      onChanged();
    } catch (error) {
      notifyFailure('Not withdrawn', error);
    }
  };
  return (
    <Alert color="orange" variant="light" title="Awaiting approval">
      {request ? (
        <Text size="sm">
          {request.requesterName ?? 'A removed account'} asked on {formatDateTime(request.requestedAt)} to publish it
          {version.material ? ` as a material change effective ${version.effectiveDate}` : ` effective ${version.effectiveDate}`}: “{request.requestReason}”
        </Text>
      ) : (
        remote.data && (
          <Group gap="sm">
            <Text size="sm">The publication request is no longer pending (denied, withdrawn or expired): reopen the version as a draft to change it or ask again.</Text>
            {onReopen && (
              <Button size="compact-sm" variant="default" onClick={onReopen}>
                Reopen as draft
              </Button>
            )}
          </Group>
        )
      )}
      {request && (
        <Group gap="xs" mt="sm">
          {request.canDecide && (
            <Button size="compact-sm" onClick={() => setDeciding(true)}>
              Decide…
            </Button>
          )}
          {request.canWithdraw && (
            <Button size="compact-sm" variant="default" onClick={() => void withdraw()}>
              Withdraw request
            </Button>
          )}
          {!request.canDecide && !request.canWithdraw && (
            <Text size="xs">A manager other than the requester approves or denies it.</Text>
          )}
        </Group>
      )}
      {deciding && request && (
        <ReasonModal
          title={`Publish ${versionLabel(version.version)}?`}
          formLabel="Publication decision"
          summary={<Text size="sm">{version.changeSummary}</Text>}
          reasonLabel="Note"
          reasonDescription="Needed to deny; optional to approve"
          minLength={REASON_MIN}
          maxLength={2000}
          failureTitle="Not decided"
          actions={[
            { decision: 'approve', label: 'Approve and publish', color: 'teal', requiresReason: false },
            { decision: 'deny', label: 'Deny', color: 'red' },
          ]}
          onSubmit={async (decision, reason) => {
            await call('approvals.decide', { id: request.id, decision, ...(reason ? { reason } : {}) });
            notifySuccess(decision === 'approve' ? `${versionLabel(version.version)} published.` : 'Request denied.');
            setDeciding(false);
            onChanged();
          }}
          onClose={() => setDeciding(false)}
        />
      )}
    </Alert>
  );
}
