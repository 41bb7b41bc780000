import { createRequire } from 'node:module';
import type { SecretVault } from './vault.std.ts';

type Keytar = typeof import('keytar');
const require = createRequire(import.meta.url);

/** The OS keychain (libsecret / Keychain / Credential Manager) through keytar. */
export class KeytarVault implements SecretVault {
  readonly kind = 'os-keychain';
  private readonly keytar: Keytar = require('keytar') as Keytar;

  constructor(private readonly service = 'iTechno Privacy Console') {}

  async get(name: string): Promise<Buffer | null> {
    const value = await this.keytar.getPassword(this.service, name);
    return value === null ? null : Buffer.from(value, 'base64');
  }

  async set(name: string, secret: Buffer): Promise<void> {
    await this.keytar.setPassword(this.service, name, secret.toString('base64'));
  }

  async delete(name: string): Promise<boolean> {
    return this.keytar.deletePassword(this.service, name);
  }
}
