import type { Knex } from 'knex';
import type { Migration } from './migration.node.ts';

/** The job kinds that rotate a key, copied here so the index keeps its meaning when the feature changes. */
const ROTATION_JOB_KINDS = ['key-rotation.dek-wrap', 'key-rotation.blind-index'];
const UNFINISHED = ['queued', 'running', 'rolling_back'];

/**
 * Issue #11, keys: rotation and recovery kits.
 * - `domain_keys.retired_at`: a version that wraps nothing new any more (a finished dek-wrap rotation moved every
 *   row it could off it; append-only rows may still need it to open).
 * - `key_rotations`: one row per rotation (target, from and to: versions or KEK ids; who, when). Ids only.
 * - `jobs_one_key_rotation`: at most one unfinished rotation job per kind, enforced by the database, so two
 *   workstations cannot rotate the same key at once (the second insert is a unique violation: CONFLICT).
 * - `recovery_kits` / `recovery_kit_custodians`: which KEK a kit holds, its split (threshold of shares) and the
 *   custodian of each share with their acknowledgement. Never the kit or its passphrase.
 */
export const keyRotation: Migration = {
  version: 16,
  name: 'key rotation: retired domain keys, rotation history, one rotation job per kind, recovery kits and custodians',
  async up(db: Knex.Transaction) {
    await db.schema.alterTable('domain_keys', (t) => {
      t.string('retired_at', 32).nullable();
    });
    await db.schema.createTable('key_rotations', (t) => {
      t.uuid('id').primary();
      // kek | dek-wrap | audit | blind-index
      t.string('target', 16).notNullable();
      t.string('from_ref', 32).nullable();
      t.string('to_ref', 32).notNullable();
      t.uuid('job_id').nullable();
      t.uuid('started_by').nullable();
      t.string('started_at', 32).notNullable();
      t.string('finished_at', 32).nullable();
      t.index(['target', 'started_at']);
    });
    const kinds = ROTATION_JOB_KINDS.map((k) => `'${k}'`).join(', ');
    const states = UNFINISHED.map((s) => `'${s}'`).join(', ');
    await db.raw(`CREATE UNIQUE INDEX jobs_one_key_rotation ON jobs (kind) WHERE kind IN (${kinds}) AND state IN (${states})`);
    await db.schema.createTable('recovery_kits', (t) => {
      t.uuid('id').primary();
      t.string('kek_id', 16).notNullable();
      t.string('created_at', 32).notNullable();
      t.uuid('created_by').notNullable();
      // 1 of 1: a whole kit under one passphrase; 2 of 3: Shamir shares for custodians.
      t.integer('threshold').notNullable();
      t.integer('shares').notNullable();
    });
    await db.schema.createTable('recovery_kit_custodians', (t) => {
      t.uuid('kit_id').notNullable().references('id').inTable('recovery_kits');
      t.integer('share_index').notNullable();
      t.uuid('user_id').notNullable().references('id').inTable('users');
      t.string('acknowledged_at', 32).nullable();
      t.primary(['kit_id', 'share_index']);
      t.unique(['kit_id', 'user_id']);
      t.index(['user_id']);
    });
  },
};
