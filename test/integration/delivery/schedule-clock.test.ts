import { describe, expect, it } from 'vitest';
import { dueDigestDay } from '../../../src/scheduling/schedule-clock.ts';

const daily = (time: string) => ({ time, weekdaysOnly: false });
const due = (iso: string, time: string, zone: string, weekdaysOnly = false) =>
  dueDigestDay(new Date(iso), { time, weekdaysOnly }, zone);

describe('dueDigestDay: which local day’s digest is due at an instant', () => {
  it('is not due before the configured local time, and due from that minute to the end of the day', () => {
    expect(due('2026-11-26T13:59:59Z', '09:00', 'America/New_York')).toBeNull(); // 08:59:59 EST
    expect(due('2026-11-26T14:00:00Z', '09:00', 'America/New_York')).toBe('2026-11-26');
    expect(due('2026-11-27T04:59:59Z', '09:00', 'America/New_York')).toBe('2026-11-26'); // 23:59:59
    expect(due('2026-11-27T05:00:00Z', '09:00', 'America/New_York')).toBeNull(); // midnight, next day
  });

  it('names the local day, not the UTC one', () => {
    // 2026-11-26 23:30 UTC is already 27 November in Tokyo, and still the 26th in Los Angeles.
    expect(due('2026-11-26T23:30:00Z', '08:00', 'Asia/Tokyo')).toBe('2026-11-27');
    expect(due('2026-11-26T23:30:00Z', '08:00', 'America/Los_Angeles')).toBe('2026-11-26');
    expect(due('2026-11-26T23:30:00Z', '08:00', 'UTC')).toBe('2026-11-26');
  });

  it('weekdays only: nothing on Saturday or Sunday, local time; Friday and Monday as usual', () => {
    const zone = 'Europe/Berlin';
    expect(due('2026-11-27T08:00:00Z', '09:00', zone, true)).toBe('2026-11-27'); // Friday 09:00 CET
    expect(due('2026-11-28T12:00:00Z', '09:00', zone, true)).toBeNull(); // Saturday
    expect(due('2026-11-29T12:00:00Z', '09:00', zone, true)).toBeNull(); // Sunday
    expect(due('2026-11-29T23:30:00Z', '00:15', zone, true)).toBe('2026-11-30'); // Monday 00:30 in Berlin
    expect(due('2026-11-28T12:00:00Z', '09:00', zone, false)).toBe('2026-11-28');
    // Sunday 20:00 in New York is Monday 01:00 UTC: the local weekday decides.
    expect(due('2026-11-30T01:00:00Z', '00:00', 'America/New_York', true)).toBeNull();
    expect(due('2026-11-30T01:00:00Z', '00:00', 'UTC', true)).toBe('2026-11-30');
  });

  describe('daylight saving time', () => {
    it('New York, spring forward (8 March 2026): 02:30 does not exist, the digest is due from 03:00 EDT', () => {
      const zone = 'America/New_York';
      expect(due('2026-03-08T06:59:59Z', '02:30', zone)).toBeNull(); // 01:59:59 EST
      expect(due('2026-03-08T07:00:00Z', '02:30', zone)).toBe('2026-03-08'); // 03:00 EDT
      expect(due('2026-03-08T13:00:00Z', '09:00', zone)).toBe('2026-03-08'); // 09:00 EDT
      expect(due('2026-03-08T12:59:00Z', '09:00', zone)).toBeNull();
    });

    it('New York, fall back (1 November 2026): 01:30 happens twice, both the same local day', () => {
      const zone = 'America/New_York';
      expect(due('2026-11-01T05:29:00Z', '01:30', zone)).toBeNull(); // 01:29 EDT
      expect(due('2026-11-01T05:30:00Z', '01:30', zone)).toBe('2026-11-01'); // first 01:30 (EDT)
      // In between (01:10 EST, the repeated hour) the wall clock is before 01:30 again, and the function
      // answers null: a replica that only comes up then posts at the second 01:30. Known, documented.
      expect(due('2026-11-01T06:30:00Z', '01:30', zone)).toBe('2026-11-01'); // second 01:30 (EST)
      expect(due('2026-11-01T14:00:00Z', '09:00', zone)).toBe('2026-11-01'); // 09:00 EST
      expect(due('2026-11-01T13:59:00Z', '09:00', zone)).toBeNull();
    });

    it('Berlin, spring forward (29 March 2026): 02:30 does not exist, due from 03:00 CEST', () => {
      const zone = 'Europe/Berlin';
      expect(due('2026-03-29T00:59:59Z', '02:30', zone)).toBeNull(); // 01:59:59 CET
      expect(due('2026-03-29T01:00:00Z', '02:30', zone)).toBe('2026-03-29'); // 03:00 CEST
      expect(due('2026-03-29T07:00:00Z', '09:00', zone)).toBe('2026-03-29'); // 09:00 CEST
      expect(due('2026-03-29T06:59:00Z', '09:00', zone)).toBeNull();
    });

    it('Berlin, fall back (25 October 2026): 02:30 happens twice, the same day both times', () => {
      const zone = 'Europe/Berlin';
      expect(due('2026-10-25T00:29:00Z', '02:30', zone)).toBeNull(); // 02:29 CEST
      expect(due('2026-10-25T00:30:00Z', '02:30', zone)).toBe('2026-10-25'); // first 02:30 (CEST)
      expect(due('2026-10-25T01:30:00Z', '02:30', zone)).toBe('2026-10-25'); // second 02:30 (CET)
      expect(due('2026-10-25T08:00:00Z', '09:00', zone)).toBe('2026-10-25'); // 09:00 CET
    });

    it('a 23-hour and a 25-hour day each have exactly one due day, which ends at local midnight', () => {
      const zone = 'America/New_York';
      // Spring: midnight to midnight is 23 hours (05:00Z on the 8th to 04:00Z on the 9th).
      expect(due('2026-03-09T03:59:59Z', '00:00', zone)).toBe('2026-03-08');
      expect(due('2026-03-09T04:00:00Z', '00:00', zone)).toBe('2026-03-09');
      // Fall: 25 hours (04:00Z on the 1st to 05:00Z on the 2nd).
      expect(due('2026-11-02T04:59:59Z', '00:00', zone)).toBe('2026-11-01');
      expect(due('2026-11-02T05:00:00Z', '00:00', zone)).toBe('2026-11-02');
    });
  });

  it('accepts the whole range of times, from 00:00 to 23:59', () => {
    expect(dueDigestDay(new Date('2026-11-26T00:00:00Z'), daily('00:00'), 'UTC')).toBe('2026-11-26');
    expect(dueDigestDay(new Date('2026-11-26T23:58:59Z'), daily('23:59'), 'UTC')).toBeNull();
    expect(dueDigestDay(new Date('2026-11-26T23:59:00Z'), daily('23:59'), 'UTC')).toBe('2026-11-26');
  });
});
