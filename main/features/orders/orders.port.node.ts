import type { Queryable } from '../../platform/store/database.node.ts';
import type { SubjectKeyWrapper } from '../../platform/crypto/dataKeys.node.ts';
import type { CardMask } from '../../shared/cardMask.std.ts';
import type { OrderView } from './orders.contract.std.ts';

/** What other features may use of orders (implemented by OrderService). */

/** How much of an order a view shows: its record fields (`orders.billing`, `orders.licenceKeys`...) and card mask. */
export interface OrderViewScope {
  readonly fields: readonly string[];
  readonly card: CardMask;
}

/** A customer's orders, for opening a customer record. */
export interface CustomerOrders {
  count(q: Queryable, customerId: string): Promise<number>;
  /** `keys`: the customer's key wrapper when the caller has already read it (with the customer's row). */
  viewsForCustomer(q: Queryable, customerId: string, view: OrderViewScope, keys?: SubjectKeyWrapper): Promise<OrderView[]>;
}
