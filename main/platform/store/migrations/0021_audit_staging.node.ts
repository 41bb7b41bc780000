import type { Knex } from 'knex';
import type { Migration } from './migration.node.ts';

/**
 * Issue #7, the audit chain's head off the hot path: on PostgreSQL a reads-only call (search, list, opening a
 * record) stages its event here in its own transaction, and after commit the staged events are chained into
 * `audit_events` together under one hold of the head (AuditLog.sealStaged). Each staged row carries a keyed MAC,
 * so one altered while it waits is chained as a finding instead of as the event. Rows only ever wait here for
 * the moment between a call's commit and its seal (after a crash, until the next seal anywhere, the next start-up
 * or an auditor's verify); SQLite never stages. The app role may insert and delete here but not update (scripts/postgres/grants.sql).
 */
export const auditStaging: Migration = {
  version: 21,
  name: 'audit staging: events of reads-only calls waiting to be chained',
  async up(db: Knex.Transaction) {
    await db.schema.createTable('audit_staged', (t) => {
      t.uuid('id').primary();
      t.string('at', 32).notNullable();
      t.uuid('actor_id').nullable();
      t.string('action', 64).notNullable();
      t.string('outcome', 16).notNullable();
      t.text('details').notNullable();
      t.integer('key_version').notNullable();
      t.string('mac', 64).notNullable();
    });
  },
};
