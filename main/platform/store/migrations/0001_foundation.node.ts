import type { Knex } from 'knex';
import { dialectOf } from '../dialect.node.ts';
import type { Migration } from './migration.node.ts';

export const foundation: Migration = {
  version: 1,
  name: 'foundation: meta, users, audit chain',
  async up(db: Knex.Transaction) {
    await db.schema.createTable('meta', (t) => {
      t.string('key', 64).primary();
      t.text('value').notNullable();
    });
    await db.schema.createTable('users', (t) => {
      t.uuid('id').primary();
      // Keyed HMAC of the normalised username: login lookups without storing the name in clear.
      t.string('username_index', 64).notNullable().unique();
      t.binary('dek').notNullable();
      t.binary('profile').notNullable();
      t.string('role', 16).notNullable();
      t.string('status', 16).notNullable().defaultTo('active');
      t.text('password_hash').notNullable();
      t.integer('failed_attempts').notNullable().defaultTo(0);
      t.string('locked_until', 32).nullable();
      t.string('created_at', 32).notNullable();
      t.string('updated_at', 32).notNullable();
      t.string('last_login_at', 32).nullable();
    });
    await db.schema.createTable('audit_events', (t) => {
      t.integer('seq').primary();
      t.string('at', 32).notNullable();
      t.uuid('actor_id').nullable();
      t.string('action', 64).notNullable();
      t.string('outcome', 16).notNullable();
      t.text('details').notNullable();
      t.string('prev_hash', 64).notNullable();
      t.string('hash', 64).notNullable();
      t.index(['action']);
    });
    // Append-only at the database too: the app never updates or deletes audit events.
    await dialectOf(db).appendOnly(db, 'audit_events', 'audit events are append-only');
  },
};
