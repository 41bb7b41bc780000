import { createRequire } from 'node:module';

/**
 * The few libsodium calls the envelope uses, through sodium-native (Holepunch's N-API binding; prebuilt for every
 * desktop platform, so nothing is compiled at install). Typed here because the package ships no types.
 */
interface Sodium {
  crypto_aead_xchacha20poly1305_ietf_encrypt(c: Uint8Array, m: Uint8Array, ad: Uint8Array | null, nsec: null, npub: Uint8Array, k: Uint8Array): number;
  /** Throws when the tag does not verify. */
  crypto_aead_xchacha20poly1305_ietf_decrypt(m: Uint8Array, nsec: null, c: Uint8Array, ad: Uint8Array | null, npub: Uint8Array, k: Uint8Array): number;
  readonly crypto_aead_xchacha20poly1305_ietf_ABYTES: number;
  readonly crypto_aead_xchacha20poly1305_ietf_NPUBBYTES: number;
}

const require = createRequire(import.meta.url);
export const sodium = require('sodium-native') as Sodium;
