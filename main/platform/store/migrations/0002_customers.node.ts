import type { Knex } from 'knex';
import { dialectOf } from '../dialect.node.ts';
import type { Migration } from './migration.node.ts';

/**
 * Per-status customer counts kept by triggers, so the list's total is one row read instead of a count(*) over
 * every customer (≈90 ms at 1M rows).
 */
async function createCustomerCounts(db: Knex | Knex.Transaction): Promise<void> {
  await dialectOf(db).createGroupCounter(db, {
    table: 'customers',
    column: 'status',
    width: 16,
    counterTable: 'customer_counts',
    values: ['active', 'closed'],
  });
}

/**
 * Customer records, orders, consents, corrections, card reveals and break-glass reviews (issue #3).
 * Every PII value lives in an encrypted section (binary column) sealed with the row's own data key (`dek`);
 * the only clear-text columns are ids, enums, times, counts and keyed blind indexes for exact search.
 */
export const customers: Migration = {
  version: 2,
  name: 'customers: records, orders, consents, corrections, card reveals, break-glass reviews',
  async up(db: Knex.Transaction) {
    await db.schema.createTable('customers', (t) => {
      t.uuid('id').primary();
      t.string('kind', 24).notNullable();
      t.string('status', 16).notNullable();
      t.string('policy_version', 32).notNullable();
      t.binary('dek').notNullable();
      // {displayName (masked), city}: all a list row needs, so a page decrypts one small section per row.
      t.binary('summary').notNullable();
      // {kind, givenName, familyName, organisationName, dateOfBirth}
      t.binary('identity').notNullable();
      // {email, phone, shippingAddress}
      t.binary('contact').notNullable();
      // Keyed HMACs of normalised values (see customerFields.std.ts): exact search without clear text.
      t.string('email_index', 32).notNullable();
      t.string('phone_index', 32).nullable();
      t.string('postal_index', 32).notNullable();
      t.string('family_index', 32).notNullable();
      t.uuid('created_by').nullable();
      t.string('created_at', 32).notNullable();
      t.string('updated_at', 32).notNullable();
      // (index, created_at) so a search returns its newest matches without sorting every match.
      t.index(['email_index', 'created_at']);
      t.index(['phone_index', 'created_at']);
      t.index(['postal_index', 'created_at']);
      t.index(['family_index', 'created_at']);
      t.index(['created_at', 'id']);
      t.index(['status', 'created_at', 'id']);
    });

    // Where the dialect keeps counters (SQLite, like the audit triggers); other databases fall back to count(*).
    await createCustomerCounts(db);

    await db.schema.createTable('customer_consents', (t) => {
      t.uuid('customer_id').notNullable().references('id').inTable('customers');
      t.string('purpose', 32).notNullable();
      t.boolean('granted').notNullable();
      t.string('channel', 16).notNullable();
      t.string('changed_at', 32).notNullable();
      t.primary(['customer_id', 'purpose']);
    });
    await db.schema.createTable('consent_events', (t) => {
      t.uuid('id').primary();
      t.uuid('customer_id').notNullable().references('id').inTable('customers');
      t.string('purpose', 32).notNullable();
      t.boolean('granted').notNullable();
      t.string('channel', 16).notNullable();
      t.uuid('actor_id').nullable();
      t.string('at', 32).notNullable();
      t.index(['customer_id']);
    });

    // Before/after values and the reason: one ciphertext per correction, sealed with the customer's own data
    // key (bound to the correction id), so erasing a customer's key erases its correction history too.
    await db.schema.createTable('customer_corrections', (t) => {
      t.uuid('id').primary();
      t.uuid('customer_id').notNullable().references('id').inTable('customers');
      t.uuid('actor_id').nullable();
      t.string('at', 32).notNullable();
      t.string('source', 24).notNullable();
      t.text('fields').notNullable();
      t.binary('change').notNullable();
      t.index(['customer_id']);
    });

    await db.schema.createTable('orders', (t) => {
      t.uuid('id').primary();
      t.uuid('customer_id').notNullable().references('id').inTable('customers');
      t.string('status', 16).notNullable();
      t.string('policy_version', 32).notNullable();
      t.binary('dek').notNullable();
      // {name, address, card facts for masking (brand, first6, last4, length, expiry), licence keys by line}
      t.binary('billing').notNullable();
      // {number, expiryMonth, expiryYear}: opened only to reveal the full number.
      t.binary('card').notNullable();
      t.uuid('created_by').nullable();
      t.string('created_at', 32).notNullable();
      t.index(['customer_id']);
    });
    await db.schema.createTable('order_items', (t) => {
      t.uuid('id').primary();
      t.uuid('order_id').notNullable().references('id').inTable('orders');
      t.integer('line_no').notNullable();
      t.string('sku', 40).notNullable();
      t.string('product_name', 120).notNullable();
      t.string('kind', 16).notNullable();
      t.integer('quantity').notNullable();
      t.index(['order_id']);
    });
    await db.schema.createTable('licence_resends', (t) => {
      t.uuid('id').primary();
      t.uuid('order_id').notNullable().references('id').inTable('orders');
      t.uuid('item_id').notNullable().references('id').inTable('order_items');
      t.uuid('actor_id').nullable();
      t.string('at', 32).notNullable();
      t.index(['order_id']);
    });

    // Who saw a full card number, when, and why (reason encrypted with the row's own key).
    await db.schema.createTable('card_reveals', (t) => {
      t.uuid('id').primary();
      t.uuid('order_id').notNullable().references('id').inTable('orders');
      t.uuid('customer_id').notNullable();
      t.uuid('actor_id').notNullable();
      t.string('at', 32).notNullable();
      t.binary('dek').notNullable();
      t.binary('reason').notNullable();
      t.index(['order_id']);
    });

    await db.schema.createTable('break_glass_reviews', (t) => {
      t.uuid('id').primary();
      t.uuid('customer_id').notNullable().references('id').inTable('customers');
      t.uuid('opened_by').notNullable();
      t.string('opened_at', 32).notNullable();
      t.string('status', 16).notNullable();
      t.uuid('reviewer_id').nullable();
      t.string('reviewed_at', 32).nullable();
      t.binary('dek').notNullable();
      t.binary('justification').notNullable();
      t.binary('review_note').nullable();
      t.index(['status', 'opened_at']);
    });
  },
};
