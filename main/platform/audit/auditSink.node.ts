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
  /**
   * Called first in a transaction that will append (before any read, so before a SERIALIZABLE snapshot exists):
   * waits for the chain's head instead of failing on it at the end. Optional: a sink without a shared head needs none.
   */
  reserve?(q: Queryable): Promise<void>;
  /**
   * For reads-only calls: records the event in the caller's transaction without holding the chain's head where
   * workstations share it; true when it was staged, and `sealStaged` must then be called after the commit.
   */
  stage?(q: Queryable, event: NewAuditEvent): Promise<boolean>;
  /** Chains every staged event; called after the commit of a call that staged one. */
  sealStaged?(): Promise<number>;
}
