import type { CardMask } from '../../shared/cardMask.std.ts';
import { roleHolds, type Permission, type Role } from '../../platform/ipc/roles.std.ts';

/**
 * Need-to-know: opening a customer record always names a purpose, and the record returned holds only what
 * that purpose needs, further narrowed by the caller's role. The renderer shows what it gets; main decides.
 *
 * Always returned (no PII): id, kind, status, created/updated times, policy version, order count.
 */
export const RECORD_PURPOSES = ['order_processing', 'customer_support', 'correction', 'deletion_request', 'legal', 'break_glass'] as const;
export type RecordPurpose = (typeof RECORD_PURPOSES)[number];

export const PURPOSE_LABELS: Record<RecordPurpose, string> = {
  order_processing: 'Order processing',
  customer_support: 'Customer support',
  correction: 'Correction of personal data',
  deletion_request: 'Deletion request',
  legal: 'Legal request (court order or legal process)',
  break_glass: 'Break-glass (other reason, reviewed by a manager)',
};

/** Field groups a record view can contain. */
export const RECORD_FIELDS = [
  'name', // given, family and organisation name
  'dateOfBirth',
  'email',
  'phone',
  'shippingAddress',
  'orders', // line items, masked card, licence-key hints
  'orders.billing', // billing name and address
  'orders.cardExpiry',
  'orders.licenceKeys', // full licence keys instead of hints
  'consents', // marketing preferences, third-party sharing, and their history
] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];

export type { CardMask } from '../../shared/cardMask.std.ts';

export interface PurposeRule {
  /** The permission the caller must hold to open a record for this purpose. */
  readonly permission: Permission;
  readonly fields: readonly RecordField[];
  /** The most of a card number this purpose may show; first six digits also need the `cards.first6` permission. */
  readonly card: CardMask;
  readonly why: string;
}

export const NEED_TO_KNOW: Record<RecordPurpose, PurposeRule> = {
  order_processing: {
    permission: 'customers.read',
    // The policy: order-form data is "also used to contact clients/customers if there are issues processing an order".
    fields: ['name', 'email', 'phone', 'shippingAddress', 'orders', 'orders.billing', 'orders.cardExpiry'],
    card: 'first6last4',
    why: 'Fill, ship and bill the order, and contact the customer if there is a problem with it.',
  },
  customer_support: {
    permission: 'customers.read',
    fields: ['name', 'email', 'phone', 'orders', 'consents'],
    card: 'last4',
    why: 'Answer the customer: reach them, identify their orders and licences, honour marketing choices.',
  },
  correction: {
    permission: 'customers.correct',
    fields: ['name', 'dateOfBirth', 'email', 'phone', 'shippingAddress'],
    card: 'none',
    why: 'Correct or update personal information: every editable field, nothing else.',
  },
  deletion_request: {
    permission: 'customers.read',
    fields: ['name', 'dateOfBirth'],
    card: 'none',
    why: 'Confirm whose record it is and its status before deletion.',
  },
  legal: {
    permission: 'customers.legal',
    fields: ['name', 'dateOfBirth', 'email', 'phone', 'shippingAddress', 'orders', 'orders.billing', 'orders.cardExpiry', 'orders.licenceKeys', 'consents'],
    card: 'first6last4',
    why: 'Answer a court order or legal process: everything except a full card number.',
  },
  break_glass: {
    permission: 'breakglass.use',
    fields: ['name', 'dateOfBirth', 'email', 'phone', 'shippingAddress', 'orders', 'orders.billing', 'consents'],
    card: 'last4',
    why: 'An unlisted need, justified in writing and reviewed by a manager afterwards.',
  },
};

export interface RecordView {
  readonly purpose: RecordPurpose;
  readonly fields: readonly RecordField[];
  readonly card: CardMask;
}

/** What a role may see for a purpose, or null when the role may not open records for it at all. */
export function recordView(purpose: RecordPurpose, role: Role): RecordView | null {
  const rule = NEED_TO_KNOW[purpose];
  if (!roleHolds(role, rule.permission)) return null;
  const card: CardMask = rule.card === 'first6last4' && !roleHolds(role, 'cards.first6') ? 'last4' : rule.card;
  return { purpose, fields: rule.fields, card: rule.fields.includes('orders') ? card : 'none' };
}

/** Purposes a role may open records for (for the renderer's purpose picker). */
export function purposesFor(role: Role): RecordPurpose[] {
  return RECORD_PURPOSES.filter((purpose) => recordView(purpose, role) !== null);
}
