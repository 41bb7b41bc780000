import type { Queryable } from '../../platform/store/database.node.ts';

/**
 * What other features may use of customers. Features import this file or the contract, never the customer
 * store, search or consents modules themselves.
 */

/** "Has this customer consented to X now?" */
export { hasConsent } from './consents.node.ts';
/** Minors' records set apart until deleted: never in an audience, a disclosure or an export. */
export { isQuarantined, quarantineCustomer, quarantinedAmong, QUARANTINE_REASONS, type QuarantineReason } from './quarantine.node.ts';
/** A customer's status (null: no such customer), and the message for a missing one. */
export { customerStatus, NO_SUCH_CUSTOMER } from './customerStore.node.ts';

/** Customers an announcement or a marketing audience may reach (active, not quarantined, not erased). */
export { countReachable, reachableCustomerIds, stillReachable, type ReachableCursor, type ReachableFilter } from './reachable.node.ts';
/** The purposes the policy names, with their legal bases. */
export { MARKETING_PURPOSES, type MarketingPurpose } from './purposes.std.ts';
export type { ConsentPurpose } from './consents.std.ts';
export type { CustomerContact } from './customerStore.node.ts';

/** Names and addresses for a file the user saves (implemented by CustomerStore). */
export interface CustomerContacts {
  contactsOf(q: Queryable, ids: readonly string[]): Promise<Map<string, import('./customerStore.node.ts').CustomerContact>>;
}

/** Masked display names ("Jane D."), exactly as the customer list shows them (implemented by CustomerStore). */
export interface CustomerDisplayNames {
  displayNames(q: Queryable, ids: readonly string[]): Promise<Map<string, string>>;
}
