import type { Knex } from 'knex';
import type { Migration } from './migration.node.ts';

/**
 * Background jobs (issue #6): one row per long-running piece of work, written batch by batch so a killed process
 * leaves enough behind to resume or roll back. The resume cursor is JSON the job kind defines; it never holds PII.
 *
 * Customers staged by a running import carry its job id and the status 'importing' (no row in customer_counts,
 * so the kept counts ignore them); one short transaction publishes them. Listing uses a partial index over the
 * published rows only, so staged rows (always the newest) are never scanned past.
 */
export const jobs: Migration = {
  version: 5,
  name: 'jobs: background jobs table, staged import rows',
  async up(db: Knex.Transaction) {
    await db.schema.createTable('jobs', (t) => {
      t.uuid('id').primary();
      t.string('kind', 64).notNullable();
      // queued | running | rolling_back | succeeded | failed | cancelled | rolled_back
      t.string('state', 16).notNullable();
      t.integer('done').notNullable().defaultTo(0);
      t.integer('total').nullable();
      t.text('cursor').nullable();
      t.uuid('started_by').nullable();
      t.string('error_code', 32).nullable();
      t.string('created_at', 32).notNullable();
      t.string('updated_at', 32).notNullable();
      t.string('finished_at', 32).nullable();
      // The workstation running it: another workstation takes it over only once its batches stop (a stale lease).
      t.string('owner', 64).nullable();
      t.index(['state']);
    });
    await db.schema.alterTable('customers', (t) => {
      t.uuid('import_job_id').nullable();
    });
    await db.raw('CREATE INDEX customers_import_job ON customers (import_job_id) WHERE import_job_id IS NOT NULL');
    // Replaces the (created_at, id) index: the unfiltered list reads published rows only.
    await db.raw('CREATE INDEX customers_published_created ON customers (created_at, id) WHERE import_job_id IS NULL');
    await db.raw('DROP INDEX customers_created_at_id_index');
  },
};
