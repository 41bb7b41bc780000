import type { Queryable } from '../../platform/store/database.node.ts';
import { NO_DISCLOSURE_REGISTER, type RecipientView } from './subjectRequests.contract.std.ts';

/**
 * Who received a customer's data, so they can be told of a correction or deletion. The disclosure register
 * provides it once it exists; until then the answer is empty with a note, never a silent "nobody".
 */
export interface RecipientSource {
  /** Null when there is no register to ask. */
  recipientsOf(q: Queryable, customerId: string): Promise<readonly RecipientView[] | null>;
}

export const noRecipientRegister: RecipientSource = { recipientsOf: () => Promise.resolve(null) };

export async function recipientsToTell(
  source: RecipientSource,
  q: Queryable,
  customerId: string,
): Promise<{ registerAvailable: boolean; note: string | null; recipients: RecipientView[] }> {
  const found = await source.recipientsOf(q, customerId);
  if (found === null) return { registerAvailable: false, note: NO_DISCLOSURE_REGISTER, recipients: [] };
  return { registerAvailable: true, note: found.length ? null : 'The disclosure register shows no recipient of this customer’s data.', recipients: [...found] };
}
