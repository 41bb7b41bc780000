import { Text } from '@mantine/core';
import type { LegalHoldView } from '../../../../main/features/erasure/erasure.contract.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { notifySuccess } from '../../ui/notify';
import { ReasonModal } from '../../ui/ReasonModal';

/** Releases a hold, with an optional note kept with it. */
export function ReleaseHoldModal({ hold, onClose, onDone }: { hold: LegalHoldView; onClose(): void; onDone(): void }) {
  return (
    <ReasonModal
      title="Release legal hold"
      formLabel="Release legal hold"
      summary={
        <Text size="sm">
          Hold <b>{hold.reference}</b> on {hold.customerLabel ?? 'this customer'}, placed by {hold.placedByName ?? 'a removed account'} on {formatDateTime(hold.placedAt)}. Once released, the
          customer can be deleted again.
        </Text>
      }
      reasonLabel="Release note (optional)"
      minLength={10}
      maxLength={1000}
      failureTitle="Not released"
      actions={[{ decision: 'release', label: 'Release hold', color: 'orange', requiresReason: false }]}
      onSubmit={async (_decision, note) => {
        await call('erasure.releaseHold', { id: hold.id, ...(note ? { note } : {}) });
        notifySuccess('Legal hold released.');
        onDone();
      }}
      onClose={onClose}
    />
  );
}
