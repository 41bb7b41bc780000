import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { id, line, text } from '../../platform/ipc/schemas.std.ts';
import { address } from '../../shared/address.std.ts';
import { NO_CARD_SECURITY_CODE } from '../../shared/cardSecurityCode.std.ts';
import { CARD_BRANDS, CARD_REVEAL_SECONDS, cardDigits, luhnValid } from './card.std.ts';

export const LINE_ITEM_KINDS = ['product', 'licence'] as const;
export const ORDER_STATUSES = ['placed'] as const;

/** One line of the order form. A licence line gets one generated licence key covering its quantity (seats). */
export const lineItem = z
  .object({
    sku: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9][A-Z0-9._-]{1,39}$/, { message: 'SKU: 2–40 letters, digits, dot, dash or underscore' }),
    name: line(120),
    kind: z.enum(LINE_ITEM_KINDS),
    quantity: z.number().int().min(1).max(1000),
  })
  .strict();

/** Card number and expiry only. A security code is never accepted (see NO_CARD_SECURITY_CODE). */
export const cardInput = z
  .object({
    number: z
      .string()
      .trim()
      .regex(/^[0-9][0-9 -]{10,28}[0-9]$/, { message: 'Card number: 12–19 digits (spaces or dashes allowed)' })
      .refine((s) => luhnValid(cardDigits(s)), { message: 'Card number is not valid (check digit / Luhn test failed)' }),
    expiryMonth: z.number().int().min(1, { message: 'Expiry month must be 1–12' }).max(12, { message: 'Expiry month must be 1–12' }),
    expiryYear: z.number().int().min(2000, { message: 'Use the four-digit year' }).max(2100, { message: 'Use the four-digit year' }),
    ...NO_CARD_SECURITY_CODE,
  })
  .strict();

export const billingInput = z.object({ name: line(200), address, ...NO_CARD_SECURITY_CODE }).strict();

export const maskedCard = z.object({
  brand: z.enum(CARD_BRANDS),
  last4: z.string(),
  /** Only where the purpose and the caller's permission (`cards.first6`) allow. */
  first6: z.string().nullable(),
  masked: z.string(),
  expiryMonth: z.number().optional(),
  expiryYear: z.number().optional(),
});

export const orderItemView = z.object({
  id,
  sku: z.string(),
  name: z.string(),
  kind: z.enum(LINE_ITEM_KINDS),
  quantity: z.number(),
  /** Licence lines only: the last group of the key ("•••••-…-K7Q2M"), or the full key where the view allows. */
  licenceKey: z.string().nullable(),
  licenceKeyMasked: z.boolean(),
  resendCount: z.number(),
  lastResentAt: z.string().nullable(),
});

export const orderView = z.object({
  id,
  status: z.enum(ORDER_STATUSES),
  createdAt: z.string(),
  policyVersion: z.string(),
  items: z.array(orderItemView),
  billing: z.object({ name: z.string(), address: z.object({ street: z.string(), city: z.string(), region: z.string().nullable(), postalCode: z.string(), country: z.string() }) }).optional(),
  card: maskedCard,
});
export type OrderView = z.input<typeof orderView>;

export const ordersChannels = {
  /** The order form. The card is checked (Luhn, expiry) and stored encrypted; the reply shows it masked. */
  'orders.create': channel({
    input: z
      .object({
        customerId: id,
        items: z.array(lineItem).min(1, { message: 'Add at least one product or licence' }).max(50),
        billing: billingInput,
        card: cardInput,
        ...NO_CARD_SECURITY_CODE,
      })
      .strict(),
    output: z.object({ order: orderView }),
    access: { kind: 'permission', permission: 'orders.write' },
    audit: 'order.created',
  }),
  /**
   * Full card number, for managers, with a written reason and a fresh password re-entry. The reason is kept
   * encrypted in the reveal log; the renderer hides the number after `hideAfterSeconds` and never copies it.
   */
  'orders.revealCard': channel({
    input: z.object({ orderId: id, reason: text(500, 10) }).strict(),
    output: z.object({
      orderId: id,
      number: z.string(),
      expiryMonth: z.number(),
      expiryYear: z.number(),
      hideAfterSeconds: z.literal(CARD_REVEAL_SECONDS),
    }),
    access: { kind: 'permission', permission: 'cards.reveal' },
    reauth: true,
    audit: 'card.reveal',
  }),
  /** Records that a licence key was re-sent to the customer. */
  'orders.resendLicence': channel({
    input: z.object({ orderId: id, itemId: id }).strict(),
    output: z.object({ orderId: id, itemId: id, resentAt: z.string(), resendCount: z.number() }),
    access: { kind: 'permission', permission: 'orders.write' },
    audit: 'licence.resent',
  }),
};
