import type { Queryable } from '../../platform/store/database.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import { countOf, daysBefore, type HomeWorkProvider } from '../home/home.port.node.ts';

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

const VERIFY_ACTIONS = ['audit.verified', 'audit.head_verified'];

/**
 * Home (auditors, IT): the chain's last verification (when, by whom, its result) and this week's failed sign-ins
 * and refused calls. Read from the log itself: a verification is an audited call.
 */
export function auditHomeWork(staff: StaffDirectory): HomeWorkProvider {
  return {
    id: 'audit',
    permissions: ['audit.read', 'audit.verify'],
    async items(q, viewer) {
      const weekAgo = daysBefore(viewer.now, 7);
      const last = await q('audit_events').whereIn('action', VERIFY_ACTIONS).orderBy('seq', 'desc').first<{ at: string; actor_id: string | null; outcome: string; details: string } | undefined>('at', 'actor_id', 'outcome', 'details');
      const intact = last ? last.outcome === 'ok' && (JSON.parse(last.details) as { ok?: unknown }).ok !== false : false;
      const nameOf = await staffNameResolver(staff, q);
      const failedSignIns = countOf(await q('audit_events').where({ action: 'auth.login', outcome: 'failed' }).where('at', '>=', weekAgo).count<{ n: number | string }[]>({ n: '*' }));
      // A burst of refusals is one event carrying its count (denials.node.ts).
      const denials = await q('audit_events').where({ action: 'access.denied' }).where('at', '>=', weekAgo).select<{ details: string }[]>('details');
      const denied = denials.reduce((sum, row) => sum + Math.max(1, Number((JSON.parse(row.details) as { count?: unknown }).count ?? 1) || 1), 0);
      const stale = !last || last.at < weekAgo;
      return [
        {
          id: 'audit.lastVerified',
          section: 'audit',
          label: 'Audit chain',
          count: last ? 1 : 0,
          tone: !last ? 'warning' : !intact ? 'danger' : stale ? 'warning' : 'ok',
          page: 'audit',
          detail: !last ? 'Never verified' : `${intact ? 'Intact' : 'Broken'} at the last verification, by ${nameOf(last.actor_id) ?? 'an unknown account'}`,
          at: last?.at ?? null,
        },
        { id: 'audit.failedSignIns', section: 'audit', label: 'Failed sign-ins this week', count: failedSignIns, tone: failedSignIns ? 'warning' : 'ok', page: 'audit', detail: null, at: null },
        { id: 'audit.deniedCalls', section: 'audit', label: 'Refused calls this week', count: denied, tone: denied ? 'warning' : 'ok', page: 'audit', detail: null, at: null },
      ];
    },
  };
}
