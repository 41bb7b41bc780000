import { z } from 'zod';

/**
 * How this workstation reaches its database: a workstation setting (electron-store / conf), never office-wide.
 * It holds no secret: the PostgreSQL password lives in the keychain under DATABASE_PASSWORD_ENTRY.
 */
export const TLS_MODES = ['disable', 'require', 'verify-full'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/** Host names and IP literals only: letters, digits, dots, hyphens, colons (IPv6), no spaces or URLs. */
const hostName = z
  .string()
  .trim()
  .min(1, 'Enter the database server name or address')
  .max(253)
  .regex(/^[A-Za-z0-9.:-]+$/, 'A host name or IP address only (letters, digits, dots, hyphens)');
/** PostgreSQL identifiers as an office would name them: no quoting needed. */
const identifier = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${what}`)
    .max(63)
    .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, `The ${what} may hold letters, digits, _ . - and must start with a letter or _`);
/** An absolute path to a PEM file (POSIX or Windows); never a URL. */
const caFilePath = z
  .string()
  .trim()
  .min(1, 'Choose the CA certificate file')
  .max(1024)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'Give the full path to the CA certificate file')
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .refine((p) => !/[\u0000-\u001f]/.test(p), 'The path holds control characters');

export const tlsSettings = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('disable') }).strict(),
  z.object({ mode: z.literal('require') }).strict(),
  z.object({ mode: z.literal('verify-full'), caFile: caFilePath }).strict(),
]);
export type TlsSettings = z.infer<typeof tlsSettings>;

export const postgresConnection = z
  .object({
    engine: z.literal('postgresql'),
    host: hostName,
    port: z.number().int().min(1).max(65535),
    database: identifier('database name'),
    user: identifier('user name'),
    tls: tlsSettings,
  })
  .strict();
export type PostgresConnection = z.infer<typeof postgresConnection>;

export const workstationConnection = z.discriminatedUnion('engine', [z.object({ engine: z.literal('sqlite') }).strict(), postgresConnection]);
export type WorkstationConnection = z.infer<typeof workstationConnection>;

export const DEFAULT_CONNECTION: WorkstationConnection = { engine: 'sqlite' };
export const DEFAULT_POSTGRES_PORT = 5432;

/** The keychain entry of this workstation's PostgreSQL password (beside `kek/<install id>`). */
export const DATABASE_PASSWORD_ENTRY = 'database/password';

/** What "Test connection" can find, each with its own words and steps (probe.node.ts). */
export const PROBE_OUTCOMES = [
  'ok',
  'unreachable',
  'auth_failed',
  'tls_failed',
  'database_missing',
  'not_initialised',
  'db_newer',
  'app_outdated',
  'key_not_enrolled',
  'key_mismatch',
  'keychain_unavailable',
] as const;
export type ProbeOutcome = (typeof PROBE_OUTCOMES)[number];

export const probeResult = z.object({
  outcome: z.enum(PROBE_OUTCOMES),
  /** One sentence a person can act on; never a password, a key or a driver message that could echo input. */
  message: z.string(),
  steps: z.array(z.string()),
  /** Known once the database answered: its schema version and install id (neither is a secret). */
  schemaVersion: z.number().int().nullable(),
  installId: z.string().nullable(),
});
export type ProbeResult = z.infer<typeof probeResult>;
