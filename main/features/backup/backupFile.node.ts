import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { z } from 'zod';
import { scryptKey } from '../../platform/crypto/enrolmentPackage.node.ts';
import { KEK_BYTES } from '../../platform/crypto/keyRing.node.ts';

/**
 * The encrypted backup file: a clear header that says what it is (app, format, schema, install, when, which key),
 * then the SQLite snapshot in AES-256-GCM frames of 64 KiB.
 *
 *   "ITPCBAK" 0x01 | u32 header length | header JSON | frame* ; frame = u32 plaintext length | ciphertext | 16-byte tag
 *
 * Every frame's associated data is SHA-256(all header bytes) ‖ u64 frame number ‖ final flag, and its nonce is
 * the frame number under a key made for this file alone (fresh salt): so an altered header, a frame moved,
 * dropped or flipped, a file cut after any frame (no final frame) or bytes added after the final frame all fail.
 * The key comes from the KEK (HKDF under its own label) or from a passphrase (scrypt, as enrolment packages).
 */
export const BACKUP_MAGIC = Buffer.from('ITPCBAK\u0001', 'latin1');
export const BACKUP_FORMAT = 'itpc-backup';
export const BACKUP_EXTENSION = 'itpcbak';
export const FRAME_BYTES = 64 * 1024;
const TAG_BYTES = 16;
const MAX_HEADER_BYTES = 4096;
/** scrypt log2(N) of passphrase backups: the enrolment package's cost; a file asking for more than 20 is refused. */
export const BACKUP_SCRYPT_COST = 17;
const KEK_LABEL = 'itpc/v1/backup-file';

const b64 = z.string().regex(/^[A-Za-z0-9+/]+=*$/).max(64);
const headerSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    version: z.literal(1),
    appVersion: z.string().max(40),
    schemaVersion: z.number().int().min(0).max(100_000),
    installId: z.string().uuid(),
    /** The KEK the database inside is wrapped by (its public fingerprint), whatever key encrypts the file. */
    kekId: z.string().regex(/^[0-9a-f]{16}$/),
    createdAt: z.string().datetime(),
    /** Bytes of the SQLite snapshot inside, for progress. */
    plainBytes: z.number().int().min(0),
    frameBytes: z.literal(FRAME_BYTES),
    key: z.discriminatedUnion('source', [
      z.object({ source: z.literal('kek'), salt: b64, check: z.string().regex(/^[0-9a-f]{32}$/) }).strict(),
      z
        .object({
          source: z.literal('passphrase'),
          kdf: z.object({ name: z.literal('scrypt'), logN: z.number().int().min(14).max(20), r: z.literal(8), p: z.literal(1), salt: b64 }).strict(),
          check: z.string().regex(/^[0-9a-f]{32}$/),
        })
        .strict(),
    ]),
  })
  .strict();
export type BackupHeader = z.infer<typeof headerSchema>;
export type BackupFacts = Omit<BackupHeader, 'format' | 'version' | 'frameBytes' | 'key'>;
export type BackupKey = { source: 'kek'; kek: Buffer } | { source: 'passphrase'; passphrase: string; logN?: number };

/** Why a backup file was refused. Nothing is written anywhere when it is. */
export type BackupRefusal = 'malformed' | 'wrong_key' | 'damaged' | 'truncated' | 'passphrase_needed';
export class BackupFileError extends Error {
  constructor(readonly reason: BackupRefusal) {
    super(`Backup file refused: ${reason}`);
    this.name = 'BackupFileError';
  }
}

/** A short value of the file key in the (authenticated) header: a wrong key is told apart from a damaged file. */
function keyCheck(key: Buffer): string {
  return createHmac('sha256', key).update('itpc-backup-key-check').digest('hex').slice(0, 32);
}

async function fileKey(header: BackupHeader, key: BackupKey): Promise<Buffer> {
  const spec = header.key;
  if (spec.source === 'kek') {
    if (key.source !== 'kek') throw new BackupFileError('wrong_key');
    if (key.kek.length !== KEK_BYTES) throw new BackupFileError('wrong_key');
    return Buffer.from(hkdfSync('sha256', key.kek, Buffer.from(spec.salt, 'base64'), KEK_LABEL, 32));
  }
  if (key.source !== 'passphrase') throw new BackupFileError('passphrase_needed');
  return scryptKey(key.passphrase, Buffer.from(spec.kdf.salt, 'base64'), spec.kdf.logN);
}

