/**
 * Notice periods for material policy changes, counted in whole calendar days (UTC). The policy: "If we are going
 * to utilize our users' PII/NPI in a manner different from that stated at the time of collection, we will notify
 * users by posting a notice for change on our Web site for 30 days." A material change therefore takes effect no
 * sooner than 30 days after the day it is published, and its notice is posted from publication until then.
 */
export const MATERIAL_NOTICE_DAYS = 30;
const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC calendar day of an instant, as YYYY-MM-DD. */
export function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** Whole days from `fromDay` to `toDay` (both YYYY-MM-DD); negative when `toDay` is earlier. */
export function daysBetween(fromDay: string, toDay: string): number {
  return Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / DAY_MS);
}

export function addDays(day: string, days: number): string {
  return dayOf(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

export function isCalendarDay(value: string): boolean {
  return ISO_DAY.test(value) && dayOf(Date.parse(`${value}T00:00:00Z`)) === value;
}

/** The earliest effective date a change published on `publishedDay` may have. */
export function earliestEffectiveDate(publishedDay: string, material: boolean): string {
  return material ? addDays(publishedDay, MATERIAL_NOTICE_DAYS) : publishedDay;
}

/** Why an effective date is refused for a change published on `publishedDay`, or null when it is acceptable. */
export function effectiveDateProblem(publishedDay: string, effectiveDay: string, material: boolean): string | null {
  if (!isCalendarDay(effectiveDay)) return 'Use the date format YYYY-MM-DD';
  const earliest = earliestEffectiveDate(publishedDay, material);
  if (effectiveDay >= earliest) return null;
  return material
    ? `A material change takes effect at least ${MATERIAL_NOTICE_DAYS} days after publication: ${earliest} at the earliest`
    : 'The effective date cannot be before the publication date';
}

/** Days a notice still stays posted on `today` (0 once the change is in effect). */
export function noticeDaysRemaining(today: string, effectiveDay: string): number {
  return Math.max(0, daysBetween(today, effectiveDay));
}
