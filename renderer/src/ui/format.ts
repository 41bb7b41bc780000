/**
 * The one place the console writes dates and times: in the office's locale (office settings, default en-GB), set
 * once the session says which it is. Main sends ISO timestamps and YYYY-MM-DD calendar days.
 */
let locale = 'en-GB';
let formats = makeFormats(locale);

function makeFormats(tag: string) {
  return {
    dateTime: new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' }),
    dateTimeWithSeconds: new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'medium' }),
    // A calendar day is shown as the day it is, never shifted across time zones.
    day: new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' }),
  };
}

/** Called with the session's locale; the page's language follows, so date inputs and screen readers match. */
export function setDisplayLocale(next: string): void {
  if (next === locale) return;
  try {
    formats = makeFormats(next);
    locale = next;
  } catch {
    // An unknown tag keeps the previous format (main validates the setting; this is only a guard).
  }
  document.documentElement.lang = locale;
}

export function displayLocale(): string {
  return locale;
}

/** Unparseable values are shown as sent rather than hidden. */
export function formatDateTime(iso: string | null, { seconds = false } = {}): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (seconds ? formats.dateTimeWithSeconds : formats.dateTime).format(date);
}

/** A calendar day (YYYY-MM-DD), or the day of an ISO timestamp. */
export function formatDate(day: string | null): string {
  if (!day) return '—';
  const parsed = new Date(day.length === 10 ? `${day}T00:00:00Z` : day);
  return Number.isNaN(parsed.getTime()) ? day : formats.day.format(parsed);
}

/** A number in the office's locale. */
export function formatNumber(value: number): string {
  return value.toLocaleString(locale);
}