function nonce(index: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(index), 4);
  return iv;
}

function frameAad(headerDigest: Buffer, index: number, final: boolean): Buffer {
  const aad = Buffer.alloc(32 + 8 + 1);
  headerDigest.copy(aad, 0);
  aad.writeBigUInt64BE(BigInt(index), 32);
  aad[40] = final ? 1 : 0;
  return aad;
}

function encodeHeader(header: BackupHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([BACKUP_MAGIC, length, json]);
}

async function readExactly(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buffer, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buffer : buffer.subarray(0, got);
}

/** Reads and checks the clear header (no key needed): what the file is, for the list of backups. */
export async function readBackupHeader(path: string): Promise<{ header: BackupHeader; headerBytes: Buffer }> {
  const handle = await open(path, 'r');
  try {
    return await headerOf(handle);
  } finally {
    await handle.close();
  }
}

async function headerOf(handle: FileHandle): Promise<{ header: BackupHeader; headerBytes: Buffer }> {
  const start = await readExactly(handle, 0, BACKUP_MAGIC.length + 4);
  if (start.length < BACKUP_MAGIC.length + 4 || !start.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)) throw new BackupFileError('malformed');
  const length = start.readUInt32BE(BACKUP_MAGIC.length);
  if (length === 0 || length > MAX_HEADER_BYTES) throw new BackupFileError('malformed');
  const json = await readExactly(handle, start.length, length);
  if (json.length !== length) throw new BackupFileError('truncated');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.toString('utf8'));
  } catch {
    throw new BackupFileError('malformed');
  }
  const header = headerSchema.safeParse(parsed);
  if (!header.success) throw new BackupFileError('malformed');
  return { header: header.data, headerBytes: Buffer.concat([start, json]) };
}

/**
 * Encrypts a snapshot file into a backup, a few frames per call so a job can report progress and the event loop
 * stays free between batches. `finish()` flushes to disk; the caller renames the partial file into place.
 */
export class BackupWriter {
  private index = 0;
  private readPos = 0;
  private writePos = 0;
  private done = false;

  private constructor(
    private readonly source: FileHandle,
    private readonly target: FileHandle,
    private readonly key: Buffer,
    private readonly digest: Buffer,
    readonly plainBytes: number,
  ) {}

  static async create(sourcePath: string, targetPath: string, facts: BackupFacts, key: BackupKey): Promise<BackupWriter> {
    const salt = randomBytes(16);
    const spec: BackupHeader['key'] =
      key.source === 'kek'
        ? { source: 'kek', salt: salt.toString('base64'), check: '' }
        : { source: 'passphrase', kdf: { name: 'scrypt', logN: key.logN ?? BACKUP_SCRYPT_COST, r: 8, p: 1, salt: salt.toString('base64') }, check: '' };
    const draft: BackupHeader = { format: BACKUP_FORMAT, version: 1, frameBytes: FRAME_BYTES, ...facts, key: spec };
    const fileKeyBytes = await fileKey(draft, key);
    const header: BackupHeader = { ...draft, key: { ...spec, check: keyCheck(fileKeyBytes) } };
    const headerBytes = encodeHeader(header);
    const source = await open(sourcePath, 'r');
    let target: FileHandle;
    try {
      target = await open(targetPath, 'wx', 0o600);
    } catch (error) {
      await source.close();
      throw error;
    }
    await target.write(headerBytes, 0, headerBytes.length, 0);
    const writer = new BackupWriter(source, target, fileKeyBytes, createHash('sha256').update(headerBytes).digest(), facts.plainBytes);
    writer.writePos = headerBytes.length;
    return writer;
  }

  get finished(): boolean {
    return this.done;
  }

  /** Plaintext bytes encrypted so far. */
  get encrypted(): number {
    return this.readPos;
  }

  /** Encrypts up to `frames` frames (one read, one write); the frame that reaches the snapshot's end is the final one. */
  async writeFrames(frames: number): Promise<void> {
    if (this.done) return;
    const chunk = await readExactly(this.source, this.readPos, Math.min(frames * FRAME_BYTES, Math.max(0, this.plainBytes - this.readPos)));
    const out: Buffer[] = [];
    let offset = 0;
    do {
      const plain = chunk.subarray(offset, offset + FRAME_BYTES);
      offset += plain.length;
      const final = this.readPos + offset >= this.plainBytes;
      const cipher = createCipheriv('aes-256-gcm', this.key, nonce(this.index), { authTagLength: TAG_BYTES });
      cipher.setAAD(frameAad(this.digest, this.index, final));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(plain.length);
      out.push(length, cipher.update(plain), cipher.final(), cipher.getAuthTag());
      this.index += 1;
      this.done = final;
    } while (offset < chunk.length && !this.done);
    const bytes = Buffer.concat(out);
    await this.target.write(bytes, 0, bytes.length, this.writePos);
    this.writePos += bytes.length;
    this.readPos += offset;
  }

