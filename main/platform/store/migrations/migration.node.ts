import type { Knex } from 'knex';

/** A numbered, forward-only schema change. Each runs in its own transaction. */
export interface Migration {
  version: number;
  name: string;
  up(db: Knex.Transaction): Promise<void>;
  /**
   * Set by a migration that older apps cannot work with (they would write rows it no longer accepts, or miss
   * data it moved): the oldest app version that can use the database afterwards. Recorded in `meta`
   * (`min_app_version`, only ever raised), so a workstation still running an older app is told to update.
   */
  minAppVersion?: string;
}
