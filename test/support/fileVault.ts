import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretVault } from '../../main/platform/keychain/vault.std.ts';

/**
 * Tests only: a vault kept in a directory, so a child process that is killed and a parent that reopens its
 * database share one key. Never for real keys (it stores them in clear on disk).
 */
export class DirectoryVault implements SecretVault {
  readonly kind = 'test-directory';
  constructor(private readonly dir: string) {}
  private file(name: string): string {
    return join(this.dir, `${Buffer.from(name).toString('hex')}.key`);
  }
  async get(name: string): Promise<Buffer | null> {
    return existsSync(this.file(name)) ? readFileSync(this.file(name)) : null;
  }
  async set(name: string, secret: Buffer): Promise<void> {
    writeFileSync(this.file(name), secret);
  }
  async delete(name: string): Promise<boolean> {
    const had = existsSync(this.file(name));
    rmSync(this.file(name), { force: true });
    return had;
  }
}
