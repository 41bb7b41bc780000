import type { Knex } from 'knex';
import { dialectOf } from '../dialect.node.ts';
import type { Migration } from './migration.node.ts';

/** The append-only tables this migration creates and their triggers' messages (copied: never changes meaning). */
const APPEND_ONLY = [
  { table: 'disclosure_recipient_versions', message: 'recipient versions are append-only' },
  { table: 'disclosure_register', message: 'the disclosure register is append-only' },
  { table: 'disclosure_register_customers', message: 'the disclosure register is append-only' },
] as const;

/**
 * Issue #9: disclosures to the e-commerce chain, consented third parties and legal authorities, approved by a
 * manager and proven by an append-only register. Clear columns hold ids, enums, counts, times and hashes; free
 * text (purpose, legal authority, reference, note, widening reasons) and the legal scan are ciphertexts.
 */
export const disclosures: Migration = {
  version: 14,
  name: 'disclosures: recipients, requests, releases and the append-only disclosure register',
  async up(db: Knex.Transaction) {
    // Recipients are companies and authorities, not people: their names are clear so the register can show them.
    await db.schema.createTable('disclosure_recipients', (t) => {
      t.uuid('id').primary();
      t.string('kind', 32).notNullable();
      t.string('name', 200).notNullable();
      // JSON array of disclosable fields (the current version's).
      t.text('allowed_fields').notNullable();
      t.integer('version').notNullable();
      t.boolean('active').notNullable();
      t.string('created_at', 32).notNullable();
      t.string('updated_at', 32).notNullable();
    });
    // Every version a recipient ever had; a release names the one it used.
    await db.schema.createTable('disclosure_recipient_versions', (t) => {
      t.uuid('recipient_id').notNullable();
      t.integer('version').notNullable();
      t.string('kind', 32).notNullable();
      t.string('name', 200).notNullable();
      t.text('allowed_fields').notNullable();
      t.boolean('active').notNullable();
      t.boolean('widened').notNullable();
      // A widening's reason, sealed under the dek-wrap domain key (null when nothing was widened).
      t.binary('dek').nullable();
      t.binary('reason').nullable();
      t.uuid('changed_by').notNullable();
      t.string('changed_at', 32).notNullable();
      t.primary(['recipient_id', 'version']);
    });
    await db.schema.createTable('disclosure_requests', (t) => {
      t.uuid('id').primary();
      t.uuid('approval_id').notNullable().unique();
      t.uuid('requester_id').notNullable();
      t.uuid('recipient_id').notNullable();
      t.integer('recipient_version').notNullable();
      t.string('kind', 32).notNullable();
      t.text('fields').notNullable();
      t.integer('customer_count').notNullable();
      // Whose key seals the texts: the one customer's ('customer') or the request's own ('request').
      t.string('sealed_under', 16).notNullable();
      t.uuid('key_subject').notNullable();
      t.string('requested_at', 32).notNullable();
      // none → releasing (claimed by one manager) → released; a failed release goes back to none.
      t.string('release_state', 16).notNullable().defaultTo('none');
      t.uuid('releaser_id').nullable();
      t.uuid('register_entry_id').nullable();
      t.binary('dek').notNullable();
      t.binary('texts').notNullable();
      t.boolean('has_scan').notNullable();
      t.index(['requester_id', 'requested_at']);
      t.index(['release_state']);
    });
    await db.schema.createTable('disclosure_request_customers', (t) => {
      t.uuid('request_id').notNullable();
      t.uuid('customer_id').notNullable();
      t.primary(['request_id', 'customer_id']);
      t.index(['customer_id']);
    });
    // A multi-customer request's own key: its texts are about the set, not one person.
    await db.schema.createTable('disclosure_request_keys', (t) => {
      t.uuid('request_id').primary();
      t.binary('wrapped_key').nullable();
      t.string('created_at', 32).notNullable();
      t.string('shredded_at', 32).nullable();
    });
    // The legal scan, sealed with the request's data key; never logged, never audited.
    await db.schema.createTable('disclosure_attachments', (t) => {
      t.uuid('request_id').primary();
      t.string('media_type', 32).notNullable();
      t.integer('byte_size').notNullable();
      t.binary('content').notNullable();
    });
    await db.schema.createTable('disclosure_register', (t) => {
      t.increments('seq').primary();
      t.uuid('id').notNullable().unique();
      t.string('entry_type', 16).notNullable();
      // A correction names the entry it corrects; the corrected entry itself never changes.
      t.uuid('corrects_id').nullable();
      t.uuid('request_id').nullable();
      t.uuid('approval_id').nullable();
      t.uuid('requested_by').nullable();
      t.uuid('approved_by').nullable();
      t.string('approved_at', 32).nullable();
      t.uuid('recorded_by').notNullable();
      t.string('recorded_at', 32).notNullable();
      t.uuid('recipient_id').nullable();
      t.integer('recipient_version').nullable();
      t.string('disclosure_kind', 32).nullable();
      t.text('fields').notNullable();
      t.integer('customer_count').notNullable();
      t.string('file_format', 8).nullable();
      t.boolean('encrypted').notNullable();
      t.string('file_sha256', 64).nullable();
      // Legal authority, reference, document date and a correction's note, sealed under the dek-wrap domain key.
      t.binary('dek').notNullable();
      t.binary('sealed').notNullable();
      t.index(['recorded_at']);
      t.index(['recipient_id']);
      t.index(['corrects_id']);
    });
    await db.schema.createTable('disclosure_register_customers', (t) => {
      t.uuid('entry_id').notNullable();
      t.uuid('customer_id').notNullable();
      t.primary(['entry_id', 'customer_id']);
      t.index(['customer_id']);
    });
    for (const { table, message } of APPEND_ONLY) await dialectOf(db).appendOnly(db, table, message);
  },
};
