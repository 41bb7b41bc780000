import { z } from 'zod';
import { channel } from '../../platform/ipc/channel.std.ts';
import { empty } from '../../platform/ipc/schemas.std.ts';
import { probeResult, workstationConnection } from '../../platform/store/connectionSettings.std.ts';

/** A database password: any characters but control characters; it goes to the keychain only. */
const databasePassword = z
  .string()
  .min(1, 'Enter the password')
  .max(1024)
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'The password holds control characters');

export const connectionView = z.object({
  connection: workstationConnection,
  /** Whether the keychain holds a password for the PostgreSQL user; the password itself never leaves main. */
  passwordStored: z.boolean(),
});
export type ConnectionView = z.infer<typeof connectionView>;

export const ENROLMENT_MAX_HOURS = 72;
export const ENROLMENT_PACKAGE_MAX_CHARS = 4000;

export const recoveryStatus = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('open') }),
  z.object({
    mode: z.literal('recovery'),
    code: z.string(),
    message: z.string(),
    steps: z.array(z.string()),
    /** Whether importing an enrolment package can fix this (the key is missing or wrong, the database answers). */
    canEnrol: z.boolean(),
  }),
]);
export type RecoveryStatus = z.infer<typeof recoveryStatus>;

export const workstationChannels = {
  'workstation.connection.get': channel({
    input: empty,
    output: connectionView,
    access: { kind: 'permission', permission: 'workstation.manage' },
  }),
  /** Applies at the next start of the app; the password (when given) replaces the keychain entry. */
  'workstation.connection.save': channel({
    input: z.object({ connection: workstationConnection, password: databasePassword.optional() }).strict(),
    output: connectionView,
    access: { kind: 'permission', permission: 'workstation.manage' },
    reauth: true,
    audit: 'workstation.connection_saved',
  }),
  /** Read-only probe of the given settings (the stored password when none is given). Writes nothing to the probed database. */
  'workstation.connection.test': channel({
    input: z.object({ connection: workstationConnection, password: databasePassword.optional() }).strict(),
    output: probeResult,
    access: { kind: 'permission', permission: 'workstation.manage' },
    audit: 'workstation.connection_tested',
    // A server that does not answer must not hold the open database's transaction for seconds.
    transactional: false,
  }),
  /** The office key sealed under a one-time passphrase, for another workstation to import. */
  'workstation.enrolment.create': channel({
    input: z
      .object({
        expiresInHours: z.number().int().min(1).max(ENROLMENT_MAX_HOURS),
        /** Typed by IT (strength rules apply); omitted: the app generates one and shows it once. */
        passphrase: z.string().max(200).optional(),
      })
      .strict(),
    output: z.object({ packageText: z.string(), generatedPassphrase: z.string().nullable(), expiresAt: z.string(), installId: z.string() }),
    access: { kind: 'permission', permission: 'workstation.manage' },
    reauth: true,
    audit: 'workstation.enrolment_created',
  }),
  /** Before anyone can sign in: why the console did not open (the recovery screen), or `open`. */
  'workstation.recovery.status': channel({
    input: empty,
    output: recoveryStatus,
    access: { kind: 'public' },
  }),
  /**
   * Imports an enrolment package — or a recovery kit, or custodians' shares of one (`moreShares`: the other
   * shares) — on the recovery screen. Possession of the package and its passphrase is the authority; an open
   * console refuses it (it already holds its key).
   */
  'workstation.recovery.enrol': channel({
    input: z
      .object({
        packageText: z.string().min(1, 'Paste the enrolment package').max(ENROLMENT_PACKAGE_MAX_CHARS),
        passphrase: z.string().min(1, 'Enter the passphrase').max(200),
        moreShares: z.array(z.string().min(1).max(ENROLMENT_PACKAGE_MAX_CHARS)).max(2).optional(),
      })
      .strict(),
    output: z.object({ installId: z.string(), kekId: z.string() }),
    access: { kind: 'public' },
  }),
};
