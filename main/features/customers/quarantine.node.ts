import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { countRows, INSERT_CHUNK } from '../../platform/store/queries.node.ts';
import type { CustomerStatus } from './customerFields.std.ts';
import { CUSTOMERS_TABLE, NO_SUCH_CUSTOMER, STAGED_BY_IMPORT } from './customerStore.node.ts';

/**
 * Records found to belong to a minor (policy: "personal information received from a minor ... will be deleted").
 * A quarantined record is hidden from lists and search and must never reach an audience, a disclosure or an
 * export; it waits there for a manager to confirm its deletion.
 */
export const QUARANTINE_REASONS = ['reported_minor', 'date_of_birth_under_18'] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

/** The column lists and search filter on; exported so every query that hides quarantined records says the same. */
export const QUARANTINED_AT = 'quarantined_at';

/** Quarantines a customer; false when it already was (the first reason and time are kept). */
export async function quarantineCustomer(
  q: Queryable,
  input: { customerId: string; reason: QuarantineReason; at: string },
): Promise<boolean> {
  const changed = await q(CUSTOMERS_TABLE)
    .where({ id: input.customerId })
    .whereNull(QUARANTINED_AT)
    .update({ [QUARANTINED_AT]: input.at, quarantine_reason: input.reason });
  if (changed > 0) return true;
  if (!(await q(CUSTOMERS_TABLE).where({ id: input.customerId }).first('id'))) throw new AppError('NOT_FOUND', NO_SUCH_CUSTOMER);
  return false;
}

export async function isQuarantined(q: Queryable, customerId: string): Promise<boolean> {
  const row = await q(CUSTOMERS_TABLE).where({ id: customerId }).first<{ quarantined_at: string | null } | undefined>(QUARANTINED_AT);
  return row?.quarantined_at != null;
}

/** The quarantined ones among `customerIds` (an audience, a disclosure's subjects, an export). */
export async function quarantinedAmong(q: Queryable, customerIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < customerIds.length; i += INSERT_CHUNK) {
    const rows = await q(CUSTOMERS_TABLE)
      .whereIn('id', customerIds.slice(i, i + INSERT_CHUNK))
      .whereNotNull(QUARANTINED_AT)
      .select<{ id: string }[]>('id');
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/** Quarantined customers (with a status): few, so counted directly and subtracted from the kept totals. */
export async function countQuarantined(q: Queryable, status?: CustomerStatus): Promise<number> {
  return countRows(
    q(CUSTOMERS_TABLE)
      .whereNotNull(QUARANTINED_AT)
      .whereNull(STAGED_BY_IMPORT)
      .modify((b) => {
        if (status) b.where({ status });
      }),
  );
}

export interface QuarantinedCustomer {
  id: string;
  reason: QuarantineReason;
  quarantinedAt: string;
}

/** Every quarantined customer, oldest first: ids, reasons and times only (the minors report). */
export async function listQuarantined(q: Queryable): Promise<QuarantinedCustomer[]> {
  const rows = await q(CUSTOMERS_TABLE)
    .whereNotNull(QUARANTINED_AT)
    .orderBy([{ column: QUARANTINED_AT }, { column: 'id' }])
    .select<{ id: string; quarantine_reason: QuarantineReason; quarantined_at: string }[]>('id', 'quarantine_reason', QUARANTINED_AT);
  return rows.map((r) => ({ id: r.id, reason: r.quarantine_reason, quarantinedAt: r.quarantined_at }));
}
