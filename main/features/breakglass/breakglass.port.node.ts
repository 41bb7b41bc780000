import type { Queryable } from '../../platform/store/database.node.ts';
import { countOf, type HomeWorkProvider } from '../home/home.port.node.ts';

/** What other features may use of break-glass (implemented by BreakGlassService). */
export interface BreakGlassRecorder {
  /** Queues a break-glass opening for manager review; returns the review id. */
  record(q: Queryable, customerId: string, openedBy: string, justification: string): Promise<string>;
}

/** Home: break-glass openings waiting for a manager's review (a count; no customer named). */
export function breakGlassHomeWork(): HomeWorkProvider {
  return {
    id: 'breakglass',
    permissions: ['breakglass.review'],
    async items(q) {
      const n = countOf(await q('break_glass_reviews').where({ status: 'pending' }).count<{ n: number | string }[]>({ n: '*' }));
      return [{ id: 'breakglass.pending', section: 'decide', label: 'Break-glass openings to review', count: n, tone: 'action', page: 'break-glass', detail: null, at: null }];
    },
  };
}