  /** Flushes the backup to disk and closes both files; returns the backup's size. */
  async finish(): Promise<number> {
    await this.target.sync();
    await this.close();
    this.key.fill(0);
    return this.writePos;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.source.close(), this.target.close()]);
  }
}

/**
 * Decrypts a backup into `targetPath` (created, owner-only), checking every frame: an altered header or frame,
 * a wrong key, a file cut short or with bytes after its final frame throws BackupFileError. The caller removes
 * the target on any error.
 */
export async function decryptBackup(path: string, targetPath: string, key: BackupKey, onProgress?: (done: number, total: number) => void): Promise<BackupHeader> {
  const handle = await open(path, 'r');
  try {
    const { header, headerBytes } = await headerOf(handle);
    if (header.key.source === 'passphrase' && key.source !== 'passphrase') throw new BackupFileError('passphrase_needed');
    const fileKeyBytes = await fileKey(header, key);
    if (!timingSafeEqual(Buffer.from(keyCheck(fileKeyBytes), 'hex'), Buffer.from(header.key.check, 'hex'))) throw new BackupFileError('wrong_key');
    const digest = createHash('sha256').update(headerBytes).digest();
    const size = (await handle.stat()).size;
    const target = await open(targetPath, 'wx', 0o600);
    try {
      let position = headerBytes.length;
      let written = 0;
      // Written 4 MiB at a time.
      const pending: Buffer[] = [];
      let pendingBytes = 0;
      for (let index = 0; ; index += 1) {
        const lengthBytes = await readExactly(handle, position, 4);
        if (lengthBytes.length < 4) throw new BackupFileError('truncated');
        const length = lengthBytes.readUInt32BE(0);
        if (length > FRAME_BYTES) throw new BackupFileError('damaged');
        const frame = await readExactly(handle, position + 4, length + TAG_BYTES);
        if (frame.length < length + TAG_BYTES) throw new BackupFileError('truncated');
        position += 4 + length + TAG_BYTES;
        // A frame is final exactly when the file ends with it; the flag in its associated data must agree.
        const final = position >= size;
        const decipher = createDecipheriv('aes-256-gcm', fileKeyBytes, nonce(index), { authTagLength: TAG_BYTES });
        decipher.setAAD(frameAad(digest, index, final));
        decipher.setAuthTag(frame.subarray(length));
        let plain: Buffer;
        try {
          plain = Buffer.concat([decipher.update(frame.subarray(0, length)), decipher.final()]);
        } catch {
          // Not final by position but sealed as final: bytes were appended. Final by position but not sealed so: cut short.
          throw new BackupFileError(final && opensAsNonFinal(fileKeyBytes, digest, index, frame, length) ? 'truncated' : 'damaged');
        }
        pending.push(plain);
        pendingBytes += plain.length;
        if (final || pending.length >= 64) {
          const bytes = Buffer.concat(pending);
          await target.write(bytes, 0, bytes.length, written);
          written += pendingBytes;
          pending.length = 0;
          pendingBytes = 0;
          onProgress?.(written, header.plainBytes);
        }
        if (final) break;
      }
      if (written !== header.plainBytes) throw new BackupFileError('damaged');
      await target.sync();
    } finally {
      await target.close();
    }
    fileKeyBytes.fill(0);
    return header;
  } finally {
    await handle.close();
  }
}

/** Whether the frame opens as a non-final frame (then the file was cut after it) — used only to name the refusal. */
function opensAsNonFinal(key: Buffer, digest: Buffer, index: number, frame: Buffer, length: number): boolean {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(index), { authTagLength: TAG_BYTES });
    decipher.setAAD(frameAad(digest, index, false));
    decipher.setAuthTag(frame.subarray(length));
    decipher.update(frame.subarray(0, length));
    decipher.final();
    return true;
  } catch {
    return false;
  }
}
