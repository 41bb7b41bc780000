/**
 * Where the key-encryption key lives. keytar (OS keychain) in production; Electron's safeStorage can replace it
 * behind this interface without touching callers. Secrets are opaque bytes.
 */
export interface SecretVault {
  readonly kind: string;
  get(name: string): Promise<Buffer | null>;
  set(name: string, secret: Buffer): Promise<void>;
  delete(name: string): Promise<boolean>;
}
