const DAY_MS = 86_400_000;

const wallClocks = new Map<string, Intl.DateTimeFormat>();

const wallClock = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = wallClocks.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(timeZone, formatter);
  }
  return formatter;
};

/** Clock changes happen on whole quarter hours, so the offset is the same throughout each quarter. */
const QUARTER_HOUR_MS = 900_000;
const CACHED_QUARTERS = 4096;
const offsetCache = new Map<string, Map<number, number>>();

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
export const zoneOffsetMs = (instant: number, timeZone: string): number => {
  let zone = offsetCache.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsetCache.set(timeZone, zone);
  }
  const quarter = Math.floor(instant / QUARTER_HOUR_MS);
  const cached = zone.get(quarter);
  if (cached !== undefined) return cached;
  if (zone.size >= CACHED_QUARTERS) zone.clear();
  const offset = measureOffset(quarter * QUARTER_HOUR_MS, timeZone);
  zone.set(quarter, offset);
  return offset;
};

const measureOffset = (instant: number, timeZone: string): number => {
  const parts: Record<string, number> = {};
  for (const part of wallClock(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - instant;
};

const isWeekendDay = (day: number) => day === 0 || day === 6;

/**
 * Business days added to a wall-clock time written as a UTC date, with date-fns `addBusinessDays`
 * semantics: whole weeks first, then day by day skipping Saturdays and Sundays; a start on a weekend
 * that lands on a weekend moves back to the Friday before (forward) or on to the Monday after (back).
 */
const addBusinessDaysToWall = (wall: number, amount: number): number => {
  const date = new Date(wall);
  const startedOnWeekend = isWeekendDay(date.getUTCDay());
  const sign = amount < 0 ? -1 : 1;
  date.setUTCDate(date.getUTCDate() + Math.trunc(amount / 5) * 7);
  let rest = Math.abs(amount % 5);
  while (rest > 0) {
    date.setUTCDate(date.getUTCDate() + sign);
    if (!isWeekendDay(date.getUTCDay())) rest -= 1;
  }
  if (startedOnWeekend && amount !== 0) {
    if (date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + (sign < 0 ? 2 : -1));
    else if (date.getUTCDay() === 0) date.setUTCDate(date.getUTCDate() + (sign < 0 ? 1 : -2));
  }
  return date.getTime();
};

/**
 * The instant `amount` business days after another in a zone, at the same wall-clock time; null when a
 * clock change falls within a day of the result, where the wall time may be skipped or repeated and the
 * caller's zone-aware calendar decides.
 */
export const addBusinessDaysSameWallTime = (
  instant: number,
  amount: number,
  timeZone: string,
): number | null => {
  const offset = zoneOffsetMs(instant, timeZone);
  const result = addBusinessDaysToWall(instant + offset, amount) - offset;
  const steady =
    zoneOffsetMs(result, timeZone) === offset &&
    zoneOffsetMs(result - DAY_MS, timeZone) === offset &&
    zoneOffsetMs(result + DAY_MS, timeZone) === offset;
  return steady ? result : null;
};
