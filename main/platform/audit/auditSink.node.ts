import type { Queryable } from '../store/database.node.ts';
import type { AuditDetails, AuditOutcome } from './auditEvent.std.ts';

export interface NewAuditEvent {
  actorId: string | null;
  action: string;
  outcome: AuditOutcome;
  details?: AuditDetails;
}

/** Where audit events go: the router and services append through this, in the caller's transaction. */
export interface AuditSink {
  append(q: Queryable, event: NewAuditEvent): Promise<number>;
}
