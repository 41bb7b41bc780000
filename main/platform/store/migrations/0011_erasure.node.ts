import type { Knex } from 'knex';
import type { Migration } from './migration.node.ts';

/**
 * Issue #8, deletions: legal holds, tombstones, the deletion ledger, retention batches, and when a customer was
 * closed. Clear columns hold ids, enums and times only; a hold's reason and reference are free text about the
 * customer, sealed under the customer's own key (`dek`, `details`), so deleting the customer deletes them too.
 *
 * - `customers.closed_at`: set when a record is closed, cleared when reopened; retention counts from it. Records
 *   closed before this migration adopt their last change (`updated_at`) as the best time known.
 * - `deletion_tombstones`: what remains of a deleted customer — an opaque id, dates, reason category, channel,
 *   requester, approver. It identifies no one.
 * - `deletion_ledger`: ids and times only; a restore of an older backup re-applies it, so a restored backup never
 *   brings a deleted customer back.
 * - `retention_batches` / `retention_batch_items`: a manager's proposal of closed customers past the retention
 *   period, approved by another manager, then deleted by a resumable job; each item records its outcome.
 */
export const erasure: Migration = {
  version: 11,
  name: 'erasure: legal holds, tombstones, deletion ledger, retention batches, customers.closed_at',
  async up(db: Knex.Transaction) {
    await db.schema.alterTable('customers', (t) => {
      t.string('closed_at', 32).nullable();
    });
    await db('customers').where({ status: 'closed' }).update({ closed_at: db.ref('updated_at') });
    await db.raw('CREATE INDEX customers_closed_at ON customers (closed_at) WHERE closed_at IS NOT NULL');

    await db.schema.createTable('legal_holds', (t) => {
      t.uuid('id').primary();
      t.uuid('customer_id').notNullable().references('id').inTable('customers');
      t.uuid('placed_by').notNullable();
      t.string('placed_at', 32).notNullable();
      // A calendar date (YYYY-MM-DD): the hold holds through that day (UTC); null means until released.
      t.string('ends_on', 10).nullable();
      t.uuid('released_by').nullable();
      t.string('released_at', 32).nullable();
      t.binary('dek').notNullable();
      // {reason, reference, releaseNote}
      t.binary('details').notNullable();
      t.index(['customer_id', 'released_at']);
      t.index(['released_at', 'placed_at']);
    });

    await db.schema.createTable('deletion_tombstones', (t) => {
      t.uuid('id').primary();
      // customer_request | no_longer_uses | minor | other | retention | restore
      t.string('reason', 24).notNullable();
      t.string('channel', 16).nullable();
      t.uuid('requester_id').nullable();
      t.uuid('approver_id').nullable();
      t.uuid('approval_id').nullable();
      t.uuid('batch_id').nullable();
      t.string('requested_at', 32).nullable();
      t.string('approved_at', 32).nullable();
      t.string('deleted_at', 32).notNullable();
      t.index(['deleted_at']);
    });

    await db.schema.createTable('deletion_ledger', (t) => {
      t.uuid('customer_id').primary();
      t.string('deleted_at', 32).notNullable();
    });

    await db.schema.createTable('retention_batches', (t) => {
      t.uuid('id').primary();
      t.uuid('proposed_by').notNullable();
      t.string('proposed_at', 32).notNullable();
      t.integer('retention_days').notNullable();
      // Customers closed before this time were proposed.
      t.string('closed_before', 32).notNullable();
      t.integer('item_count').notNullable();
      // The four-eyes request deciding it (kind customer.retention_batch, subject = this batch).
      t.uuid('approval_id').notNullable();
      t.uuid('job_id').nullable();
      t.string('finished_at', 32).nullable();
      t.index(['proposed_at']);
    });
    await db.schema.createTable('retention_batch_items', (t) => {
      t.uuid('batch_id').notNullable().references('id').inTable('retention_batches');
      t.uuid('customer_id').notNullable();
      // null until the job reaches it; then deleted | skipped_hold | skipped_open_request | skipped_reopened | already_deleted
      t.string('outcome', 24).nullable();
      t.string('done_at', 32).nullable();
      t.primary(['batch_id', 'customer_id']);
    });
  },
};
