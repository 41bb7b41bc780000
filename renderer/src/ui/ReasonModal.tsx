import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { FormFailure } from './FormFailure';
import { useSubmission } from './useSubmission';
import modalClasses from './Modal.module.css';

/** One way to finish the modal: "Reveal", "Mark justified", or "Approve" beside "Deny". */
export interface ReasonAction<D extends string = string> {
  decision: D;
  label: string;
  color: string;
  icon?: ReactNode;
  /** Whether this action needs the reason (default). An approval may go without one; a denial may not. */
  requiresReason?: boolean;
}

export interface ReasonModalProps<D extends string> {
  title: string;
  /** What is being decided, shown above the reason: whose record, what was asked, the requester's own words. */
  summary: ReactNode;
  /** The form's accessible name. */
  formLabel: string;
  reasonLabel: string;
  reasonDescription?: string;
  /** Shorter reasons are refused with "Write at least N characters (n so far)". */
  minLength?: number;
  maxLength: number;
  /** The message for an empty reason, when minLength is 1 ("Add a short note for the record"). */
  emptyMessage?: string | ((decision: D) => string);
  minRows?: number;
  /** Title of the refusal shown when main refuses ("Not revealed"). */
  failureTitle: string;
  /** The first action is the primary one, also run by Ctrl+Enter (⌘+Enter) in the reason field. */
  actions: readonly [ReasonAction<D>, ...ReasonAction<D>[]];
  /** Runs with the trimmed reason (empty when not required and left blank); a throw is shown in the modal. */
  onSubmit(decision: D, reason: string): Promise<void>;
  onClose(): void;
}

/**
 * "Decide with a reason": a summary of what is being decided, a reason field with its rules, and one or more
 * buttons. The reason field takes focus on open; Escape cancels (not while sending); Ctrl+Enter submits the
 * primary action; main's refusal is announced in the modal and the reason is kept for another try.
 */
export function ReasonModal<D extends string>(props: ReasonModalProps<D>) {
  const { title, summary, formLabel, reasonLabel, reasonDescription, minLength = 1, maxLength, emptyMessage, minRows = 3, failureTitle, actions, onSubmit, onClose } = props;
  const { submitting, failure, run } = useSubmission();
  // The action being validated (read by the validator in event handlers) and, for the buttons, the one sending.
  const pending = useRef<ReasonAction<D>>(actions[0]);
  const [sending, setSending] = useState<D>(actions[0].decision);
  const form = useForm({
    mode: 'controlled',
    initialValues: { reason: '' },
    validate: {
      reason: (value) => {
        const length = value.trim().length;
        const action = pending.current;
        if (length === 0 && action.requiresReason === false) return null;
        if (length === 0 && minLength <= 1 && emptyMessage) return typeof emptyMessage === 'function' ? emptyMessage(action.decision) : emptyMessage;
        if (length < minLength) return `Write at least ${minLength} characters (${length} so far)`;
        return length > maxLength ? `At most ${maxLength} characters` : null;
      },
    },
  });

  const submitAs = (action: ReasonAction<D>) => {
    // A second Ctrl+Enter while the first is on its way must not send the request twice.
    if (submitting) return;
    pending.current = action;
    if (form.validate().hasErrors) return;
    setSending(action.decision);
    void run(() => onSubmit(action.decision, form.getValues().reason.trim()));
  };
  const onReasonKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submitAs(actions[0]);
    }
  };
  const required = actions.some((a) => a.requiresReason !== false);

  return (
    <Modal opened onClose={onClose} title={title} centered closeOnEscape={!submitting} closeOnClickOutside={!submitting}>
      <form
        noValidate
        aria-label={formLabel}
        onSubmit={(event) => {
          event.preventDefault();
          submitAs(actions[0]);
        }}
      >
        <Stack>
          {summary}
          <FormFailure message={failure} title={failureTitle} />
          <Textarea
            label={reasonLabel}
            description={reasonDescription}
            withAsterisk={required}
            autosize
            minRows={minRows}
            maxLength={maxLength}
            data-autofocus
            onKeyDown={onReasonKey}
            key={form.key('reason')}
            {...form.getInputProps('reason')}
          />
          <Group justify="flex-end" className={modalClasses.stickyFooter}>
            <Button variant="default" onClick={onClose} disabled={submitting}>
              Cancel
            </Button>
            {actions.map((action, index) => (
              <Button
                key={action.decision}
                type={index === 0 ? 'submit' : 'button'}
                color={action.color}
                variant={index === 0 ? 'filled' : 'light'}
                loading={submitting && sending === action.decision}
                disabled={submitting && sending !== action.decision}
                leftSection={action.icon}
                onClick={index === 0 ? undefined : () => submitAs(action)}
              >
                {action.label}
              </Button>
            ))}
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
