import type { Knex } from 'knex';
import { dialectOf } from '../dialect.node.ts';
import type { Migration } from './migration.node.ts';

/** The search indexes 0002 made, and what replaces each: the same column, then the list's full order. */
const SEARCH_INDEXES = [
  { column: 'phone_index', old: 'customers_phone_index_created_at_index', name: 'customers_phone_search' },
  { column: 'postal_index', old: 'customers_postal_index_created_at_index', name: 'customers_postal_search' },
  { column: 'family_index', old: 'customers_family_index_created_at_index', name: 'customers_family_search' },
] as const;

/**
 * Issue #14, exact search at a million customers, where each page the database reads costs ~30 µs on these
 * machines' disks:
 * - the phone, postcode and family-name indexes end in (created_at, id), the search's whole order: a search stops
 *   after the 51 newest matches instead of reading and sorting every match that shares a creation time (an
 *   import stamps one time on all its rows, so a common family name could mean thousands);
 * - customer_keys is stored in key order (SQLite: WITHOUT ROWID): the key of each row a search or list page shows
 *   is then one B-tree read, not the primary-key index's and then the table's; an import writes one B-tree per
 *   key, not two.
 * Older apps read and write both exactly as before.
 */
export const searchReads: Migration = {
  version: 23,
  name: 'search reads: search indexes in the search order, customer keys stored in key order',
  async up(db: Knex.Transaction) {
    for (const index of SEARCH_INDEXES) {
      await db.raw(`CREATE INDEX ${index.name} ON customers (${index.column}, created_at, id)`);
      await db.raw(`DROP INDEX ${index.old}`);
    }
    await dialectOf(db).storeInKeyOrder(db, 'customer_keys');
  },
};
