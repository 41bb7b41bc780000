import type { Knex } from 'knex';
import type { Migration } from './migration.node.ts';

/**
 * Issue #13: when each person last marked what came back to them (decided requests) as seen on Home. One row per
 * account, clear text: an account id and a time, nothing else.
 */
export const homeSeen: Migration = {
  version: 18,
  name: 'home_seen: when each account last looked at what came back to it',
  async up(db: Knex.Transaction) {
    await db.schema.createTable('home_seen', (t) => {
      t.uuid('user_id').primary();
      t.string('seen_at', 32).notNullable();
    });
  },
};
