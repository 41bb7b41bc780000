import { z } from 'zod';
import { line, text } from '../platform/ipc/schemas.std.ts';

/** A postal address, as customers (shipping) and orders (billing) both take and store it. */

const POSTAL = /^[A-Za-z0-9][A-Za-z0-9 -]*$/;

export const postalCode = text(16).refine((s) => POSTAL.test(s), { message: 'Not a valid postal code (letters, digits, spaces, dashes)' });
export const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, { message: 'Use a two-letter country code (ISO 3166-1, e.g. GB, US, DE)' });

export const addressShape = {
  street: line(200),
  city: line(100),
  region: line(100).optional(),
  postalCode,
  country: countryCode,
};
export const address = z.object(addressShape).strict();
export type Address = z.output<typeof address>;
export const ADDRESS_FIELDS = ['street', 'city', 'region', 'postalCode', 'country'] as const;

/** An address inside an encrypted section: every key present, a missing region stored as null. */
export interface StoredAddress {
  street: string;
  city: string;
  region: string | null;
  postalCode: string;
  country: string;
}

export function storedAddress(a: Address): StoredAddress {
  return { street: a.street, city: a.city, region: a.region ?? null, postalCode: a.postalCode, country: a.country };
}
