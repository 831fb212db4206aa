import { TZDate } from '@date-fns/tz/date';
import { addBusinessDays } from 'date-fns/addBusinessDays';
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parseISO } from 'date-fns/parseISO';
import type { Policy } from './policy.ts';
import type { Severity } from './report.ts';
import { fail, ok, type Result } from './result.ts';
import { addBusinessDaysSameWallTime } from './zone-offset.ts';

export interface ReportClocks {
  readonly ackDueAt: Date;
  readonly triageDueAt: Date;
  readonly disclosureOn: string;
}

const DAY_FORMAT = 'yyyy-MM-dd';
const MAX_OFFSET_DAYS = 3650;
const DAY_MS = 86_400_000;

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in the policy's time zone (`en-CA` formats dates as YYYY-MM-DD). */
export const localDate = (instant: Date, timeZone: string): string => {
  let formatter = dayFormats.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, formatter);
  }
  return formatter.format(instant);
};

/** Business days skip Saturdays and Sundays, counted in the policy's time zone. */
export const addLocalBusinessDays = (instant: Date, days: number, timeZone: string): Date => {
  const fast = addBusinessDaysSameWallTime(instant.getTime(), days, timeZone);
  return new Date(fast ?? addBusinessDays(new TZDate(instant.getTime(), timeZone), days).getTime());
};

/** A calendar date `days` later (earlier when negative); plain date arithmetic, no time zone involved. */
export const addLocalDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export const clocksForReceipt = (receivedAt: Date, policy: Policy): ReportClocks => ({
  ackDueAt: addLocalBusinessDays(receivedAt, policy.ackBusinessDays, policy.timeZone),
  triageDueAt: addLocalBusinessDays(receivedAt, policy.triageBusinessDays, policy.timeZone),
  disclosureOn: addLocalDays(localDate(receivedAt, policy.timeZone), policy.disclosureDays),
});

/** The remediation target counts calendar days from triage (or now, when severity is set earlier). */
export const remediationDueOn = (severity: Severity, from: Date, policy: Policy): string | null =>
  severity === 'none'
    ? null
    : addLocalDays(localDate(from, policy.timeZone), policy.remediationDays[severity]);

/** Whole calendar days from one `YYYY-MM-DD` date to another (UTC arithmetic: no DST in between). */
export const calendarDaysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** Whole days from today (in the policy's zone) to a calendar date; negative when it has passed. */
export const daysUntil = (day: string, now: Date, timeZone: string): number =>
  calendarDaysBetween(localDate(now, timeZone), day);

/**
 * Reads a disclosure date typed by a person: `YYYY-MM-DD`, or `+Nd` counted from today.
 * A date before the report was received is refused, never adjusted silently.
 */
export const parseDisclosureDate = (
  input: string,
  context: { readonly now: Date; readonly receivedAt: Date; readonly timeZone: string },
): Result<string> => {
  const text = input.trim().toLowerCase();
  const today = localDate(context.now, context.timeZone);
  let day: string;
  const offset = /^\+(\d{1,4})d?$/.exec(text);
  if (offset) {
    const days = Number(offset[1]);
    if (days > MAX_OFFSET_DAYS)
      return fail('disclosure.invalid_date', `+${days}d is more than ten years away.`);
    day = addLocalDays(today, days);
  } else if (
    /^\d{4}-\d{2}-\d{2}$/.test(text) &&
    isValid(parseISO(text)) &&
    format(parseISO(text), DAY_FORMAT) === text
  ) {
    day = text;
  } else {
    return fail(
      'disclosure.invalid_date',
      `"${input.trim()}" is not a date. Use YYYY-MM-DD (e.g. 2027-03-01) or +Nd (e.g. +30d).`,
    );
  }
  const received = localDate(context.receivedAt, context.timeZone);
  if (day < received) {
    return fail(
      'disclosure.before_receipt',
      `${day} is before the report was received (${received}); choose ${received} or later.`,
    );
  }
  return ok(day);
};
