import type { SecretVault } from './vault.std.ts';

/** For pure unit tests only: a vault that forgets everything when the process ends. */
export class MemoryVault implements SecretVault {
  readonly kind = 'memory';
  private readonly secrets = new Map<string, Buffer>();

  async get(name: string): Promise<Buffer | null> {
    const secret = this.secrets.get(name);
    return secret ? Buffer.from(secret) : null;
  }

  async set(name: string, secret: Buffer): Promise<void> {
    this.secrets.set(name, Buffer.from(secret));
  }

  async delete(name: string): Promise<boolean> {
    return this.secrets.delete(name);
  }
}
