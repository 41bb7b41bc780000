import { createHash, randomInt } from 'node:crypto';
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { Encrypter } from 'age-encryption';
import Papa from 'papaparse';
import type { PersonalData } from '../customers/customers.port.node.ts';
import { releaseColumns, type DisclosableField, type ReleaseFormat } from './disclosureRules.std.ts';

export type ReleaseRow = Record<string, string | null>;

/** One customer's row: exactly the approved fields' columns, nothing else. */
export function releaseRow(data: PersonalData, fields: readonly DisclosableField[]): ReleaseRow {
  const all: ReleaseRow = {
    givenName: data.givenName,
    familyName: data.familyName,
    organisationName: data.organisationName,
    street: data.shippingAddress.street,
    city: data.shippingAddress.city,
    region: data.shippingAddress.region,
    postalCode: data.shippingAddress.postalCode,
    country: data.shippingAddress.country,
    email: data.email,
    phone: data.phone,
    dateOfBirth: data.dateOfBirth,
  };
  return Object.fromEntries(releaseColumns(fields).map((column) => [column, all[column] ?? null]));
}

/**
 * The file's bytes. CSV: a header of the approved columns, formulae escaped (a recipient opening it in a
 * spreadsheet runs nothing); JSON: an array of objects with exactly those keys.
 */
export function encodeRelease(format: ReleaseFormat, fields: readonly DisclosableField[], rows: readonly ReleaseRow[]): Buffer {
  const columns = releaseColumns(fields);
  if (format === 'json') return Buffer.from(`${JSON.stringify(rows, columns, 2)}\n`, 'utf8');
  const csv = Papa.unparse({ fields: columns, data: rows.map((row) => columns.map((c) => row[c] ?? '')) }, { escapeFormulae: true, newline: '\r\n' });
  return Buffer.from(`${csv}\r\n`, 'utf8');
}

const PASSPHRASE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A one-time passphrase: 6 groups of 5 characters from 31 (about 148 bits), easy to read out over the phone. */
export function oneTimePassphrase(): string {
  const group = () => Array.from({ length: 5 }, () => PASSPHRASE_ALPHABET[randomInt(PASSPHRASE_ALPHABET.length)]).join('');
  return Array.from({ length: 6 }, group).join('-');
}

/**
 * scrypt work factor (log2 N) for the one-time passphrase. age's default (18) exists to slow guessing of
 * human-chosen passphrases and costs seconds of main-process CPU in this pure-JS implementation; a generated
 * ~148-bit passphrase cannot be guessed either way, so a lower factor keeps the app responsive.
 */
const SCRYPT_LOG_N = 15;

/** age passphrase encryption (scrypt), decryptable with the `age` tool or any age implementation. */
export async function encryptWithPassphrase(bytes: Buffer, passphrase: string): Promise<Buffer> {
  const encrypter = new Encrypter();
  encrypter.setPassphrase(passphrase);
  encrypter.setScryptWorkFactor(SCRYPT_LOG_N);
  return Buffer.from(await encrypter.encrypt(new Uint8Array(bytes)));
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes next to the destination first and renames, so a reader never sees half a file. */
export function writeWhole(path: string, bytes: Buffer): void {
  const partial = `${path}.partial`;
  writeFileSync(partial, bytes, { mode: 0o600 });
  renameSync(partial, path);
}

export function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
