import { TZDate } from '@date-fns/tz/date';
import { format } from 'date-fns/format';
import { isWeekend } from 'date-fns/isWeekend';

export interface DigestSchedule {
  /** Local time `HH:mm` in the policy's time zone. */
  readonly time: string;
  readonly weekdaysOnly: boolean;
}

/**
 * The local day whose digest is due at this instant, or null. A digest becomes due at the configured
 * local time and stays due for the rest of that day, so a bot that was down at that time still posts
 * it when it comes back. Comparing local wall-clock text keeps daylight-saving days right: on a day
 * when the configured time does not exist, the digest is due from the first instant after it.
 */
export const dueDigestDay = (now: Date, schedule: DigestSchedule, timeZone: string): string | null => {
  const local = new TZDate(now.getTime(), timeZone);
  if (schedule.weekdaysOnly && isWeekend(local)) return null;
  return format(local, 'HH:mm') >= schedule.time ? format(local, 'yyyy-MM-dd') : null;
};
