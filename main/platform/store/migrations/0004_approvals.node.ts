import type { Knex } from 'knex';
import type { Migration } from './migration.node.ts';

/**
 * Four-eyes approvals shared by erasure, disclosures, policy publishing and role changes (issue #6). Clear
 * columns hold ids, the kind, the status and times; the payload holds ids and enums only. Both reasons are free
 * text that may name a person, so each is a ciphertext sealed with the row's own data key (`dek`).
 */
export const approvals: Migration = {
  version: 4,
  name: 'approvals: four-eyes requests and decisions',
  async up(db: Knex.Transaction) {
    await db.schema.createTable('approvals', (t) => {
      t.uuid('id').primary();
      t.string('kind', 48).notNullable();
      t.uuid('subject_id').notNullable();
      // pending | approved | denied | withdrawn | expired
      t.string('status', 16).notNullable();
      t.uuid('requester_id').notNullable();
      t.uuid('decider_id').nullable();
      t.string('requested_at', 32).notNullable();
      // When it was approved, denied, withdrawn or expired.
      t.string('decided_at', 32).nullable();
      t.string('expires_at', 32).notNullable();
      // JSON of ids and enums, validated against the kind's schema.
      t.text('payload').notNullable();
      t.binary('dek').notNullable();
      t.binary('request_reason').notNullable();
      t.binary('decision_reason').nullable();
      // The pending queue (oldest first) and the expiry sweep; recent decisions newest first.
      t.index(['status', 'requested_at']);
      t.index(['status', 'expires_at']);
      t.index(['decided_at']);
      // "Is there already a pending request about this subject?" for the features that file them.
      t.index(['kind', 'subject_id', 'status']);
    });
  },
};
