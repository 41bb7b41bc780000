import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { hkdf, type KeyRing } from '../crypto/keyRing.node.ts';
import type { WitnessedHead } from './chainWitness.node.ts';

export const SIGNED_HEAD_FORMAT = 'itpc-audit-head/1';

/**
 * A head an auditor keeps outside the app: sequence number, hash and time, signed with Ed25519.
 *
 * Ed25519 rather than an HMAC: the file carries the public key and the exact signed text, so it can be checked
 * OUTSIDE the app by anyone holding the public key (`openssl pkeyutl -verify -pubin -rawin`), without handing them a
 * secret; an HMAC could only be checked by something holding the audit key. The key pair is derived from the audit
 * domain key (HKDF), so nothing new has to be stored or backed up, and only a holder of the KEK can sign: a head
 * made up from the database file alone does not verify. The app also checks that the public key is its own.
 */
export const signedHeadFile = z
  .object({
    format: z.literal(SIGNED_HEAD_FORMAT),
    installId: z.string().max(64),
    seq: z.number().int().nonnegative(),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.string().max(40),
    keyVersion: z.number().int().positive(),
    /** The exact text signed (UTF-8), so outside tools need not rebuild it. */
    signed: z.string().max(400),
    publicKey: z.string().max(400),
    signature: z.string().max(200),
  })
  .strict();
export type SignedHeadFile = z.infer<typeof signedHeadFile>;

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function signingKey(auditKey: Buffer): { privateKey: KeyObject; publicPem: string } {
  const seed = hkdf(auditKey, 'audit-head-signing');
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicPem = createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString();
  return { privateKey, publicPem };
}

function signedText(installId: string, head: WitnessedHead, at: string, keyVersion: number): string {
  return [SIGNED_HEAD_FORMAT, installId, head.seq, head.hash, at, keyVersion].join('\n');
}

export function signHead(ring: KeyRing, installId: string, head: WitnessedHead, at: string): SignedHeadFile {
  const key = ring.audit;
  const { privateKey, publicPem } = signingKey(key.key);
  const signed = signedText(installId, head, at, key.version);
  return {
    format: SIGNED_HEAD_FORMAT,
    installId,
    seq: head.seq,
    hash: head.hash,
    at,
    keyVersion: key.version,
    signed,
    publicKey: publicPem,
    signature: sign(null, Buffer.from(signed, 'utf8'), privateKey).toString('base64'),
  };
}

/** Why a head file is not evidence for this database, or null when it is. */
export function headFileProblem(ring: KeyRing, installId: string, file: SignedHeadFile): string | null {
  if (file.installId !== installId) return 'the head file belongs to another database';
  let auditKey: Buffer;
  try {
    auditKey = ring.domainKey('audit', file.keyVersion).key;
  } catch {
    return 'the head file names an audit key this database does not hold';
  }
  const { publicPem } = signingKey(auditKey);
  if (file.publicKey.trim() !== publicPem.trim()) return "the head file was not signed with this database's key";
  if (file.signed !== signedText(installId, file, file.at, file.keyVersion)) return 'the head file was altered';
  const ok = verify(null, Buffer.from(file.signed, 'utf8'), createPublicKey(publicPem), Buffer.from(file.signature, 'base64'));
  return ok ? null : 'the head file was altered';
}
