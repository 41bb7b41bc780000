import { combine, split } from 'shamir-secret-sharing';
import {
  ENROLMENT_FORMAT,
  EnrolmentPackageError,
  openKeyPackage,
  readEnrolmentHeader,
  RECOVERY_KIT_FORMAT,
  RECOVERY_SHARE_FORMAT,
  sealKeyPackage,
  type EnrolmentPackage,
} from './enrolmentPackage.node.ts';
import { KEK_BYTES, kekFacts } from './keyRing.node.ts';

/** A kit split for custodians: any two of the three shares (and the kit passphrase) re-create the KEK. */
export const SPLIT_THRESHOLD = 2;
export const SPLIT_SHARES = 3;

export interface SealedKit {
  kitId: string;
  kekId: string;
  /** One text for a whole kit; one per share (share 1..n, in order) for a split kit. */
  texts: string[];
}

/**
 * The KEK exported for safekeeping, in the enrolment package's format (scrypt + AES-256-GCM, header
 * authenticated) without an expiry. Split, each share is sealed on its own, so a share sheet found alone reveals
 * neither the key nor anything about it (Shamir, information-theoretic below the threshold).
 */
export async function sealRecoveryKit(input: { kek: Buffer; installId: string; passphrase: string; createdAt: Date; kitId: string; split: boolean; logN?: number }): Promise<SealedKit> {
  if (input.kek.length !== KEK_BYTES) throw new Error('Key-encryption key has the wrong length');
  const kekId = kekFacts(input.kek).kekId;
  const common = { installId: input.installId, passphrase: input.passphrase, createdAt: input.createdAt, expiresAt: null, kekId, logN: input.logN };
  if (!input.split) {
    const { text } = await sealKeyPackage({ ...common, format: RECOVERY_KIT_FORMAT, secret: input.kek, kit: { id: input.kitId, share: 0, threshold: 1, shares: 1 } });
    return { kitId: input.kitId, kekId, texts: [text] };
  }
  const shares = await split(new Uint8Array(input.kek), SPLIT_SHARES, SPLIT_THRESHOLD);
  const texts: string[] = [];
  for (const [i, share] of shares.entries()) {
    const { text } = await sealKeyPackage({ ...common, format: RECOVERY_SHARE_FORMAT, secret: share, kit: { id: input.kitId, share: i + 1, threshold: SPLIT_THRESHOLD, shares: SPLIT_SHARES } });
    share.fill(0);
    texts.push(text);
  }
  return { kitId: input.kitId, kekId, texts };
}

/**
 * What the recovery screen imports: an enrolment package, a whole recovery kit, or shares of one kit (at least
 * its threshold, all under the one passphrase). Returns the KEK, proven against the fingerprint in the headers;
 * any refusal throws EnrolmentPackageError and returns nothing.
 */
export async function openRecoveryMaterial(texts: readonly string[], passphrase: string, expect: { installId: string; now: Date }): Promise<{ kek: Buffer; header: EnrolmentPackage }> {
  if (texts.length === 0) throw new EnrolmentPackageError('malformed');
  const packages = texts.map((t) => readEnrolmentHeader(t));
  const first = packages[0]!;
  let kek: Buffer;
  if (first.format === ENROLMENT_FORMAT || first.format === RECOVERY_KIT_FORMAT) {
    if (packages.length !== 1) throw new EnrolmentPackageError('malformed');
    kek = await openKeyPackage(first, passphrase, expect);
  } else {
    const kit = first.kit!;
    if (packages.some((p) => p.format !== RECOVERY_SHARE_FORMAT || p.kit?.id !== kit.id || p.kekId !== first.kekId)) throw new EnrolmentPackageError('malformed');
    const distinct = new Map(packages.map((p) => [p.kit!.share, p]));
    if (distinct.size < kit.threshold) throw new EnrolmentPackageError('too_few_shares');
    const opened: Uint8Array[] = [];
    for (const p of distinct.values()) opened.push(new Uint8Array(await openKeyPackage(p, passphrase, expect)));
    try {
      kek = Buffer.from(await combine(opened));
    } catch {
      throw new EnrolmentPackageError('malformed');
    } finally {
      for (const share of opened) share.fill(0);
    }
  }
  if (kek.length !== KEK_BYTES || kekFacts(kek).kekId !== first.kekId) {
    kek.fill(0);
    throw new EnrolmentPackageError('wrong_passphrase');
  }
  return { kek, header: first };
}
