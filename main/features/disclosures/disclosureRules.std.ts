/**
 * What may leave the company, to whom (privacy policy, "Information Sharing and Disclosure" and "Legal
 * Disclosure"). Closed enums: a field, recipient kind or disclosure kind that is not listed here cannot be asked
 * for through any channel. There is deliberately no "sale" kind: the policy does not sell PII/NPI.
 */

/**
 * Fields of a customer record that can be disclosed. Card number, expiry and security code are not disclosable
 * at all (billing only); the date of birth only to a legal authority or a consented third party.
 */
export const DISCLOSABLE_FIELDS = ['name', 'shippingAddress', 'email', 'phone', 'dateOfBirth'] as const;
export type DisclosableField = (typeof DISCLOSABLE_FIELDS)[number];

export const DISCLOSABLE_FIELD_LABELS: Record<DisclosableField, string> = {
  name: 'Name',
  shippingAddress: 'Shipping address',
  email: 'Email address',
  phone: 'Phone number',
  dateOfBirth: 'Date of birth',
};

/** The columns a release file holds for each field, in order. */
export const FIELD_COLUMNS: Record<DisclosableField, readonly string[]> = {
  name: ['givenName', 'familyName', 'organisationName'],
  shippingAddress: ['street', 'city', 'region', 'postalCode', 'country'],
  email: ['email'],
  phone: ['phone'],
  dateOfBirth: ['dateOfBirth'],
};

export const RECIPIENT_KINDS = ['shipping', 'vendor', 'legal_authority', 'consented_third_party'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

export const RECIPIENT_KIND_LABELS: Record<RecipientKind, string> = {
  shipping: 'Shipping company',
  vendor: 'Vendor or supplier',
  legal_authority: 'Legal authority',
  consented_third_party: 'Consented third party',
};

/** The fields a new recipient of a kind may receive: the minimum its role in the policy needs. */
export const DEFAULT_RECIPIENT_FIELDS: Record<RecipientKind, readonly DisclosableField[]> = {
  // "shipping an order requires sharing your name and address with a shipping company"
  shipping: ['name', 'shippingAddress'],
  vendor: ['name', 'shippingAddress'],
  legal_authority: ['name', 'shippingAddress', 'email', 'phone', 'dateOfBirth'],
  consented_third_party: ['name', 'email'],
};

/**
 * The most a manager may widen a recipient of a kind to (with a recorded reason). A shipping company or vendor
 * can never receive a date of birth.
 */
export const MAX_RECIPIENT_FIELDS: Record<RecipientKind, readonly DisclosableField[]> = {
  shipping: ['name', 'shippingAddress', 'phone', 'email'],
  vendor: ['name', 'shippingAddress', 'phone', 'email'],
  legal_authority: DISCLOSABLE_FIELDS,
  consented_third_party: DISCLOSABLE_FIELDS,
};

/** Why something is disclosed. Selling data is not a kind: the app cannot record or release a sale. */
export const DISCLOSURE_KINDS = ['ecommerce_chain', 'consented_third_party', 'legal'] as const;
export type DisclosureKind = (typeof DISCLOSURE_KINDS)[number];

export const DISCLOSURE_KIND_LABELS: Record<DisclosureKind, string> = {
  ecommerce_chain: 'E-commerce chain (shipping, vendors)',
  consented_third_party: 'Third party the customer consented to',
  legal: 'Required by law (court order, legal process)',
};

/** Which recipients each kind of disclosure may go to. */
export const RECIPIENTS_FOR_KIND: Record<DisclosureKind, readonly RecipientKind[]> = {
  ecommerce_chain: ['shipping', 'vendor'],
  consented_third_party: ['consented_third_party'],
  legal: ['legal_authority'],
};

export const RELEASE_FORMATS = ['csv', 'json'] as const;
export type ReleaseFormat = (typeof RELEASE_FORMATS)[number];

/** A request's life: the approval's status, then released once its file is written and registered. */
export const REQUEST_STATUSES = ['pending', 'approved', 'denied', 'withdrawn', 'expired', 'released'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const REGISTER_ENTRY_TYPES = ['release', 'correction'] as const;
export type RegisterEntryType = (typeof REGISTER_ENTRY_TYPES)[number];

/** Customers in one request (chosen one by one or from search results). */
export const MAX_REQUEST_CUSTOMERS = 5000;

/** The legal scan: PDF, PNG or JPEG, checked by its first bytes, at most 5 MB. */
export const SCAN_MEDIA_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type ScanMediaType = (typeof SCAN_MEDIA_TYPES)[number];
export const MAX_SCAN_BYTES = 5 * 1024 * 1024;

/** Fields outside the recipient's set, the kind's maximum, or the known list: each one is a refusal. */
export function fieldsRefused(fields: readonly string[], allowed: readonly string[]): string[] {
  return fields.filter((f) => !(DISCLOSABLE_FIELDS as readonly string[]).includes(f) || !allowed.includes(f));
}

/** Fields beyond the kind's default set: choosing them is widening, which needs a recorded reason. */
export function widenedFields(kind: RecipientKind, fields: readonly DisclosableField[]): DisclosableField[] {
  return fields.filter((f) => !DEFAULT_RECIPIENT_FIELDS[kind].includes(f));
}

/**
 * The release file's columns: each approved field's columns in the enum's order, nothing else (not even the
 * internal customer id, which the recipient has no need for).
 */
export function releaseColumns(fields: readonly DisclosableField[]): string[] {
  return DISCLOSABLE_FIELDS.filter((f) => fields.includes(f)).flatMap((f) => FIELD_COLUMNS[f]);
}
