import type { Queryable } from '../../platform/store/database.node.ts';
import { type HomePage, type HomeViewer, type HomeWorkItem, type HomeWorkProvider } from '../home/home.port.node.ts';
import type { ApprovalKinds } from './approvalKinds.node.ts';
import { APPROVALS_TABLE } from './approvalService.node.ts';

interface KindCount {
  kind: string;
  n: number | string;
}

/**
 * Home's approval counts (clear columns only, no reason opened): pending requests of kinds the viewer's role may
 * decide and that others filed (never one's own as “to decide”), the viewer's own requests still waiting, and
 * their requests decided since they last looked. `pageOf` names the screen where a kind is worked.
 */
export function approvalsHomeWork(kinds: ApprovalKinds, pageOf: (kind: string) => HomePage): HomeWorkProvider {
  const labelOf = (kind: string) => kinds.find(kind)?.label ?? kind;
  const pendingNow = (q: Queryable, now: string) => q(APPROVALS_TABLE).where({ status: 'pending' }).where('expires_at', '>', now);
  return {
    id: 'approvals',
    // Everyone signed in may see their own requests (approvals.list is a session channel); deciding is scoped below.
    permissions: 'signed-in',
    async items(q: Queryable, viewer: HomeViewer): Promise<HomeWorkItem[]> {
      const items: HomeWorkItem[] = [];
      const decidable = kinds.decidableBy(viewer.role);
      if (decidable.length) {
        const rows = await pendingNow(q, viewer.now)
          .whereIn('kind', decidable)
          .whereNot({ requester_id: viewer.userId })
          .groupBy('kind')
          .select<KindCount[]>('kind', q.raw('count(*) as n'));
        const counts = new Map(rows.map((r) => [r.kind, Number(r.n)]));
        // Every kind the role decides gets a line, zero included: the manager sees the queue is empty.
        for (const kind of decidable) {
          items.push({
            id: `approvals.decide.${kind}`,
            section: 'decide',
            label: labelOf(kind),
            count: counts.get(kind) ?? 0,
            tone: 'action',
            page: pageOf(kind),
            detail: null,
            at: null,
          });
        }
      }
      const mine = await pendingNow(q, viewer.now).where({ requester_id: viewer.userId }).groupBy('kind').select<KindCount[]>('kind', q.raw('count(*) as n'));
      for (const row of mine) {
        items.push({ id: `approvals.mine.${row.kind}`, section: 'mine', label: labelOf(row.kind), count: Number(row.n), tone: 'info', page: pageOf(row.kind), detail: null, at: null });
      }
      // What came back: one's own requests decided since the last "mark as seen", by kind and outcome.
      const returned = await q(APPROVALS_TABLE)
        .where({ requester_id: viewer.userId })
        .whereIn('status', ['approved', 'denied'])
        .modify((b) => void (viewer.seenAt && b.where('decided_at', '>', viewer.seenAt)))
        .groupBy('kind', 'status')
        .select<(KindCount & { status: 'approved' | 'denied' })[]>('kind', 'status', q.raw('count(*) as n'));
      for (const row of returned) {
        items.push({
          id: `approvals.returned.${row.status}.${row.kind}`,
          section: 'returned',
          label: `${labelOf(row.kind)}: ${row.status}`,
          count: Number(row.n),
          tone: row.status === 'approved' ? 'ok' : 'warning',
          page: pageOf(row.kind),
          detail: null,
          at: viewer.seenAt,
        });
      }
      return items;
    },
  };
}
