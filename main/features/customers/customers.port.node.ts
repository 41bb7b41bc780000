import type { Queryable } from '../../platform/store/database.node.ts';
import type { SubjectAccessData } from './subjectAccess.node.ts';
import type { QuarantineReason } from './customerFields.std.ts';
import type { PersonalData } from './customerStore.node.ts';

/**
 * What other features may use of customers. Features import this file or the contract, never the customer
 * store, search or consents modules themselves.
 */

/** "Has this customer consented to X now?" */
export { hasConsent } from './consents.node.ts';
/** What lists show instead of the name of a record set apart as a minor's. */
export const QUARANTINED_LABEL = '(set apart: minor)';
/** Minors' records set apart until deleted: never in an audience, a disclosure or an export. */
export { isQuarantined, quarantineCustomer, quarantinedAmong, releaseQuarantine } from './quarantine.node.ts';
export { QUARANTINE_REASONS, type QuarantineReason } from './customerFields.std.ts';
/**
 * Implemented by the minors feature: a record found to be a minor's is quarantined and its deletion requested,
 * inside the transaction that found it.
 */
export interface MinorFinding {
  minorFound(q: Queryable, input: { customerId: string; reason: QuarantineReason; foundBy: string | null }): Promise<void>;
}
/** Whether the date of birth on record makes the customer a minor today (false with none recorded). Reads no PII out. */
export interface RecordedAges {
  recordedAsMinor(q: Queryable, customerId: string): Promise<boolean>;
}

/** A customer's status (null: no such customer), and the message for a missing one. */
export { customerStatus, NO_SUCH_CUSTOMER } from './customerStore.node.ts';
/** Customers that are gone (no row, or their key shredded): nothing may be disclosed or exported about them. */
export { absentOrErasedAmong, type PersonalData } from './customerStore.node.ts';

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

/** A customer's whole record for an access request, and whether a correction is theirs. */
export { isCorrectionOf, type SubjectAccessData } from './subjectAccess.node.ts';

/** Reads everything held about one customer (implemented by SubjectAccessReader). */
export interface SubjectAccessSource {
  read(q: Queryable, customerId: string): Promise<SubjectAccessData>;
}
/** How each record-opening purpose is named to people (exports, histories). */
export { PURPOSE_LABELS, type RecordPurpose } from './needToKnow.std.ts';
/** How each consent purpose is named to people. */
export { CONSENT_PURPOSE_LABELS } from './consents.std.ts';
/** Personal data opened in full, for a release approved elsewhere (implemented by CustomerStore). */
export interface CustomerPersonalData {
  personalData(q: Queryable, ids: readonly string[]): Promise<Map<string, PersonalData>>;
}
