import type { Knex } from 'knex';
import type { Migration } from './migration.node.ts';

/**
 * Issue #8 (minors): a record found to be a minor's is quarantined at once — hidden from lists, audiences,
 * disclosures and exports until a manager confirms its deletion. The reason is an enum, never the date of birth.
 */
export const quarantine: Migration = {
  version: 10,
  name: 'quarantine: customers found to be minors are set apart until deleted',
  async up(db: Knex.Transaction) {
    await db.schema.alterTable('customers', (t) => {
      t.string('quarantined_at', 32).nullable();
      t.string('quarantine_reason', 32).nullable();
      t.index(['quarantined_at']);
    });
  },
};
