import { StartupError } from '../startupError.std.ts';
import type { Queryable } from './database.node.ts';
import { APPEND_ONLY_TABLES, dialectOf } from './dialect.node.ts';

/**
 * Start-up check: the append-only triggers must be exactly those the migrations created. Someone who dropped or
 * replaced them held the database file outside the app (the app never does); events written now could be edited
 * later without a trace, so the app refuses to open rather than write audit events into an unprotected table.
 * It does not re-create them: that would hide the tampering. Names only in the message, never data.
 */
export async function assertProtectiveTriggers(q: Queryable): Promise<void> {
  const problems = await dialectOf(q).protectiveTriggersIntact(q, APPEND_ONLY_TABLES);
  if (problems.length === 0) return;
  const listed = problems.map((p) => `${p.trigger} (${p.problem})`).join(', ');
  throw new StartupError('AUDIT_UNPROTECTED', `The append-only protection in the database (audit log, disclosure register) was removed or changed: ${listed}. Nothing was written.`, [
    'Someone changed the database file outside the app. Do not use this copy: keep it for investigation.',
    'Restore the database from the most recent backup, then start the app and run "Verify chain" on the Audit page.',
    'If no backup exists, ask IT to compare this file with the schema of a fresh install before re-creating the triggers by hand.',
  ]);
}
