import knexFactory, { type Knex } from 'knex';

export type Db = Knex;
/** A connection or a transaction: services take either so the router can run a call in one transaction. */
export type Queryable = Knex | Knex.Transaction;

export type DatabaseConfig = { client: 'sqlite'; filename: string } | { client: 'pg'; connection: string };

const SQLITE_PRAGMAS = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA foreign_keys = ON',
  'PRAGMA busy_timeout = 5000',
  // Deleted PII is overwritten in the file instead of lingering in free pages.
  'PRAGMA secure_delete = ON',
  'PRAGMA synchronous = FULL',
];

export function openDatabase(config: DatabaseConfig): Db {
  if (config.client === 'pg') {
    return knexFactory({ client: 'pg', connection: config.connection, pool: { min: 0, max: 5 } });
  }
  return knexFactory({
    client: 'sqlite3',
    connection: { filename: config.filename },
    useNullAsDefault: true,
    // One connection: a call waits while another holds it (a 100k-row import takes ~20 s in one transaction).
    acquireConnectionTimeout: 90_000,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { exec(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
        conn.exec(`${SQLITE_PRAGMAS.join(';\n')};`, (err) => done(err, conn));
      },
    },
  });
}

/** Blobs come back as Buffer from both drivers; this narrows the type. */
export function asBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  throw new Error('Expected binary column');
}
