import type { Knex } from 'knex';

/** A numbered, forward-only schema change. Each runs in its own transaction. */
export interface Migration {
  version: number;
  name: string;
  up(db: Knex.Transaction): Promise<void>;
}
