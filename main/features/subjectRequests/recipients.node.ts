import type { Queryable } from '../../platform/store/database.node.ts';
import type { RecipientView } from './subjectRequests.contract.std.ts';

/** Who received a customer's data, so they can be told of a correction or deletion (the disclosure register). */
export interface RecipientSource {
  recipientsOf(q: Queryable, customerId: string): Promise<readonly RecipientView[]>;
}

/** Never a silent "nobody": an empty list says that the register shows no recipient. */
export async function recipientsToTell(source: RecipientSource, q: Queryable, customerId: string): Promise<{ note: string | null; recipients: RecipientView[] }> {
  const found = await source.recipientsOf(q, customerId);
  return { note: found.length ? null : NO_RECIPIENTS, recipients: [...found] };
}

export const NO_RECIPIENTS = 'The disclosure register shows no recipient of this customer’s data.';
