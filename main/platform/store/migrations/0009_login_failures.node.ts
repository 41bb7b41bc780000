import type { Knex } from 'knex';
import type { Migration } from './migration.node.ts';

/**
 * Issue #12: failed sign-ins under usernames that do not exist are counted like a real account's, so the lockout
 * answers alike and cannot be used to probe which names exist. Rows are keyed by the keyed blind index of the
 * name (never the name) and hold no more than a real account's counters; the table is capped by the service.
 */
export const loginFailures: Migration = {
  version: 9,
  name: 'login_failures: lockout counters for unknown usernames (blind index only)',
  async up(db: Knex.Transaction) {
    await db.schema.createTable('login_failures', (t) => {
      t.string('name_index', 64).primary();
      t.integer('failed_attempts').notNullable().defaultTo(0);
      t.string('locked_until', 32).nullable();
      t.string('last_failed_at', 32).notNullable();
      t.index(['last_failed_at']);
    });
  },
};
