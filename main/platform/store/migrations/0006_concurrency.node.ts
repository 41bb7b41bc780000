import type { Knex } from 'knex';
import { StartupError } from '../../startupError.std.ts';
import type { Migration } from './migration.node.ts';

/**
 * Several workstations on one database (issue #7): what a single SQLite connection used to guarantee by running
 * one call at a time is now held by the database itself.
 *
 * - `customers.email_index` is UNIQUE (published and staged rows alike): two customers created with the same
 *   address at once cannot both be saved. It replaces the (email_index, created_at) search index.
 * - `customers.version` counts rewrites of a record's personal data; a correction names the version it was made
 *   against, so an edit based on an older version is refused instead of silently overwriting (optimistic
 *   concurrency). `customer_corrections.version` is the version each correction produced, so a refusal can name
 *   the fields changed since.
 * - `users.session_epoch` is bumped whenever an account is disabled, changes role or has its password reset; a
 *   session remembers the epoch it signed in under, and every workstation's router ends it at its next call.
 * - `office_settings`: settings that hold for the whole office (idle lock, retention, deadlines), one row each,
 *   replacing the per-workstation copy in settings.json.
 */
export const concurrency: Migration = {
  version: 6,
  name: 'concurrency: unique email index, record versions, session epochs, office settings',
  async up(db: Knex.Transaction) {
    const duplicates = await db('customers').select('email_index').groupBy('email_index').havingRaw('count(*) > 1').limit(1);
    if (duplicates.length) {
      throw new StartupError('DUPLICATE_RECORDS', 'This database holds two customer records with the same email address, which the app never saves. It was not changed.', [
        'The database may have been altered or restored from mixed backups. Restore it from the most recent backup.',
        'Ask IT to contact support before anyone uses this database.',
      ]);
    }
    await db.raw('CREATE UNIQUE INDEX customers_email_unique ON customers (email_index)');
    // An address now matches at most one row, so the unique index answers an email search on its own; the old
    // (email_index, created_at) index would only add a second index to maintain on every insert (import cost).
    await db.raw('DROP INDEX customers_email_index_created_at_index');
    await db.schema.alterTable('customers', (t) => {
      t.integer('version').notNullable().defaultTo(1);
    });
    await db.schema.alterTable('customer_corrections', (t) => {
      t.integer('version').nullable();
    });
    await db.schema.alterTable('users', (t) => {
      t.integer('session_epoch').notNullable().defaultTo(0);
    });
    await db.schema.createTable('office_settings', (t) => {
      t.string('key', 64).primary();
      // JSON of a number or string; never a secret, never PII.
      t.text('value').notNullable();
      t.string('updated_at', 32).notNullable();
      t.uuid('updated_by').nullable();
    });
  },
};
