import { Button, RingProgress, Text } from '@mantine/core';
import { IconEyeOff } from '@tabler/icons-react';
import { useEffect, useState, type SyntheticEvent } from 'react';
import { expiryText, groupDigits } from './cardDisplay';
import classes from './RevealedCardNumber.module.css';

export interface RevealedCard {
  number: string;
  expiryMonth: number;
  expiryYear: number;
  hideAfterSeconds: number;
  /** Date.now() when main's answer arrived. */
  shownAt: number;
}

const refuse = (event: SyntheticEvent) => event.preventDefault();

/**
 * The full number, for the seconds main allows, with a visible countdown; then it is dropped from memory.
 * It cannot be selected, copied, cut or dragged, and there is deliberately no copy button.
 */
export function RevealedCardNumber({ card, onHide }: { card: RevealedCard; onHide(): void }) {
  const deadline = card.shownAt + card.hideAfterSeconds * 1000;
  const [now, setNow] = useState(() => Date.now());
  const left = Math.max(0, Math.ceil((deadline - now) / 1000));

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, []);

  useEffect(() => {
    if (left === 0) onHide();
  }, [left, onHide]);

  return (
    <div className={classes.revealed} role="group" aria-label="Revealed card number">
      <div
        className={classes.number}
        data-testid="revealed-card-number"
        onCopy={refuse}
        onCut={refuse}
        onDragStart={refuse}
        onContextMenu={refuse}
      >
        {groupDigits(card.number)}
      </div>
      <Text size="sm" c="dimmed">
        exp. {expiryText(card.expiryMonth, card.expiryYear)}
      </Text>
      <RingProgress
        size={44}
        thickness={4}
        roundCaps
        sections={[{ value: (left / card.hideAfterSeconds) * 100, color: 'orange' }]}
        label={
          <Text ta="center" size="xs" fw={700}>
            {left}
          </Text>
        }
      />
      <Text size="sm">
        Hides in {left} s
      </Text>
      <Button size="compact-sm" variant="subtle" color="gray" leftSection={<IconEyeOff size={14} aria-hidden />} onClick={onHide}>
        Hide now
      </Button>
    </div>
  );
}
