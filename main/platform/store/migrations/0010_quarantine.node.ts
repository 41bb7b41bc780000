import type { Knex } from 'knex';
import type { Migration } from './migration.node.ts';

/**
 * Issue #8 (minors): a record found to be a minor's is quarantined at once — hidden from lists, audiences,
 * disclosures and exports until a manager confirms its deletion. The reason is an enum, never the date of birth.
 * Each finding is a case that outlives the record (ids, enums and times only) for the minors report.
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
    await db.schema.createTable('minor_cases', (t) => {
      t.uuid('id').primary();
      // No foreign key: the case stays as evidence after the customer's rows are erased.
      t.uuid('customer_id').notNullable();
      t.string('reason', 32).notNullable();
      t.string('found_at', 32).notNullable();
      t.uuid('found_by').nullable();
      t.uuid('deletion_request_id').nullable();
      t.string('outcome', 16).nullable();
      t.string('closed_at', 32).nullable();
      t.uuid('closed_by').nullable();
      t.index(['customer_id']);
      t.index(['found_at', 'id']);
    });
  },
};
