import type { BlindIndexedRows } from '../../platform/crypto/blindIndexedRows.node.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { countRows } from '../../platform/store/queries.node.ts';
import { CUSTOMERS_TABLE, withCustomerKey, type CustomerDbRow, type CustomerStore } from './customerStore.node.ts';

/**
 * Customers for a blind-index rotation: each row's identity and contact are opened with its own key and its four
 * indexes computed under the new version. Staged (importing) and quarantined rows too: they hold indexes as well.
 * The update names the record version and index version read, so a correction committed meanwhile (which indexes
 * under the current version itself) is never overwritten with indexes of the old values.
 */
export function customerIndexRows(store: CustomerStore): BlindIndexedRows {
  return {
    table: CUSTOMERS_TABLE,
    countNotUnder: (q: Queryable, version: number) => countRows(q(CUSTOMERS_TABLE).whereNot('index_version', version)),
    async reindex(q, version, after, limit) {
      const rows: (CustomerDbRow & { index_version: number })[] = await withCustomerKey(q)
        // No lower bound at the start: '' is not a uuid to PostgreSQL.
        .modify((b) => void (after && b.where(`${CUSTOMERS_TABLE}.id`, '>', after)))
        .whereNot(`${CUSTOMERS_TABLE}.index_version`, version)
        .orderBy(`${CUSTOMERS_TABLE}.id`)
        .limit(limit);
      let moved = 0;
      for (const row of rows) {
        const { identity, contact } = store.openSections(row);
        moved += await q(CUSTOMERS_TABLE)
          .where({ id: row.id, version: Number(row.version ?? 1), index_version: Number(row.index_version) })
          .update(store.indexes(identity, contact, undefined, version));
      }
      return { moved, last: rows.at(-1)?.id ?? null };
    },
  };
}
