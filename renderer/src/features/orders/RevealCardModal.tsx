import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconShieldLock } from '@tabler/icons-react';
import { CARD_REVEAL_SECONDS } from '../../../../main/features/orders/card.std';
import type { OrderView } from '../../../../main/features/orders/orders.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { useSubmission } from '../../ui/useSubmission';
import { BRAND_LABELS } from './cardDisplay';
import type { RevealedCard } from './RevealedCardNumber';

const REASON_MIN = 10;

interface RevealCardModalProps {
  order: OrderView;
  onClose(): void;
  onRevealed(card: RevealedCard): void;
}

/** A written reason, then the password again (the api client's re-auth prompt); both are logged by main. */
export function RevealCardModal({ order, onClose, onRevealed }: RevealCardModalProps) {
  const { submitting, failure, run } = useSubmission();
  const form = useForm({
    mode: 'controlled',
    initialValues: { reason: '' },
    validate: {
      reason: (value) => {
        const length = value.trim().length;
        if (length < REASON_MIN) return `Write at least ${REASON_MIN} characters (${length} so far)`;
        return length > 500 ? 'At most 500 characters' : null;
      },
    },
  });

  const submit = form.onSubmit(({ reason }) =>
    run(async () => {
      const result = await call('orders.revealCard', { orderId: order.id, reason: reason.trim() });
      onRevealed({ ...result, shownAt: Date.now() });
    }),
  );

  return (
    <Modal opened onClose={onClose} title="Reveal the full card number" centered>
      <form onSubmit={submit} noValidate aria-label="Reveal card number">
        <Stack>
          <Text size="sm">
            {BRAND_LABELS[order.card.brand]} {order.card.masked}
          </Text>
          <Alert color="orange" variant="light" icon={<IconShieldLock aria-hidden />}>
            The reason, your name and the time are logged. You will be asked for your password. The number is shown for{' '}
            {CARD_REVEAL_SECONDS} seconds and cannot be copied.
          </Alert>
          <FormFailure message={failure} title="Not revealed" />
          <Textarea
            label="Reason"
            description="Why the full number is needed (for example, a chargeback query from the issuer)"
            withAsterisk
            autosize
            minRows={2}
            maxLength={500}
            data-autofocus
            key={form.key('reason')}
            {...form.getInputProps('reason')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="orange" loading={submitting}>
              Reveal
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
