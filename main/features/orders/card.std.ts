import type { CardMask } from '../../shared/cardMask.std.ts';

/**
 * Card rules for the order form, shared by main (enforcement) and the renderer (early feedback).
 * The card security code (CVV/CVC) is never collected, sent or stored.
 */
export const CARD_BRANDS = ['visa', 'mastercard', 'amex', 'discover', 'jcb', 'diners', 'unionpay', 'other'] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

export function cardDigits(number: string): string {
  return number.replace(/[\s-]+/g, '');
}

/** Luhn (mod 10) check digit. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function cardBrand(digits: string): CardBrand {
  const two = Number(digits.slice(0, 2));
  const three = Number(digits.slice(0, 3));
  const four = Number(digits.slice(0, 4));
  if (digits.startsWith('4')) return 'visa';
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'mastercard';
  if (two === 34 || two === 37) return 'amex';
  if (four === 6011 || two === 65 || (three >= 644 && three <= 649)) return 'discover';
  if (four >= 3528 && four <= 3589) return 'jcb';
  if (two === 36 || two === 38 || (three >= 300 && three <= 305)) return 'diners';
  if (two === 62) return 'unionpay';
  return 'other';
}

/** A card is valid through the last day of its expiry month (UTC). Null when acceptable. */
export function cardExpiryProblem(month: number, year: number, now: number): string | null {
  if (!Number.isInteger(month) || month < 1 || month > 12) return 'Expiry month must be 1–12';
  const today = new Date(now);
  const current = today.getUTCFullYear() * 12 + today.getUTCMonth();
  const expiry = year * 12 + (month - 1);
  if (expiry < current) return 'The card has expired (expiry date is in the past)';
  if (expiry > current + 20 * 12) return 'Expiry date is too far in the future';
  return null;
}

/** What a masked card view carries. `first6` is present only where the view allows it. */
export interface MaskedCard {
  brand: CardBrand;
  last4: string;
  first6: string | null;
  masked: string;
}

export function maskCard(card: { brand: CardBrand; first6: string; last4: string; length: number }, level: Exclude<CardMask, 'none'>): MaskedCard {
  if (level === 'first6last4') {
    const hidden = '•'.repeat(Math.max(card.length - 10, 0));
    return { brand: card.brand, first6: card.first6, last4: card.last4, masked: `${card.first6}${hidden}${card.last4}` };
  }
  return { brand: card.brand, first6: null, last4: card.last4, masked: `•••• ${card.last4}` };
}

/** Seconds the renderer shows a revealed card number before hiding it again. */
export const CARD_REVEAL_SECONDS = 30;
