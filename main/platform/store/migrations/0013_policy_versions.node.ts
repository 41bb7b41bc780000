import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Migration } from './migration.node.ts';
import { PRIVACY_POLICY_VERSION_1 } from './seed/privacyPolicy1.std.ts';

/** The label every record collected before this migration carries: the company's text is version 1. */
const FIRST_VERSION = '1';

/**
 * Issue #10: policy versions and change announcements.
 * - `policy_versions`: drafts, reviews, published and archived versions (the text is the company's public policy,
 *   not personal data, so it is clear text), with the notice period of a material change.
 * - `announcements` (one per published version) and `announcement_recipients` (per-recipient status; ids only —
 *   addresses are read from the customer's sealed record when the mailing list is written).
 * - The policy version in force when a consent was given, on `customer_consents` and `consent_events`; existing
 *   customers, orders and consents were all collected under the company's current text, version 1.
 */
export const policyVersions: Migration = {
  version: 13,
  name: 'policy_versions, announcements: versioned policy, notice periods, change announcements',
  async up(db: Knex.Transaction) {
    await db.schema.createTable('policy_versions', (t) => {
      t.uuid('id').primary();
      t.integer('version').notNullable().unique();
      // draft → in_review → published → archived (a draft may also be archived: abandoned).
      t.string('status', 16).notNullable();
      t.string('title', 200).notNullable();
      t.text('body').notNullable();
      // Counts saves of a draft: an editor's save is conditional on the revision it loaded.
      t.integer('revision').notNullable().defaultTo(1);
      t.text('change_summary').nullable();
      t.boolean('material').nullable();
      t.uuid('created_by').nullable();
      t.string('created_at', 32).notNullable();
      t.uuid('updated_by').nullable();
      t.string('updated_at', 32).notNullable();
      t.uuid('approval_id').nullable();
      t.uuid('published_by').nullable();
      t.string('published_at', 32).nullable();
      // The day (YYYY-MM-DD, UTC) the version takes effect; for a material change at least 30 days after publication, and the notice
      // stays posted from publication until then.
      t.string('effective_at', 32).nullable();
      t.string('archived_at', 32).nullable();
      t.index(['status', 'effective_at']);
    });
    const now = new Date().toISOString();
    await db('policy_versions').insert({
      id: randomUUID(),
      version: 1,
      status: 'published',
      title: 'Privacy Policy',
      body: PRIVACY_POLICY_VERSION_1,
      revision: 1,
      change_summary: 'The privacy policy in force when the console was introduced.',
      material: false,
      created_by: null,
      created_at: now,
      updated_by: null,
      updated_at: now,
      approval_id: null,
      published_by: null,
      published_at: now,
      effective_at: now.slice(0, 10),
      archived_at: null,
    });

    await db('customers').update({ policy_version: FIRST_VERSION });
    await db('orders').update({ policy_version: FIRST_VERSION });
    for (const table of ['customer_consents', 'consent_events']) {
      await db.schema.alterTable(table, (t) => {
        t.string('policy_version', 32).nullable();
      });
      await db(table).update({ policy_version: FIRST_VERSION });
    }

    await db.schema.createTable('announcements', (t) => {
      t.uuid('id').primary();
      t.uuid('policy_version_id').notNullable().unique().references('id').inTable('policy_versions');
      t.string('title', 200).notNullable();
      t.text('summary').notNullable();
      // all_active | affected_only
      t.string('audience', 16).notNullable();
      // email_batch | letter_list
      t.string('channel', 16).notNullable();
      // preparing (recipients being listed by a job) → ready
      t.string('status', 16).notNullable();
      t.string('job_id', 36).nullable();
      t.integer('recipient_count').notNullable().defaultTo(0);
      t.uuid('created_by').nullable();
      t.string('created_at', 32).notNullable();
    });
    // No foreign key to customers: erasing a customer removes its rows without waiting on this list, and the
    // mailing list skips customers that are gone or shredded when it is written.
    await db.schema.createTable('announcement_recipients', (t) => {
      t.uuid('announcement_id').notNullable().references('id').inTable('announcements');
      t.uuid('customer_id').notNullable();
      // queued → sent | bounced → acknowledged
      t.string('status', 16).notNullable();
      t.string('status_at', 32).notNullable();
      t.uuid('acknowledged_by').nullable();
      t.primary(['announcement_id', 'customer_id']);
      t.index(['customer_id']);
      t.index(['announcement_id', 'status']);
    });
  },
};
