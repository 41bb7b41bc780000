import type { Queryable } from '../../platform/store/database.node.ts';
import type { CustomerDisclosure, RecipientToTell } from './disclosures.contract.std.ts';

/**
 * What other features may use of disclosures (implemented by DisclosureService): the accounting of what was
 * released about a customer (for the access export, GDPR art. 15(1)(c)) and the recipients to tell after a
 * correction or deletion (art. 19). Corrections of register entries are shown as such, never hidden.
 */
export interface CustomerDisclosures {
  /** Releases about this customer, newest first: what, to whom, when and why. */
  disclosuresAbout(q: Queryable, customerId: string): Promise<CustomerDisclosure[]>;
  /** Every recipient that received data about this customer, with the fields and the last time. */
  recipientsToTell(q: Queryable, customerId: string): Promise<RecipientToTell[]>;
}
export type { CustomerDisclosure, RecipientToTell } from './disclosures.contract.std.ts';
