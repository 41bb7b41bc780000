import { z } from 'zod';
import { line, text } from '../../platform/ipc/schemas.std.ts';
import { address } from '../../shared/address.std.ts';

/**
 * Customer fields shared by the create form, corrections and the CSV import, so every path validates a value
 * the same way. Messages describe the rule, never the value.
 */

export { POLICY_VERSION } from '../../shared/policy.std.ts';

/** The policy: iTechno does not knowingly collect personal information from anyone under 18. */
export const MINIMUM_AGE = 18;

export const CUSTOMER_KINDS = ['person', 'organisation_contact'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
export const CUSTOMER_STATUSES = ['active', 'closed'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const PHONE = /^\+?[0-9 ().\-/]+$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const personName = line(100);
export const organisationName = line(200);
export const emailAddress = text(254).refine((s) => EMAIL.test(s), { message: 'Not a valid email address' });
export const phoneNumber = text(32).refine((s) => PHONE.test(s) && normalizePhone(s).length >= 6 && normalizePhone(s).length <= 15, {
  message: 'Not a valid phone number (6–15 digits; +, spaces, brackets, dots and dashes allowed)',
});
export const isoDate = z
  .string()
  .trim()
  .regex(ISO_DATE, { message: 'Use the date format YYYY-MM-DD' })
  .refine((s) => realDate(s), { message: 'Not a real calendar date' });

/** What a customer record holds. The create form, corrections and the import all go through this. */
export const customerDetailsShape = {
  kind: z.enum(CUSTOMER_KINDS).default('person'),
  givenName: personName,
  familyName: personName,
  /** Only for `organisation_contact`: the client organisation the contact works for. */
  organisationName: organisationName.optional(),
  email: emailAddress,
  phone: phoneNumber.optional(),
  shippingAddress: address,
  /** Optional. When given, customers under 18 are refused (minors are not collected). */
  dateOfBirth: isoDate.optional(),
};

/** An organisation name belongs to (and is required for) an organisation contact only. */
export function organisationIssues(
  value: { kind?: CustomerKind | undefined; organisationName?: string | null | undefined },
  issues: z.core.$ZodRawIssue[],
): void {
  if (value.kind === 'organisation_contact' && !value.organisationName) {
    issues.push({ code: 'custom', message: 'Required for an organisation contact', input: undefined, path: ['organisationName'] });
  }
  if (value.kind === 'person' && value.organisationName) {
    issues.push({ code: 'custom', message: 'Only an organisation contact has an organisation name', input: undefined, path: ['organisationName'] });
  }
}

export const customerDetails = z
  .object(customerDetailsShape)
  .strict()
  .check((ctx) => organisationIssues(ctx.value, ctx.issues));
export type CustomerDetails = z.output<typeof customerDetails>;

// ---- normalisation for blind indexes (exact search) ----

/** Email: trimmed and lower-cased. */
export function normalizeEmail(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase();
}

/** Phone: digits only, so "+44 20 7946 0000" and "44-20-7946-0000" match (a leading 0 vs country code does not). */
export function normalizePhone(value: string): string {
  return value.normalize('NFKC').replace(/\D+/g, '');
}

/** Postal code: upper-cased, no spaces. */
export function normalizePostalCode(value: string): string {
  return value.normalize('NFKC').toUpperCase().replace(/\s+/g, '');
}

/** Family name: NFKD with accents stripped, lower-cased, single spaces — "Müller" matches "muller". */
export function normalizeFamilyName(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

// ---- dates ----

function realDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1850 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Whole years between a YYYY-MM-DD date of birth and `now` (UTC). */
export function ageOn(dateOfBirth: string, now: number): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const today = new Date(now);
  let age = today.getUTCFullYear() - y;
  const beforeBirthday = today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d);
  if (beforeBirthday) age -= 1;
  return age;
}

/** Why a record was set apart as a minor's: staff were told so, or a corrected date of birth says so. */
export const QUARANTINE_REASONS = ['reported_minor', 'date_of_birth_under_18'] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

export const MINOR_REFUSED = `Customers under ${MINIMUM_AGE} are not collected (privacy policy: minors' information)`;

/** The date-of-birth rules that need today's date; null when acceptable. */
export function dateOfBirthProblem(dateOfBirth: string, now: number): string | null {
  const age = ageOn(dateOfBirth, now);
  if (age < 0) return 'Date of birth is in the future';
  if (age < MINIMUM_AGE) return MINOR_REFUSED;
  if (age > 130) return 'Date of birth is implausibly long ago';
  return null;
}

// ---- display ----

/** The list view's masked name: given name plus the family initial ("Jane D."), and the organisation if any. */
export function maskedDisplayName(givenName: string, familyName: string, organisation?: string | null): string {
  const initial = Array.from(familyName.trim())[0] ?? '';
  const person = initial ? `${givenName.trim()} ${initial}.` : givenName.trim();
  return organisation ? `${person} (${organisation})` : person;
}
