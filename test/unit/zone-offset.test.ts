import { TZDate } from '@date-fns/tz/date';
import { addBusinessDays } from 'date-fns/addBusinessDays';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addLocalBusinessDays } from '../../src/domain/clocks.ts';
import { addBusinessDaysSameWallTime, zoneOffsetMs } from '../../src/domain/zone-offset.ts';

/** Zones with unusual offsets and clock changes: half-hour DST, 45-minute offsets, Ramadan pauses. */
const ZONES = [
  'UTC',
  'America/New_York',
  'America/Sao_Paulo',
  'America/Santiago',
  'Europe/Berlin',
  'Europe/London',
  'Africa/Casablanca',
  'Asia/Jerusalem',
  'Asia/Tehran',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Australia/Adelaide',
  'Pacific/Chatham',
  'Pacific/Apia',
] as const;

const FROM = Date.UTC(2000, 0, 1);
const TO = Date.UTC(2040, 0, 1);

/** The zone-aware calendar of date-fns, the reference the fast path must agree with. */
const reference = (instant: number, days: number, timeZone: string): number =>
  addBusinessDays(new TZDate(instant, timeZone), days).getTime();

const offsetByFormatting = (instant: number, timeZone: string): number => {
  const wall = new TZDate(instant, timeZone);
  return (
    Date.UTC(
      wall.getFullYear(),
      wall.getMonth(),
      wall.getDate(),
      wall.getHours(),
      wall.getMinutes(),
      wall.getSeconds(),
      wall.getMilliseconds(),
    ) - instant
  );
};

describe('zone offsets and business days at the same wall time', () => {
  it('the offset agrees with the zone database at any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: FROM, max: TO }), fc.constantFrom(...ZONES), (instant, zone) => {
        expect(zoneOffsetMs(instant, zone)).toBe(offsetByFormatting(instant, zone));
      }),
      { numRuns: 3000 },
    );
  });

  it('due dates equal the zone-aware calendar’s, weekends and clock changes included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: FROM, max: TO }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(...ZONES),
        (instant, days, zone) => {
          expect(addLocalBusinessDays(new Date(instant), days, zone).getTime()).toBe(
            reference(instant, days, zone),
          );
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('computes ordinary weeks directly, and leaves results next to a clock change to the calendar', () => {
    // Wednesday 10 March 2027, 15:00 UTC + 5 business days = Wednesday 17 March, same wall time.
    expect(addBusinessDaysSameWallTime(Date.parse('2027-03-10T15:00:00Z'), 5, 'UTC')).toBe(
      Date.parse('2027-03-17T15:00:00Z'),
    );
    // Friday 12 March 2027, 02:30 in New York: two business days later is Tuesday 16 March, after the
    // change of Sunday 14 March, so the offset differs but the wall time is kept.
    const friday = Date.parse('2027-03-12T07:30:00Z');
    expect(addLocalBusinessDays(new Date(friday), 2, 'America/New_York').toISOString()).toBe(
      '2027-03-16T06:30:00.000Z',
    );
    // Friday 5 March 2027 + 6 business days lands on Monday 15 March, a day after the change: no fast path.
    expect(addBusinessDaysSameWallTime(Date.parse('2027-03-05T15:00:00Z'), 6, 'America/New_York')).toBeNull();
  });

  it('a start on a weekend gives what date-fns gives', () => {
    const saturday = Date.parse('2027-03-06T10:00:00Z');
    for (const days of [0, 1, 2, 5, 6]) {
      expect(addLocalBusinessDays(new Date(saturday), days, 'UTC').getTime()).toBe(
        reference(saturday, days, 'UTC'),
      );
    }
  });
});
