import { DateInput, type DayOfWeek } from '@mantine/dates';
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import 'dayjs/locale/de';
import 'dayjs/locale/en-gb';
import 'dayjs/locale/en-ie';
import 'dayjs/locale/es';
import 'dayjs/locale/fi';
import 'dayjs/locale/fr';
import 'dayjs/locale/it';
import 'dayjs/locale/nl';
import 'dayjs/locale/pl';
import 'dayjs/locale/sv';
import { useState, type ReactNode } from 'react';
import type { OfficeLocale } from '../../../main/features/settings/settings.contract.std';
import { displayLocale } from './format';

dayjs.extend(customParseFormat);

/** The dayjs locale of each office locale (month and weekday names, first day of the week); `en` is en-US. */
const DAYJS_LOCALES: Record<OfficeLocale, string> = {
  'en-GB': 'en-gb',
  'en-US': 'en',
  'en-IE': 'en-ie',
  'de-DE': 'de',
  'fr-FR': 'fr',
  'nl-NL': 'nl',
  'es-ES': 'es',
  'it-IT': 'it',
  'sv-SE': 'sv',
  'fi-FI': 'fi',
  'pl-PL': 'pl',
};

const TOKENS = { day: ['DD', 'D', 'dd'], month: ['MM', 'M', 'mm'], year: ['YYYY', 'YYYY', 'yyyy'] } as const;

interface DayPattern {
  /** How a day is shown and typed: `DD/MM/YYYY` for en-GB, `MM/DD/YYYY` for en-US, `DD.MM.YYYY` for de-DE… */
  format: string;
  /** Also accepted when typed: one-digit days and months, and ISO `YYYY-MM-DD` (pasted from elsewhere). */
  accepted: string[];
  /** The pattern in words, for the placeholder: `dd/mm/yyyy`. */
  hint: string;
}

/** The locale's numeric order and separators, read from Intl so every office locale gets its own. */
function dayPattern(locale: string): DayPattern {
  const parts = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).formatToParts(Date.UTC(2026, 11, 25));
  const join = (index: 0 | 1 | 2) => parts.map((p) => (p.type === 'day' || p.type === 'month' || p.type === 'year' ? TOKENS[p.type][index] : p.value)).join('');
  const format = join(0);
  return { format, accepted: [format, join(1), 'YYYY-MM-DD'], hint: join(2) };
}

const patterns = new Map<string, DayPattern>();
function patternOf(locale: string): DayPattern {
  let pattern = patterns.get(locale);
  if (!pattern) patterns.set(locale, (pattern = dayPattern(locale)));
  return pattern;
}

interface DateFieldProps {
  label: string;
  description?: ReactNode;
  error?: ReactNode;
  withAsterisk?: boolean;
  required?: boolean;
  /** YYYY-MM-DD, or '' for none (controlled) … */
  value?: string;
  /** … or the first value of an uncontrolled form field. */
  defaultValue?: string;
  /** YYYY-MM-DD, or '' when emptied. */
  onChange?(value: string): void;
  onBlur?(): void;
  onFocus?(): void;
  /**
   * Earliest and latest days offered in the calendar (YYYY-MM-DD). A day typed outside them is kept, for the form's
   * rule to refuse with its message: never silently replaced.
   */
  min?: string;
  max?: string;
  w?: number;
  'data-autofocus'?: boolean;
}

/**
 * The one date input: shown, typed and picked in the office locale's day order (`displayLocale()`), while the value
 * stays ISO `YYYY-MM-DD`, as main expects. Typing a whole date sets it; a calendar opens for those who prefer one.
 * While the text typed is no date, the field says how to write one (on leaving it, it shows its value again).
 */
export function DateField({ value, defaultValue, onChange, onBlur, min, max, error, ...rest }: DateFieldProps) {
  const locale = displayLocale();
  const pattern = patternOf(locale);
  const dayjsLocale = DAYJS_LOCALES[locale as OfficeLocale] ?? 'en-gb';
  const [unreadable, setUnreadable] = useState(false);
  const [calendarOpen, setCalendarOpen] = useState(false);
  const parse = (text: string): string | null => {
    const parsed = dayjs(text.trim(), pattern.accepted, true);
    return parsed.isValid() ? parsed.format('YYYY-MM-DD') : null;
  };
  return (
    <DateInput
      {...rest}
      error={error ?? (unreadable ? `Type the date as ${pattern.hint}` : undefined)}
      onInput={(event) => {
        const text = event.currentTarget.value.trim();
        setUnreadable(text !== '' && parse(text) === null);
      }}
      onBlur={() => {
        setUnreadable(false);
        onBlur?.();
      }}
      {...(value !== undefined && { value: value || null })}
      {...(defaultValue !== undefined && { defaultValue: defaultValue || null })}
      onChange={(day) => onChange?.(day ?? '')}
      valueFormat={pattern.format}
      dateParser={parse}
      placeholder={pattern.hint}
      locale={dayjsLocale}
      firstDayOfWeek={(dayjs.Ls[dayjsLocale]?.weekStart ?? 0) as DayOfWeek}
      excludeDate={min || max ? (day) => (min !== undefined && day < min) || (max !== undefined && day > max) : undefined}
      clearable={!rest.required && !rest.withAsterisk}
      autoComplete="off"
      // Days of the months either side (dimmed) and weekends (red) would fall below the contrast AA asks for.
      hideOutsideDates
      weekendDays={[]}
      ariaLabels={{
        previousMonth: 'Previous month',
        nextMonth: 'Next month',
        previousYear: 'Previous year',
        nextYear: 'Next year',
        previousDecade: 'Previous decade',
        nextDecade: 'Next decade',
        monthLevelControl: 'Choose the month',
        yearLevelControl: 'Choose the year',
      }}
      clearButtonProps={{ 'aria-label': 'Clear the date' }}
      popoverProps={{ onOpen: () => setCalendarOpen(true), onClose: () => setCalendarOpen(false) }}
      // Escape closes the open calendar only, not the dialog around the field (Mantine's modals honour this mark).
      data-mantine-stop-propagation={calendarOpen || undefined}
    />
  );
}
