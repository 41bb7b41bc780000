import { z } from 'zod';
import type { ApprovalKind } from '../../main/features/approvals/approvalKinds.node.ts';

/** A test approval kind (no production kind exists yet) for the two-process decision race; decided by managers. */
export const RACE_KIND: ApprovalKind = {
  name: 'test.race',
  label: 'Test race',
  permission: 'customers.legal',
  payload: z.object({ recipientId: z.string().uuid() }).strict(),
  expiresInMs: 60 * 60_000,
};
