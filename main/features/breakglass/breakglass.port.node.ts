import type { Queryable } from '../../platform/store/database.node.ts';

/** What other features may use of break-glass (implemented by BreakGlassService). */
export interface BreakGlassRecorder {
  /** Queues a break-glass opening for manager review; returns the review id. */
  record(q: Queryable, customerId: string, openedBy: string, justification: string): Promise<string>;
}
