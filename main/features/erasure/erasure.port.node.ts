import type { Db, Queryable } from '../../platform/store/database.node.ts';
import type { CustomerEraser, LedgerEntry } from './deletion.node.ts';
import type { NewDeletionRequest, DeletionRequests } from './deletionRequests.node.ts';
import type { ActiveHold, LegalHolds } from './holds.node.ts';

export type { LedgerEntry } from './deletion.node.ts';
export type { ActiveHold } from './holds.node.ts';
export type { DeletionRequestLog, NewDeletionRequest } from './deletionRequests.node.ts';

/**
 * What other features may use of erasure: the minors quarantine files a deletion request (reason `minor`), a
 * backup restore re-applies the ledger, anything about to act on a customer can ask whether a legal hold stands.
 */
export interface ErasurePort {
  /** Files a deletion request for a manager to decide; the same refusals as the screen (hold, deleted, pending). Returns the request id. */
  fileDeletionRequest(q: Queryable, input: NewDeletionRequest): Promise<{ id: string }>;
  /** The legal hold in force on a customer today, or null. */
  activeHold(q: Queryable, customerId: string): Promise<ActiveHold | null>;
  /** Every deletion so far: customer ids and times only. */
  deletionLedger(q: Queryable): Promise<LedgerEntry[]>;
  /**
   * After a restore of an older backup into `db`: deletes every customer in `entries` the restored database
   * still holds (the same deletion as an approved request, tombstone reason `restore`) and records the entries
   * in its ledger. Idempotent.
   */
  reapplyDeletionLedger(db: Db, entries: readonly LedgerEntry[]): Promise<{ deleted: number }>;
  /** Resolves once the freed space of every deletion committed so far is reclaimed (backup, tests, benchmark). */
  reclaimed(): Promise<void>;
}

export function erasurePort(requests: DeletionRequests, holds: LegalHolds, eraser: CustomerEraser): ErasurePort {
  return {
    fileDeletionRequest: async (q, input) => ({ id: (await requests.file(q, input)).id }),
    activeHold: (q, customerId) => holds.activeHold(q, customerId),
    deletionLedger: (q) => eraser.ledger(q),
    reapplyDeletionLedger: (db, entries) => eraser.reapply(db, entries),
    reclaimed: () => eraser.settled(),
  };
}
