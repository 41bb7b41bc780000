import { createCipheriv, createDecipheriv, randomBytes, randomInt, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { KEK_BYTES, kekFacts } from './keyRing.node.ts';

/**
 * The key-encryption key carried from one workstation to another: AES-256-GCM under a key derived from a
 * one-time passphrase with scrypt. Everything outside the ciphertext (install id, key id, dates, scrypt cost) is
 * the associated data, so changing the expiry or the install id makes the package fail to open.
 */
export const ENROLMENT_FORMAT = 'itpc-enrolment';
/** scrypt log2(N) for new packages: 2^17 × r 8 = 128 MiB, ~0.3 s; an import accepts 14..20 only (bounded work). */
export const ENROLMENT_COST = 17;
const MIN_COST = 14;
const MAX_COST = 20;
export const MIN_PASSPHRASE_LENGTH = 20;
const MIN_DISTINCT_CHARACTERS = 8;

const b64 = z.string().regex(/^[A-Za-z0-9+/]+=*$/).max(200);
const packageSchema = z
  .object({
    format: z.literal(ENROLMENT_FORMAT),
    version: z.literal(1),
    installId: z.string().uuid(),
    kekId: z.string().regex(/^[0-9a-f]{16}$/),
    createdAt: z.string().datetime(),
    expiresAt: z.string().datetime(),
    kdf: z.object({ name: z.literal('scrypt'), logN: z.number().int().min(MIN_COST).max(MAX_COST), r: z.literal(8), p: z.literal(1), salt: b64 }).strict(),
    cipher: z.object({ name: z.literal('aes-256-gcm'), iv: b64, tag: b64, data: b64 }).strict(),
  })
  .strict();
export type EnrolmentPackage = z.infer<typeof packageSchema>;
export type EnrolmentHeader = Omit<EnrolmentPackage, 'cipher'>;

export type EnrolmentRefusal = 'malformed' | 'expired' | 'wrong_install' | 'wrong_passphrase';

export class EnrolmentPackageError extends Error {
  constructor(readonly reason: EnrolmentRefusal) {
    super(`Enrolment package refused: ${reason}`);
    this.name = 'EnrolmentPackageError';
  }
}

/** scrypt (r 8, p 1) to a 32-byte key; also the passphrase key of encrypted backups (features/backup). */
export function scryptKey(passphrase: string, salt: Buffer, logN: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r: 8, p: 1, maxmem: 2 ** logN * 8 * 128 * 2 };
  return new Promise((resolve, reject) => scryptCb(passphrase.normalize('NFC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** The associated data: the header in a fixed field order, so JSON formatting never matters. */
function associatedData(header: EnrolmentHeader): Buffer {
  const { format, version, installId, kekId, createdAt, expiresAt, kdf } = header;
  return Buffer.from(JSON.stringify([format, version, installId, kekId, createdAt, expiresAt, kdf.name, kdf.logN, kdf.r, kdf.p, kdf.salt]), 'utf8');
}

/** Rules for a passphrase IT types instead of the generated one; null when it passes. */
export function passphraseProblem(passphrase: string): string | null {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) return `At least ${MIN_PASSPHRASE_LENGTH} characters`;
  if (new Set(passphrase.toLowerCase()).size < MIN_DISTINCT_CHARACTERS) return `At least ${MIN_DISTINCT_CHARACTERS} different characters`;
  return null;
}

/** Six groups of five from an alphabet without look-alikes (no 0/O, 1/I/L): 30 × 5 = 150 bits. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function generatePassphrase(): string {
  const groups: string[] = [];
  for (let g = 0; g < 6; g += 1) {
    let group = '';
    for (let i = 0; i < 5; i += 1) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
export const GENERATED_PASSPHRASE_BITS = Math.floor(30 * Math.log2(ALPHABET.length));

export async function sealEnrolmentPackage(input: {
  kek: Buffer;
  installId: string;
  passphrase: string;
  createdAt: Date;
  expiresAt: Date;
  logN?: number;
}): Promise<{ text: string; header: EnrolmentHeader }> {
  if (input.kek.length !== KEK_BYTES) throw new Error('Key-encryption key has the wrong length');
  const salt = randomBytes(16);
  const header: EnrolmentHeader = {
    format: ENROLMENT_FORMAT,
    version: 1,
    installId: input.installId,
    kekId: kekFacts(input.kek).kekId,
    createdAt: input.createdAt.toISOString(),
    expiresAt: input.expiresAt.toISOString(),
    kdf: { name: 'scrypt', logN: input.logN ?? ENROLMENT_COST, r: 8, p: 1, salt: salt.toString('base64') },
  };
  const key = await scryptKey(input.passphrase, salt, header.kdf.logN);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(header));
  const data = Buffer.concat([cipher.update(input.kek), cipher.final()]);
  const pkg: EnrolmentPackage = {
    ...header,
    cipher: { name: 'aes-256-gcm', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') },
  };
  key.fill(0);
  return { text: JSON.stringify(pkg, null, 2), header };
}

/** Reads the header only (no passphrase): which install and until when. Malformed text is refused. */
export function readEnrolmentHeader(text: string): EnrolmentPackage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new EnrolmentPackageError('malformed');
  }
  const parsed = packageSchema.safeParse(json);
  if (!parsed.success) throw new EnrolmentPackageError('malformed');
  return parsed.data;
}

/**
 * Opens a package for one install id at a moment: another install, an expired package, a wrong passphrase or any
 * altered byte is refused with EnrolmentPackageError and nothing returned.
 */
export async function openEnrolmentPackage(text: string, passphrase: string, expect: { installId: string; now: Date }): Promise<Buffer> {
  const pkg = readEnrolmentHeader(text);
  if (pkg.installId !== expect.installId) throw new EnrolmentPackageError('wrong_install');
  if (Date.parse(pkg.expiresAt) <= expect.now.getTime()) throw new EnrolmentPackageError('expired');
  const key = await scryptKey(passphrase, Buffer.from(pkg.kdf.salt, 'base64'), pkg.kdf.logN);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(pkg.cipher.iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(associatedData(pkg));
    decipher.setAuthTag(Buffer.from(pkg.cipher.tag, 'base64'));
    const kek = Buffer.concat([decipher.update(Buffer.from(pkg.cipher.data, 'base64')), decipher.final()]);
    if (kek.length !== KEK_BYTES || kekFacts(kek).kekId !== pkg.kekId) throw new EnrolmentPackageError('wrong_passphrase');
    return kek;
  } catch (error) {
    if (error instanceof EnrolmentPackageError) throw error;
    // GCM cannot tell a wrong passphrase from an altered package; both are refused alike.
    throw new EnrolmentPackageError('wrong_passphrase');
  } finally {
    key.fill(0);
  }
}
