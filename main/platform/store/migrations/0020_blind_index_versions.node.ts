import type { Knex } from 'knex';
import type { Migration } from './migration.node.ts';

/**
 * Issue #11, blind-index rotation: every row holding keyed blind indexes names the index-key version they were
 * computed under, so a new version can be introduced while search keeps working (a lookup probes each version
 * present) and a job re-indexes the rows in batches. Every row so far is under version 1, the only one there was.
 * No index on the column: the job walks the primary key, and another index would cost every import.
 * `login_failures` rows are counters for names no account has; they cannot be re-indexed (the name is not kept),
 * so the version tells the job which to drop once the old key is gone.
 */
export const blindIndexVersions: Migration = {
  version: 20,
  name: 'blind-index versions: the index-key version of each customer, account and unknown-name counter',
  async up(db: Knex.Transaction) {
    for (const table of ['customers', 'users', 'login_failures']) {
      await db.schema.alterTable(table, (t) => {
        t.integer('index_version').notNullable().defaultTo(1);
      });
    }
  },
};
