import type { Knex } from 'knex';
import type { Migration } from './migration.node.ts';

/**
 * Key hierarchy (issue #6): versioned domain keys wrapped by the KEK, the audit-key version of every event,
 * and one key per customer under which all data keys about that customer are wrapped. The domain keys are
 * created at unlock (they need the KEK); existing customers get their keys from a batched job.
 */
export const keyHierarchy: Migration = {
  version: 3,
  name: 'key hierarchy: domain keys, audit key versions, per-customer keys',
  async up(db: Knex.Transaction) {
    await db.schema.createTable('domain_keys', (t) => {
      t.string('purpose', 16).notNullable();
      t.integer('version').notNullable();
      // Bound into the associated data of what the key wraps.
      t.string('label', 32).notNullable();
      // Fingerprint of the KEK that wrapped this row: a rotation rewraps exactly these rows.
      t.string('kek_id', 16).notNullable();
      t.binary('wrapped').notNullable();
      t.string('created_at', 32).notNullable();
      t.primary(['purpose', 'version']);
    });
    // Events written so far were hashed with the audit key every existing database adopts as version 1.
    await db.schema.alterTable('audit_events', (t) => {
      t.integer('key_version').notNullable().defaultTo(1);
    });
    await db.schema.createTable('customer_keys', (t) => {
      t.uuid('customer_id').primary().references('id').inTable('customers');
      // Null once shredded: the row stays as a tombstone so no new key is ever made for an erased customer.
      t.binary('wrapped_key').nullable();
      t.string('created_at', 32).notNullable();
      t.string('shredded_at', 32).nullable();
    });
    // A database that already held data adopts its KEK-derived keys once, at the next unlock; on any other
    // database, missing domain keys are refused rather than re-made.
    if (await db('meta').where({ key: 'key_check' }).first()) await db('meta').insert({ key: 'adopt_legacy_domain_keys', value: '1' });
    // Databases created from here on hold no record wrapped without its customer's key.
    const customers = Number((await db('customers').count<{ n: number }[]>('* as n'))[0]?.n ?? 0);
    if (customers === 0) await db('meta').insert({ key: 'customer_keys_migrated', value: 'done' });
  },
};
