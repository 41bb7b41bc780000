import { randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.std.ts';
import type { DataKeyWrapper, SubjectKeyWrapper } from '../../platform/crypto/dataKeys.node.ts';
import { RecordCipher } from '../../platform/crypto/recordCipher.node.ts';
import type { SubjectKeys } from '../../platform/crypto/subjectKeys.node.ts';
import { AppError } from '../../platform/ipc/errors.std.ts';
import { asBuffer, type Queryable } from '../../platform/store/database.node.ts';
import { countRows, INSERT_CHUNK, insertChunked } from '../../platform/store/queries.node.ts';
import { storedAddress, type StoredAddress } from '../../shared/address.std.ts';
import { POLICY_VERSION } from '../../shared/policy.std.ts';
import { policyVersionInForce } from '../policy/policy.port.node.ts';
import { customerStatus, isQuarantined, NO_SUCH_CUSTOMER } from '../customers/customers.port.node.ts';
import { cardBrand, cardDigits, cardExpiryProblem, luhnValid, maskCard, type CardBrand } from './card.std.ts';
import type { billingInput, cardInput, lineItem, LINE_ITEM_KINDS, OrderView } from './orders.contract.std.ts';
import type { CustomerOrders, OrderViewScope } from './orders.port.node.ts';

export const ORDERS_TABLE = 'orders';

export type OrderInput = {
  customerId: string;
  items: z.output<typeof lineItem>[];
  billing: z.output<typeof billingInput>;
  card: z.output<typeof cardInput>;
};

/**
 * The `billing` section: billing name and address, the card facts a masked view needs, and the licence keys
 * (itemId → key). Every order view opens this one section; the full card number is not in it.
 */
interface BillingSection {
  name: string;
  address: StoredAddress;
  card: { brand: CardBrand; first6: string; last4: string; length: number; expiryMonth: number; expiryYear: number };
  licenceKeys: Record<string, string>;
}
/** The `card` section: opened only by a full-number reveal. */
interface CardSection {
  number: string;
  expiryMonth: number;
  expiryYear: number;
}

export interface OrderDbRow {
  id: string;
  customer_id: string;
  status: 'placed';
  policy_version: string;
  dek: Buffer;
  billing: Buffer;
  card: Buffer;
  created_by: string | null;
  created_at: string;
}
export interface OrderItemDbRow {
  id: string;
  order_id: string;
  line_no: number;
  sku: string;
  product_name: string;
  kind: (typeof LINE_ITEM_KINDS)[number];
  quantity: number;
}
export interface PreparedOrder {
  order: OrderDbRow;
  items: OrderItemDbRow[];
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 25 random Crockford base-32 characters (125 bits) in five groups: XXXXX-XXXXX-XXXXX-XXXXX-XXXXX. */
export function generateLicenceKey(): string {
  const bytes = randomBytes(25);
  let key = '';
  for (let i = 0; i < 25; i += 1) {
    key += CROCKFORD[bytes[i]! & 31];
    if (i % 5 === 4 && i < 24) key += '-';
  }
  return key;
}

export function licenceHint(key: string): string {
  return `•••••-•••••-•••••-•••••-${key.slice(-5)}`;
}

const NO_SUCH_ORDER = 'No such order.';

/**
 * An order's ciphertexts are bound to its customer as well as its own id, so re-linking an order to another
 * customer in the clear `customer_id` column makes it unreadable instead of silently moving a card.
 */
function orderBinding(customerId: string, orderId: string): string {
  return `${customerId}/${orderId}`;
}

/** Orders from the order form. The card number is sealed in its own section and shown masked everywhere else. */
export class OrderService implements CustomerOrders {
  readonly cipher: RecordCipher;
  private readonly revealCipher: RecordCipher;

  constructor(
    private readonly clock: Clock,
    /** Orders and card reveals are about a customer: their data keys are wrapped by the customer's key. */
    private readonly customerKeys: SubjectKeys,
  ) {
    this.cipher = new RecordCipher(ORDERS_TABLE);
    this.revealCipher = new RecordCipher('card_reveals');
  }

  /** Card rules that need today's date (Luhn is already checked by the contract; checked again here). */
  cardProblem(card: OrderInput['card']): { field: string; problem: string } | null {
    const digits = cardDigits(card.number);
    if (!luhnValid(digits)) return { field: 'card.number', problem: 'Card number is not valid (check digit / Luhn test failed)' };
    const expiry = cardExpiryProblem(card.expiryMonth, card.expiryYear, this.clock.now());
    return expiry ? { field: 'card.expiry', problem: expiry } : null;
  }

  /** Seals an order and its lines. No database access (bulk paths prepare many, then insert in chunks). */
  prepare(input: OrderInput, opts: { actorId: string | null; now: string; keys: SubjectKeyWrapper }): PreparedOrder {
    const problem = this.cardProblem(input.card);
    if (problem) throw new AppError('INVALID_INPUT', `Invalid request — ${problem.field}: ${problem.problem}. Nothing was saved.`);
    const id = randomUUID();
    const digits = cardDigits(input.card.number);
    const licenceKeys: Record<string, string> = {};
    const items: OrderItemDbRow[] = input.items.map((item, i) => {
      const itemId = randomUUID();
      if (item.kind === 'licence') licenceKeys[itemId] = generateLicenceKey();
      return { id: itemId, order_id: id, line_no: i + 1, sku: item.sku, product_name: item.name, kind: item.kind, quantity: item.quantity };
    });
    const billing: BillingSection = {
      name: input.billing.name,
      address: storedAddress(input.billing.address),
      card: {
        brand: cardBrand(digits),
        first6: digits.slice(0, 6),
        last4: digits.slice(-4),
        length: digits.length,
        expiryMonth: input.card.expiryMonth,
        expiryYear: input.card.expiryYear,
      },
      licenceKeys,
    };
    const card: CardSection = { number: digits, expiryMonth: input.card.expiryMonth, expiryYear: input.card.expiryYear };
    // Two sections sealed with the customer's key itself: two seals per order.
    const sealed = this.cipher.sealUnderSubject(opts.keys, orderBinding(input.customerId, id), { billing, card });
    return {
      order: {
        id,
        customer_id: input.customerId,
        status: 'placed',
        policy_version: POLICY_VERSION,
        dek: sealed.dek,
        billing: sealed.columns.billing!,
        card: sealed.columns.card!,
        created_by: opts.actorId,
        created_at: opts.now,
      },
      items,
    };
  }

  /** Inserts in the caller's transaction, stamping each order with the policy version in force now. */
  async insertPrepared(q: Queryable, prepared: readonly PreparedOrder[], chunk = INSERT_CHUNK): Promise<void> {
    const policyVersion = await policyVersionInForce(q, this.clock.nowIso());
    for (const p of prepared) p.order.policy_version = policyVersion;
    await insertChunked(q, ORDERS_TABLE, prepared.map((p) => p.order), chunk);
    await insertChunked(q, 'order_items', prepared.flatMap((p) => p.items), chunk);
  }

  async create(q: Queryable, input: OrderInput, actorId: string | null): Promise<OrderView> {
    const status = await customerStatus(q, input.customerId);
    if (!status) throw new AppError('NOT_FOUND', NO_SUCH_CUSTOMER);
    if (status !== 'active') throw new AppError('CONFLICT', 'This customer record is closed: reopen it before taking an order.');
    if (await isQuarantined(q, input.customerId)) {
      throw new AppError('CONFLICT', "This record is set apart as a minor's and waits for deletion: no order can be taken.");
    }
    const now = this.clock.nowIso();
    const keys = await this.customerKeys.ensure(q, input.customerId, now);
    const prepared = this.prepare(input, { actorId, now, keys });
    await this.insertPrepared(q, [prepared]);
    const [view] = this.toViews(keys, [prepared.order], prepared.items, new Map(), { fields: ['orders'], card: 'last4' });
    return view!;
  }

  async count(q: Queryable, customerId: string): Promise<number> {
    return countRows(q(ORDERS_TABLE).where({ customer_id: customerId }));
  }

  /** A customer's orders as a record view allows: masked card always, billing / expiry / full keys only if listed. */
  async viewsForCustomer(q: Queryable, customerId: string, view: OrderViewScope, knownKeys?: SubjectKeyWrapper): Promise<OrderView[]> {
    const orders = await q<OrderDbRow>(ORDERS_TABLE).where({ customer_id: customerId }).orderBy('created_at', 'desc').orderBy('id');
    if (!orders.length) return [];
    const ids = orders.map((o) => o.id);
    const items = await q<OrderItemDbRow>('order_items').whereIn('order_id', ids).orderBy('line_no');
    const resends = await q('licence_resends')
      .whereIn('order_id', ids)
      .groupBy('item_id')
      .select<{ item_id: string; n: number; last: string }[]>('item_id', q.raw('count(*) as n'), q.raw('max(at) as last'));
    const keys = knownKeys ?? (await this.customerKeys.wrapperFor(q, customerId));
    return this.toViews(keys, orders, items, new Map(resends.map((r) => [r.item_id, { count: Number(r.n), last: r.last }])), view);
  }

  private toViews(
    keys: DataKeyWrapper,
    orders: OrderDbRow[],
    items: OrderItemDbRow[],
    resends: Map<string, { count: number; last: string }>,
    view: OrderViewScope,
  ): OrderView[] {
    const fullKeys = view.fields.includes('orders.licenceKeys');
    const level = view.card === 'first6last4' ? 'first6last4' : 'last4';
    return orders.map((order) => {
      const billing = this.cipher.open<BillingSection>(keys, orderBinding(order.customer_id, order.id), asBuffer(order.dek), 'billing', asBuffer(order.billing));
      const licenceKeys = billing.licenceKeys;
      const card = maskCard(billing.card, level);
      return {
        id: order.id,
        status: order.status,
        createdAt: order.created_at,
        policyVersion: order.policy_version,
        items: items
          .filter((item) => item.order_id === order.id)
          .map((item) => ({
            id: item.id,
            sku: item.sku,
            name: item.product_name,
            kind: item.kind,
            quantity: item.quantity,
            licenceKey: item.kind === 'licence' && licenceKeys[item.id] ? (fullKeys ? licenceKeys[item.id]! : licenceHint(licenceKeys[item.id]!)) : null,
            licenceKeyMasked: !(fullKeys && item.kind === 'licence'),
            resendCount: resends.get(item.id)?.count ?? 0,
            lastResentAt: resends.get(item.id)?.last ?? null,
          })),
        ...(view.fields.includes('orders.billing') ? { billing: { name: billing.name, address: billing.address } } : {}),
        card: view.fields.includes('orders.cardExpiry') ? { ...card, expiryMonth: billing.card.expiryMonth, expiryYear: billing.card.expiryYear } : card,
      };
    });
  }

  /** The full card number, logged with its (encrypted) reason. Callers gate this on `cards.reveal` + re-auth. */
  async revealCard(q: Queryable, orderId: string, reason: string, actorId: string): Promise<{ customerId: string; card: CardSection }> {
    const order = await q<OrderDbRow>(ORDERS_TABLE).where({ id: orderId }).first();
    if (!order) throw new AppError('NOT_FOUND', NO_SUCH_ORDER);
    const at = this.clock.nowIso();
    const keys = await this.customerKeys.ensure(q, order.customer_id, at);
    const card = this.cipher.open<CardSection>(keys, orderBinding(order.customer_id, order.id), asBuffer(order.dek), 'card', asBuffer(order.card));
    const id = randomUUID();
    const sealed = this.revealCipher.sealNew(keys, id, { reason });
    await q('card_reveals').insert({
      id,
      order_id: order.id,
      customer_id: order.customer_id,
      actor_id: actorId,
      at,
      dek: sealed.dek,
      reason: sealed.columns.reason,
    });
    return { customerId: order.customer_id, card };
  }

  async resendLicence(q: Queryable, orderId: string, itemId: string, actorId: string): Promise<{ customerId: string; resentAt: string; resendCount: number }> {
    const order = await q<OrderDbRow>(ORDERS_TABLE).where({ id: orderId }).first('id', 'customer_id');
    if (!order) throw new AppError('NOT_FOUND', NO_SUCH_ORDER);
    const item = await q<OrderItemDbRow>('order_items').where({ id: itemId, order_id: orderId }).first();
    if (!item) throw new AppError('NOT_FOUND', 'No such line on this order.');
    if (item.kind !== 'licence') throw new AppError('CONFLICT', 'This line is not a licence: there is no key to re-send.');
    const resentAt = this.clock.nowIso();
    await q('licence_resends').insert({ id: randomUUID(), order_id: orderId, item_id: itemId, actor_id: actorId, at: resentAt });
    const resendCount = await countRows(q('licence_resends').where({ item_id: itemId }));
    return { customerId: order.customer_id, resentAt, resendCount };
  }
}
