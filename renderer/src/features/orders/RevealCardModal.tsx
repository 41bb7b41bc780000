import { Alert, Text } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import { CARD_REVEAL_SECONDS } from '../../../../main/features/orders/card.std';
import type { OrderView } from '../../../../main/features/orders/orders.contract.std';
import { call } from '../../api/client';
import { ReasonModal } from '../../ui/ReasonModal';
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
  return (
    <ReasonModal
      title="Reveal the full card number"
      formLabel="Reveal card number"
      summary={
        <>
          <Text size="sm">
            {BRAND_LABELS[order.card.brand]} {order.card.masked}
          </Text>
          <Alert color="orange" variant="light" icon={<IconShieldLock aria-hidden />}>
            The reason, your name and the time are logged. You will be asked for your password. The number is shown for{' '}
            {CARD_REVEAL_SECONDS} seconds and cannot be copied.
          </Alert>
        </>
      }
      reasonLabel="Reason"
      reasonDescription="Why the full number is needed (for example, a chargeback query from the issuer)"
      minLength={REASON_MIN}
      maxLength={500}
      minRows={2}
      failureTitle="Not revealed"
      actions={[{ decision: 'reveal', label: 'Reveal', color: 'orange' }]}
      onSubmit={async (_decision, reason) => {
        const result = await call('orders.revealCard', { orderId: order.id, reason });
        onRevealed({ ...result, shownAt: Date.now() });
      }}
      onClose={onClose}
    />
  );
}
