import type { Migration } from './migration.node.ts';

/**
 * Issue #14: from this release new sections, data-key wraps and domain keys are sealed with XChaCha20-Poly1305
 * (envelope version 2), which older apps cannot open. No schema change; what it records is that apps before
 * 0.2.0 must not use the database any more, so a workstation not yet updated is told so at start instead of
 * failing on the first new record (or reading a new domain key as a wrong KEK).
 */
export const sectionsXChaCha: Migration = {
  version: 22,
  name: 'sections_xchacha: new ciphertexts are XChaCha20-Poly1305, which apps before 0.2.0 cannot open',
  minAppVersion: '0.2.0',
  async up() {},
};
