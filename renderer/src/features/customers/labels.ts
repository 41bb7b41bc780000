import type { ConsentChannel } from '../../../../main/features/customers/consents.std';
import type { CORRECTION_SOURCES, CorrectableField, ImportField } from '../../../../main/features/customers/customers.contract.std';
import type { CustomerKind, CustomerStatus } from '../../../../main/features/customers/customerFields.std';
import type { RecordField } from '../../../../main/features/customers/needToKnow.std';

export const STATUS_LABELS: Record<CustomerStatus, string> = { active: 'Active', closed: 'Closed' };
export const STATUS_COLORS: Record<CustomerStatus, string> = { active: 'teal', closed: 'gray' };

export const KIND_LABELS: Record<CustomerKind, string> = { person: 'Person', organisation_contact: 'Organisation contact' };

export const CHANNEL_LABELS: Record<ConsentChannel, string> = {
  order_form: 'Order form',
  web_form: 'Web form',
  email: 'Email',
  phone: 'Phone',
  in_person: 'In person',
  paper_form: 'Paper form',
  import: 'Imported customer list',
};

export const RECORD_FIELD_LABELS: Record<RecordField, string> = {
  name: 'name',
  dateOfBirth: 'date of birth',
  email: 'email address',
  phone: 'phone number',
  shippingAddress: 'shipping address',
  orders: 'orders',
  'orders.billing': 'billing name and address',
  'orders.cardExpiry': 'card expiry dates',
  'orders.licenceKeys': 'full licence keys',
  consents: 'marketing preferences',
};

export const CORRECTION_SOURCE_LABELS: Record<(typeof CORRECTION_SOURCES)[number], string> = {
  customer_request: 'Customer request',
  staff_found_error: 'Staff found an error',
};

export const CORRECTABLE_FIELD_LABELS: Record<CorrectableField, string> = {
  givenName: 'Given name',
  familyName: 'Family name',
  organisationName: 'Organisation',
  email: 'Email',
  phone: 'Phone',
  dateOfBirth: 'Date of birth',
  'shippingAddress.street': 'Street',
  'shippingAddress.city': 'City',
  'shippingAddress.region': 'Region',
  'shippingAddress.postalCode': 'Postal code',
  'shippingAddress.country': 'Country',
};

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  kind: 'Kind (person / organisation)',
  givenName: 'Given name',
  familyName: 'Family name',
  organisationName: 'Organisation',
  email: 'Email',
  phone: 'Phone',
  street: 'Street',
  city: 'City',
  region: 'Region',
  postalCode: 'Postal code',
  country: 'Country',
  dateOfBirth: 'Date of birth',
  newsletter: 'Newsletter consent',
  productUpgrades: 'Product upgrades consent',
  research: 'Research consent',
};

/** Labels a correctable field or "(row)" the way people read it; unknown names are shown as sent. */
export function fieldLabel(field: string): string {
  return (CORRECTABLE_FIELD_LABELS as Record<string, string>)[field] ?? (IMPORT_FIELD_LABELS as Record<string, string>)[field] ?? field;
}

/**
 * Who made a change, as histories show it: the staff member's name from main ("Sam Okafor (you)" for the person
 * signed in), "Removed account" when main knows no such account any more, "System" when no account made it.
 */
export function staffLabel(actorId: string | null, actorName: string | null, currentUserId: string): string {
  if (actorId === null) return 'System';
  const name = actorName ?? 'Removed account';
  return actorId === currentUserId ? `${name} (you)` : name;
}
