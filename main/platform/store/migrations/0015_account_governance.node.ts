import type { Knex } from 'knex';
import type { Migration } from './migration.node.ts';

/**
 * Issue #11/#13, account governance:
 * - `must_change_password`: set by an IT reset (a one-time code); the next session may only set a new password.
 * - `password_reset_by` / `password_reset_at`: who reset it and when, told to the person at next sign-in.
 * - `pending_approval_id` / `pending_role`: a grant of the manager or IT administrator role (new account, role
 *   change or re-enabling) waiting for a second IT administrator; applied only when approved.
 * - `pending_password_resets`: the hashed one-time code of a manager's or administrator's reset, waiting for that
 *   approval (never the code itself). Ids, enums and times only.
 */
export const accountGovernance: Migration = {
  version: 15,
  name: 'account governance: forced password change, reset notice, role grants and resets awaiting approval',
  async up(db: Knex.Transaction) {
    await db.schema.alterTable('users', (t) => {
      t.boolean('must_change_password').notNullable().defaultTo(false);
      t.uuid('password_reset_by').nullable();
      t.string('password_reset_at', 32).nullable();
      t.uuid('pending_approval_id').nullable();
      t.string('pending_role', 16).nullable();
    });
    await db.schema.createTable('pending_password_resets', (t) => {
      t.uuid('approval_id').primary();
      t.uuid('user_id').notNullable().references('id').inTable('users');
      t.text('code_hash').notNullable();
      t.uuid('requested_by').notNullable();
      t.string('requested_at', 32).notNullable();
      t.index(['user_id']);
    });
  },
};
