import { Text } from '@mantine/core';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { call } from '../../api/client';
import { notifySuccess } from '../../ui/notify';
import { ReasonModal } from '../../ui/ReasonModal';

interface DecideModalProps {
  /** The approval id of the deletion request or retention batch. */
  approvalId: string;
  title: string;
  summary: ReactNode;
  /** What approving does, said on the button ("Approve and delete"). */
  approveLabel: string;
  onClose(): void;
  onDone(): void;
}

/** Approve (reason optional) or deny (reason required) a deletion request or retention batch; approving asks for the password again. */
export function DecideModal({ approvalId, title, summary, approveLabel, onClose, onDone }: DecideModalProps) {
  return (
    <ReasonModal
      title={title}
      formLabel={title}
      summary={summary}
      reasonLabel="Reason"
      reasonDescription="Required to deny; optional to approve. Kept with the request, visible to the requester."
      minLength={10}
      maxLength={2000}
      failureTitle="Not decided"
      actions={[
        { decision: 'approve', label: approveLabel, color: 'red', requiresReason: false, icon: <IconCircleCheck size={16} aria-hidden /> },
        { decision: 'deny', label: 'Deny', color: 'gray', icon: <IconCircleX size={16} aria-hidden /> },
      ]}
      onSubmit={async (decision, reason) => {
        const decided = await call('erasure.decide', { id: approvalId, decision, ...(reason ? { reason } : {}) });
        notifySuccess(decided.status === 'approved' ? 'Approved.' : 'Denied. The requester can see why.');
        onDone();
      }}
      onClose={onClose}
    />
  );
}

export function IrreversibleNote() {
  return (
    <Text size="sm" c="red.8" fw={500}>
      Approving deletes every record about the customer at once and cannot be undone. Only a tombstone (an opaque id, dates, reason, who) stays.
    </Text>
  );
}
