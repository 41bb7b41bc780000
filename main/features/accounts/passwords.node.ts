import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** OWASP's scrypt recommendation: N=2^17, r=8, p=1. Tests of unrelated features may lower N for speed. */
export const DEFAULT_SCRYPT_LOG_N = 17;
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export class PasswordHasher {
  constructor(private readonly logN = DEFAULT_SCRYPT_LOG_N) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, this.logN, 8, 1);
    return ['scrypt', this.logN, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
  }

  /** Constant-time comparison; a malformed stored hash simply fails. */
  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, logN, r, p, salt, key] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !key) return false;
    const expected = Buffer.from(key, 'base64');
    const actual = await derive(password, Buffer.from(salt, 'base64'), Number(logN), Number(r), Number(p));
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** Spends the same time as a real check, so an unknown username is not told apart by timing. */
  async burn(password: string): Promise<void> {
    await derive(password, randomBytes(16), this.logN, 8, 1);
  }
}
