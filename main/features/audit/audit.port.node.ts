import type { Queryable } from '../../platform/store/database.node.ts';

/** What other features may read of the audit log. */

/** Actions that mean someone saw a customer's personal data, and the purpose each names. */
const RECORD_ACCESS_ACTIONS = ['record.view', 'card.reveal', 'subject_request.access_exported'] as const;
export type RecordAccessAction = (typeof RECORD_ACCESS_ACTIONS)[number];

export interface RecordAccessEvent {
  at: string;
  actorId: string | null;
  action: RecordAccessAction;
  /** The purpose the record was opened for (`record.view`); null for the other actions. */
  purpose: string | null;
}

/**
 * The accounting of who viewed a customer's record, when and for what purpose: successful audited openings,
 * card reveals and access exports naming this customer id, oldest first. Details are canonical JSON, so the id
 * appears exactly as `"customerId":"<uuid>"`.
 */
export async function recordAccessEvents(q: Queryable, customerId: string): Promise<RecordAccessEvent[]> {
  const rows = await q('audit_events')
    .whereIn('action', RECORD_ACCESS_ACTIONS)
    .where({ outcome: 'ok' })
    .where('details', 'like', `%"customerId":"${customerId.replace(/[^0-9a-f-]/gi, '')}"%`)
    .orderBy('seq')
    .select<{ at: string; actor_id: string | null; action: RecordAccessAction; details: string }[]>('at', 'actor_id', 'action', 'details');
  return rows.map((row) => {
    const details = JSON.parse(row.details) as { purpose?: unknown };
    return { at: row.at, actorId: row.actor_id, action: row.action, purpose: typeof details.purpose === 'string' ? details.purpose : null };
  });
}
