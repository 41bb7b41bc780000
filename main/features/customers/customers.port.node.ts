import type { Queryable } from '../../platform/store/database.node.ts';
import type { PersonalData } from './customerStore.node.ts';

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
/** Customers that are gone (no row, or their key shredded): nothing may be disclosed or exported about them. */
export { absentOrErasedAmong, type PersonalData } from './customerStore.node.ts';

/** Masked display names ("Jane D."), exactly as the customer list shows them (implemented by CustomerStore). */
export interface CustomerDisplayNames {
  displayNames(q: Queryable, ids: readonly string[]): Promise<Map<string, string>>;
}

/** Personal data opened in full, for a release approved elsewhere (implemented by CustomerStore). */
export interface CustomerPersonalData {
  personalData(q: Queryable, ids: readonly string[]): Promise<Map<string, PersonalData>>;
}
