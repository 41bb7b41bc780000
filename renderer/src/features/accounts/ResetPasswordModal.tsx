import { Alert, Button, Code, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useRef, useState } from 'react';
import type { AccountEntry } from '../../../../main/features/accounts/accounts.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { useSubmission } from '../../ui/useSubmission';
import { APPROVAL_REASON_HELP, APPROVAL_REASON_LABEL, approvalReasonError, GOVERNED_ROLES, REASON_MAX } from './approvalReason';
import modalClasses from '../../ui/Modal.module.css';

interface ResetPasswordModalProps {
  account: AccountEntry;
  grantsNeedApproval: boolean;
  onClose(): void;
  onReset(): void;
}

/**
 * IT never picks someone's password: the reset makes a one-time code, shown here once, for the person to set their
 * own at next sign-in. A manager's or administrator's code works only once another IT administrator approves.
 */
export function ResetPasswordModal({ account, grantsNeedApproval, onClose, onReset }: ResetPasswordModalProps) {
  const { submitting, failure, run } = useSubmission();
  const [issued, setIssued] = useState<{ code: string; awaitingApproval: boolean } | null>(null);
  const needsReason = grantsNeedApproval && GOVERNED_ROLES.has(account.role);
  // The same dialog turns into the code's: its opening focus has passed, so the code's only button takes it here.
  const done = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (issued) done.current?.focus();
  }, [issued]);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { reason: '' },
    validate: { reason: (value: string) => (needsReason ? approvalReasonError(value) : null) },
  });

  const submit = form.onSubmit(async ({ reason }) => {
    await run(async () => {
      const result = await call('accounts.resetPassword', { id: account.id, ...(needsReason ? { reason: reason.trim() } : {}) });
      setIssued({ code: result.oneTimeCode, awaitingApproval: result.approvalId !== null });
      onReset();
    });
  });

  if (issued) {
    return (
      <Modal opened onClose={onClose} title={`One-time code for ${account.displayName}`} centered closeOnClickOutside={false}>
        <Stack>
          <Text size="sm">Give this code to {account.displayName} in person or by phone, never by e-mail. It is shown only now.</Text>
          <Code block fz="xl" ta="center" aria-label="One-time code" data-testid="one-time-code">
            {issued.code}
          </Code>
          <Text size="sm" c="dimmed">
            At their next sign-in they enter it as their password and must then choose their own; they are told that
            you reset it, and when.
          </Text>
          {issued.awaitingApproval && (
            <Alert color="blue" variant="light" role="status" title="Waiting for approval">
              The code works only once another IT administrator approves this reset. Until then the current password
              still works.
            </Alert>
          )}
          <Group justify="flex-end">
            <Button onClick={onClose} ref={done}>
              Done, I have handed it over
            </Button>
          </Group>
        </Stack>
      </Modal>
    );
  }

  return (
    <Modal opened onClose={onClose} title={`Reset password of ${account.displayName}`} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormFailure message={failure} />
          <Text size="sm">
            {account.displayName} ({account.username}) gets a one-time code instead of a password you choose, and must
            set their own at the next sign-in.
            {needsReason ? '' : ' Their open sessions end now, and failed attempts and any lockout are cleared.'}
          </Text>
          {needsReason && (
            <Textarea
              label={APPROVAL_REASON_LABEL}
              description={APPROVAL_REASON_HELP}
              withAsterisk
              autosize
              minRows={2}
              maxLength={REASON_MAX}
              data-autofocus
              key={form.key('reason')}
              {...form.getInputProps('reason')}
            />
          )}
          <Group justify="flex-end" className={modalClasses.stickyFooter}>
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting} data-autofocus={needsReason ? undefined : true}>
              {needsReason ? 'Reset and ask for approval' : 'Reset password'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
