import { createCipheriv, createDecipheriv, randomBytes, randomInt, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { KEK_BYTES, kekFacts } from './keyRing.node.ts';

/**
 * The key-encryption key carried from one workstation to another: AES-256-GCM under a key derived from a
 * one-time passphrase with scrypt. Everything outside the ciphertext (install id, key id, dates, scrypt cost) is
 * the associated data, so changing the expiry or the install id makes the package fail to open.
 */
export const ENROLMENT_FORMAT = 'itpc-enrolment';
/** The same format for a recovery kit (the whole KEK, no expiry) and for one custodian's Shamir share of it. */
export const RECOVERY_KIT_FORMAT = 'itpc-recovery-kit';
export const RECOVERY_SHARE_FORMAT = 'itpc-recovery-share';
export const KEY_PACKAGE_FORMATS = [ENROLMENT_FORMAT, RECOVERY_KIT_FORMAT, RECOVERY_SHARE_FORMAT] as const;
export type KeyPackageFormat = (typeof KEY_PACKAGE_FORMATS)[number];
/** scrypt log2(N) for new packages: 2^17 × r 8 = 128 MiB, ~0.3 s; an import accepts 14..20 only (bounded work). */
export const ENROLMENT_COST = 17;
const MIN_COST = 14;
const MAX_COST = 20;
export const MIN_PASSPHRASE_LENGTH = 20;
const MIN_DISTINCT_CHARACTERS = 8;

const b64 = z.string().regex(/^[A-Za-z0-9+/]+=*$/).max(200);
const packageSchema = z
  .object({
    format: z.enum(KEY_PACKAGE_FORMATS),
    version: z.literal(1),
    installId: z.string().uuid(),
    kekId: z.string().regex(/^[0-9a-f]{16}$/),
    createdAt: z.string().datetime(),
    /** Null for recovery kits, which are kept in a safe for as long as their KEK is in use. */
    expiresAt: z.string().datetime().nullable(),
    /** Recovery kits: which kit, and for a share its number (1..shares) and how many shares open it. */
    kit: z.object({ id: z.string().uuid(), share: z.number().int().min(0).max(9), threshold: z.number().int().min(1).max(9), shares: z.number().int().min(1).max(9) }).strict().optional(),
    kdf: z.object({ name: z.literal('scrypt'), logN: z.number().int().min(MIN_COST).max(MAX_COST), r: z.literal(8), p: z.literal(1), salt: b64 }).strict(),
    cipher: z.object({ name: z.literal('aes-256-gcm'), iv: b64, tag: b64, data: b64 }).strict(),
  })
  .strict()
  .refine((p) => (p.format === ENROLMENT_FORMAT ? p.expiresAt !== null && p.kit === undefined : p.kit !== undefined));
export type EnrolmentPackage = z.infer<typeof packageSchema>;
export type EnrolmentHeader = Omit<EnrolmentPackage, 'cipher'>;

export type EnrolmentRefusal = 'malformed' | 'expired' | 'wrong_install' | 'wrong_passphrase' | 'too_few_shares';

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
  const { format, version, installId, kekId, createdAt, expiresAt, kdf, kit } = header;
  const fields: unknown[] = [format, version, installId, kekId, createdAt, expiresAt, kdf.name, kdf.logN, kdf.r, kdf.p, kdf.salt];
  // Enrolment packages keep the fields they always had; a kit's identity and share number are bound too.
  if (kit) fields.push(kit.id, kit.share, kit.threshold, kit.shares);
  return Buffer.from(JSON.stringify(fields), 'utf8');
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
  return sealKeyPackage({ ...input, format: ENROLMENT_FORMAT, secret: input.kek, kekId: kekFacts(input.kek).kekId, expiresAt: input.expiresAt });
}

/**
 * Seals `secret` (a KEK, or one Shamir share of it) under a passphrase: scrypt, then AES-256-GCM with the header
 * as associated data. The one format of enrolment packages and recovery kits.
 */
export async function sealKeyPackage(input: {
  format: KeyPackageFormat;
  secret: Uint8Array;
  kekId: string;
  installId: string;
  passphrase: string;
  createdAt: Date;
  expiresAt: Date | null;
  kit?: NonNullable<EnrolmentHeader['kit']>;
  logN?: number;
}): Promise<{ text: string; header: EnrolmentHeader }> {
  const salt = randomBytes(16);
  const header: EnrolmentHeader = {
    format: input.format,
    version: 1,
    installId: input.installId,
    kekId: input.kekId,
    createdAt: input.createdAt.toISOString(),
    expiresAt: input.expiresAt ? input.expiresAt.toISOString() : null,
    ...(input.kit ? { kit: input.kit } : {}),
    kdf: { name: 'scrypt', logN: input.logN ?? ENROLMENT_COST, r: 8, p: 1, salt: salt.toString('base64') },
  };
  const key = await scryptKey(input.passphrase, salt, header.kdf.logN);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(header));
  const data = Buffer.concat([cipher.update(input.secret), cipher.final()]);
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
  if (pkg.format !== ENROLMENT_FORMAT) throw new EnrolmentPackageError('malformed');
  const kek = await openKeyPackage(pkg, passphrase, expect);
  if (kek.length !== KEK_BYTES || kekFacts(kek).kekId !== pkg.kekId) throw new EnrolmentPackageError('wrong_passphrase');
  return kek;
}

/** Opens any key package (read with readEnrolmentHeader) and returns what it seals: a KEK or a share. */
export async function openKeyPackage(pkg: EnrolmentPackage, passphrase: string, expect: { installId: string; now: Date }): Promise<Buffer> {
  if (pkg.installId !== expect.installId) throw new EnrolmentPackageError('wrong_install');
  if (pkg.expiresAt !== null && Date.parse(pkg.expiresAt) <= expect.now.getTime()) throw new EnrolmentPackageError('expired');
  const key = await scryptKey(passphrase, Buffer.from(pkg.kdf.salt, 'base64'), pkg.kdf.logN);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(pkg.cipher.iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(associatedData(pkg));
    decipher.setAuthTag(Buffer.from(pkg.cipher.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(pkg.cipher.data, 'base64')), decipher.final()]);
  } catch {
    // GCM cannot tell a wrong passphrase from an altered package; both are refused alike.
    throw new EnrolmentPackageError('wrong_passphrase');
  } finally {
    key.fill(0);
  }
}
