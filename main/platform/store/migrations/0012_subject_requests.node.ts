import type { Knex } from 'knex';
import type { Migration } from './migration.node.ts';

/**
 * Data-subject requests (access, correction, deletion): the tracker's clear columns hold ids, enums and dates only,
 * so an entry outlives the customer's deletion as compliance evidence (the customer id is then an opaque id).
 * There is deliberately no foreign key to `customers`. Free text (extension and refusal reasons) is sealed under
 * the customer's own key with the row's data key (`dek`): erasing the customer erases it.
 */
export const subjectRequests: Migration = {
  version: 12,
  name: 'subject_requests: access, correction and deletion requests with due dates',
  async up(db: Knex.Transaction) {
    await db.schema.createTable('subject_requests', (t) => {
      t.uuid('id').primary();
      t.uuid('customer_id').notNullable();
      // access | correction | deletion
      t.string('type', 16).notNullable();
      // email | phone | letter | in_person | web_form
      t.string('channel', 16).notNullable();
      // Calendar dates (YYYY-MM-DD): received, the first due date, and the due date in force (moved by an extension).
      t.string('received_on', 10).notNullable();
      t.string('original_due_on', 10).notNullable();
      t.string('due_on', 10).notNullable();
      // open | in_progress | extended | completed | refused
      t.string('status', 16).notNullable();
      t.uuid('created_by').nullable();
      t.string('created_at', 32).notNullable();
      t.string('updated_at', 32).notNullable();
      t.uuid('extended_by').nullable();
      t.string('extended_at', 32).nullable();
      t.uuid('closed_by').nullable();
      t.string('closed_at', 32).nullable();
      // staff | approval: closed by hand, or by the deletion approval it is linked to
      t.string('closed_via', 16).nullable();
      t.binary('dek').nullable();
      t.binary('extension_reason').nullable();
      t.binary('refusal_reason').nullable();
      // What fulfils the request: a deletion approval, a correction, an access export.
      t.uuid('linked_approval_id').nullable();
      t.uuid('linked_correction_id').nullable();
      t.uuid('linked_export_id').nullable();
      t.string('exported_at', 32).nullable();
      // The home card (open requests by due date), a customer's requests, the approval hook.
      t.index(['status', 'due_on']);
      t.index(['customer_id']);
      t.index(['linked_approval_id']);
    });
  },
};
