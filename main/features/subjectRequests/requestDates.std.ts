/**
 * Calendar arithmetic for request deadlines. Dates are ISO calendar dates (YYYY-MM-DD), counted in UTC so every
 * workstation agrees on "today"; time never enters a due date.
 */

const DAY_MS = 86_400_000;

/** The calendar date (UTC) of a moment. */
export function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dateOf(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / DAY_MS);
}

/**
 * The latest received date accepted: today in UTC, or tomorrow's date where a workstation east of UTC has already
 * reached it (a letter opened at 08:00 in Sydney is dated a day ahead of UTC).
 */
export function latestReceivedOn(nowMs: number): string {
  return dateOf(nowMs + 14 * 3_600_000);
}

/** Where an open request stands against its due date. Closed requests are never late. */
export type Urgency = 'overdue' | 'due_this_week' | 'later' | 'closed';

/** Due within the next seven days (today included) counts as "this week". */
export const DUE_SOON_DAYS = 7;

export function urgencyOf(dueOn: string, closed: boolean, today: string): Urgency {
  if (closed) return 'closed';
  const left = daysBetween(today, dueOn);
  if (left < 0) return 'overdue';
  return left < DUE_SOON_DAYS ? 'due_this_week' : 'later';
}
