import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { empty, id } from '../../platform/ipc/schemas.std.ts';

/** Domain keys rotated by adding a version (dek-wrap and blind-index then move every row to it in a job). */
export const ROTATABLE_DOMAIN_KEYS = ['dek-wrap', 'audit', 'blind-index'] as const;
export type RotatableDomainKey = (typeof ROTATABLE_DOMAIN_KEYS)[number];
export const ROTATION_TARGETS = ['kek', 'dek-wrap', 'audit', 'blind-index'] as const;

export const KIT_PASSPHRASE_MAX = 200;

const domainKeyView = z.object({
  purpose: z.enum(['dek-wrap', 'blind-index', 'audit']),
  version: z.number(),
  createdAt: z.string(),
  retiredAt: z.string().nullable(),
  current: z.boolean(),
});

const rotationView = z.object({
  id: z.string(),
  target: z.enum(ROTATION_TARGETS),
  fromRef: z.string().nullable(),
  toRef: z.string(),
  startedByName: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

const jobView = z.object({ id: z.string(), kind: z.string(), state: z.string(), done: z.number(), total: z.number().nullable(), updatedAt: z.string() });

const custodianView = z.object({ share: z.number(), userId: z.string(), displayName: z.string().nullable(), acknowledgedAt: z.string().nullable() });

const kitView = z.object({
  id: z.string(),
  kekId: z.string(),
  /** False once the KEK was rotated after the kit was made: it no longer opens the database. */
  current: z.boolean(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  threshold: z.number(),
  shares: z.number(),
  custodians: z.array(custodianView),
});

export const keyStatus = z.object({
  kekId: z.string(),
  domainKeys: z.array(domainKeyView),
  rotations: z.array(rotationView),
  /** The rotation job running or left unfinished (at most one per kind, enforced by the database). */
  running: z.array(jobView),
  kits: z.array(kitView),
});
export type KeyStatus = z.infer<typeof keyStatus>;

export const keyRotationChannels = {
  /** Key versions, rotations, the running rotation job and recovery kits. Ids, versions and dates only. */
  'keys.status': channel({ input: empty, output: keyStatus, access: { kind: 'permission', permission: 'keys.manage' } }),
  /**
   * A new KEK in this workstation's keychain; the domain-key rows rewrapped under it in one transaction; the old
   * KEK removed from the keychain. Other workstations sharing the database need a new enrolment package afterwards.
   */
  'keys.rotateKek': channel({
    input: empty,
    output: z.object({ fromKekId: z.string(), toKekId: z.string(), rewrapped: z.number() }),
    access: { kind: 'permission', permission: 'keys.manage' },
    reauth: true,
    audit: 'keys.kek_rotated',
    // The keychain is written before and after the database transaction, which the handler runs itself.
    transactional: false,
  }),
  /**
   * `audit`: a new version hashes every event from now on (one transaction). `dek-wrap`: a new version, then a
   * job rewraps every row under the old one in batches and retires it. `blind-index`: a new version, then a job
   * re-indexes every customer and account under it and destroys the old one. The reply comes once a job started.
   */
  'keys.rotateDomainKey': channel({
    input: z.object({ purpose: z.enum(ROTATABLE_DOMAIN_KEYS) }).strict(),
    output: z.object({ purpose: z.enum(ROTATABLE_DOMAIN_KEYS), version: z.number().nullable(), jobId: z.string().nullable() }),
    access: { kind: 'permission', permission: 'keys.manage' },
    reauth: true,
    audit: 'keys.rotation_started',
    transactional: false,
  }),
  /**
   * The KEK under a passphrase (scrypt + AES-256-GCM, the enrolment package's format) as a printable PDF saved
   * where IT chooses, plus the same text to copy. Split: three shares, any two re-create the key, one custodian
   * each (distinct active accounts). The passphrase is shown once when generated and never stored.
   */
  'keys.kit.create': channel({
    input: z
      .object({
        split: z.boolean(),
        /** Exactly three distinct accounts when split; none otherwise. */
        custodians: z.array(id).max(3).optional(),
        /** Typed by IT (strength rules apply); omitted: the app generates one and shows it once. */
        passphrase: z.string().max(KIT_PASSPHRASE_MAX).optional(),
      })
      .strict(),
    output: z.object({
      kitId: z.string(),
      kekId: z.string(),
      /** One text block (whole kit) or one per share, in share order. */
      texts: z.array(z.string()),
      generatedPassphrase: z.string().nullable(),
      fileName: z.string().nullable(),
    }),
    access: { kind: 'permission', permission: 'keys.manage' },
    reauth: true,
    audit: 'keys.kit_created',
    // The save dialog must not hold the database's transaction while it is open.
    transactional: false,
  }),
  /** The recovery-kit shares the signed-in person holds, and whether they acknowledged them. */
  'keys.custodian.mine': channel({
    input: empty,
    output: z.object({ shares: z.array(z.object({ kitId: z.string(), share: z.number(), shares: z.number(), threshold: z.number(), kekId: z.string(), current: z.boolean(), createdAt: z.string(), acknowledgedAt: z.string().nullable() })) }),
    access: { kind: 'session' },
  }),
  /** A custodian confirms they hold their share sheet and know their role. Only the custodian themselves. */
  'keys.custodian.acknowledge': channel({
    input: z.object({ kitId: id }).strict(),
    output: z.object({ kitId: z.string(), share: z.number(), acknowledgedAt: z.string() }),
    access: { kind: 'session' },
    reauth: true,
    audit: 'keys.custodian_acknowledged',
  }),
};
