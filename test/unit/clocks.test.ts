import { describe, expect, it } from 'vitest';
import {
  addLocalDays,
  calendarDaysBetween,
  clocksForReceipt,
  daysUntil,
  localDate,
  parseDisclosureDate,
  remediationDueOn,
} from '../../src/domain/clocks.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/domain/policy.ts';

// Calendar used below (2027): Mon 1 Mar, Fri 5 Mar, Sat 6 Mar, Sun 7 Mar, Tue 9 Mar, Fri 12 Mar.
// US daylight saving time starts Sun 14 Mar 2027 (EST −5 → EDT −4) and ends Sun 7 Nov 2027.
const inZone = (timeZone: string): Policy => ({ ...DEFAULT_POLICY, timeZone });
const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

describe('clocksForReceipt: acknowledgement and triage deadlines in business days', () => {
  it('the default policy is 2 business days to acknowledge, 5 to triage, 90 days to disclosure, in UTC', () => {
    expect(DEFAULT_POLICY).toMatchObject({
      ackBusinessDays: 2,
      triageBusinessDays: 5,
      disclosureDays: 90,
      timeZone: 'UTC',
    });
  });

  it('received on a Monday at 10:00, acknowledgement is due Wednesday 10:00 and triage next Monday 10:00', () => {
    const clocks = clocksForReceipt(at('2027-03-01T10:00:00Z'), DEFAULT_POLICY);
    expect(iso(clocks.ackDueAt)).toBe('2027-03-03T10:00:00.000Z');
    expect(iso(clocks.triageDueAt)).toBe('2027-03-08T10:00:00.000Z');
  });

  it('received Friday 16:00, acknowledgement is due Tuesday 16:00 (the weekend does not count)', () => {
    const clocks = clocksForReceipt(at('2027-03-05T16:00:00Z'), DEFAULT_POLICY);
    expect(iso(clocks.ackDueAt)).toBe('2027-03-09T16:00:00.000Z');
    expect(iso(clocks.triageDueAt)).toBe('2027-03-12T16:00:00.000Z');
  });

  it('received on a Saturday, the count starts on Monday: acknowledgement Tuesday, triage Friday', () => {
    const clocks = clocksForReceipt(at('2027-03-06T10:00:00Z'), DEFAULT_POLICY);
    expect(iso(clocks.ackDueAt)).toBe('2027-03-09T10:00:00.000Z');
    expect(iso(clocks.triageDueAt)).toBe('2027-03-12T10:00:00.000Z');
  });

  it('received on a Sunday, deadlines are the same days as for a Saturday receipt', () => {
    const clocks = clocksForReceipt(at('2027-03-07T10:00:00Z'), DEFAULT_POLICY);
    expect(iso(clocks.ackDueAt)).toBe('2027-03-09T10:00:00.000Z');
    expect(iso(clocks.triageDueAt)).toBe('2027-03-12T10:00:00.000Z');
  });

  it('no deadline ever lands on a weekend, whatever the weekday and hour of receipt', () => {
    for (let hour = 0; hour < 24 * 14; hour += 5) {
      const received = new Date(Date.UTC(2027, 2, 1, hour));
      const clocks = clocksForReceipt(received, DEFAULT_POLICY);
      for (const due of [clocks.ackDueAt, clocks.triageDueAt]) {
        expect([0, 6], `${iso(received)} → ${iso(due)}`).not.toContain(due.getUTCDay());
        expect(due.getTime()).toBeGreaterThan(received.getTime());
      }
    }
  });

  it('in New York, Friday 16:00 local (21:00 UTC) gives Tuesday 16:00 local, across the DST change', () => {
    // Received Fri 12 Mar 16:00 EST; clocks spring forward on Sun 14 Mar, so Tue 16 Mar 16:00 is EDT.
    const clocks = clocksForReceipt(at('2027-03-12T21:00:00Z'), inZone('America/New_York'));
    expect(iso(clocks.ackDueAt)).toBe('2027-03-16T20:00:00.000Z');
    expect(iso(clocks.triageDueAt)).toBe('2027-03-19T20:00:00.000Z');
    expect(clocks.disclosureOn).toBe('2027-06-10');
  });

  it('in New York, the deadline keeps its local wall-clock hour when DST ends', () => {
    // Fri 5 Nov 16:00 EDT (20:00 UTC); clocks fall back Sun 7 Nov; Tue 9 Nov 16:00 EST is 21:00 UTC.
    const clocks = clocksForReceipt(at('2027-11-05T20:00:00Z'), inZone('America/New_York'));
    expect(iso(clocks.ackDueAt)).toBe('2027-11-09T21:00:00.000Z');
  });

  it('in New York, a Saturday-UTC receipt that is still Friday evening locally counts as a Friday receipt', () => {
    // 03:00 UTC Sat 6 Mar = 22:00 EST Fri 5 Mar → ack due Tue 9 Mar 22:00 EST = Wed 10 Mar 03:00 UTC.
    const clocks = clocksForReceipt(at('2027-03-06T03:00:00Z'), inZone('America/New_York'));
    expect(iso(clocks.ackDueAt)).toBe('2027-03-10T03:00:00.000Z');
    expect(clocks.disclosureOn).toBe('2027-06-03');
    // The same instant in UTC is a Saturday receipt, with an earlier deadline and a later disclosure date.
    const utc = clocksForReceipt(at('2027-03-06T03:00:00Z'), DEFAULT_POLICY);
    expect(iso(utc.ackDueAt)).toBe('2027-03-09T03:00:00.000Z');
    expect(utc.disclosureOn).toBe('2027-06-04');
  });

  it('in Tokyo, a Friday-UTC receipt that is already Saturday locally counts as a weekend receipt', () => {
    // 20:00 UTC Fri 5 Mar = 05:00 JST Sat 6 Mar → ack due Tue 9 Mar 05:00 JST = Mon 8 Mar 20:00 UTC.
    const clocks = clocksForReceipt(at('2027-03-05T20:00:00Z'), inZone('Asia/Tokyo'));
    expect(iso(clocks.ackDueAt)).toBe('2027-03-08T20:00:00.000Z');
    expect(iso(clocks.triageDueAt)).toBe('2027-03-11T20:00:00.000Z');
  });

  it('business-day counts come from the policy, not constants', () => {
    const policy = { ...DEFAULT_POLICY, ackBusinessDays: 1, triageBusinessDays: 10 };
    const clocks = clocksForReceipt(at('2027-03-05T16:00:00Z'), policy);
    expect(iso(clocks.ackDueAt)).toBe('2027-03-08T16:00:00.000Z');
    expect(iso(clocks.triageDueAt)).toBe('2027-03-19T16:00:00.000Z');
  });
});

describe('clocksForReceipt: the planned disclosure date', () => {
  it('is the local receipt date plus 90 calendar days', () => {
    expect(clocksForReceipt(at('2027-03-05T16:00:00Z'), DEFAULT_POLICY).disclosureOn).toBe('2027-06-03');
    expect(clocksForReceipt(at('2027-11-30T12:00:00Z'), DEFAULT_POLICY).disclosureOn).toBe('2028-02-28');
    expect(clocksForReceipt(at('2027-12-01T00:00:00Z'), DEFAULT_POLICY).disclosureOn).toBe('2028-02-29');
  });

  it('uses the date in the policy’s time zone: in Tokyo, 20:00 UTC on 5 March is 6 March', () => {
    const tokyo = clocksForReceipt(at('2027-03-05T20:00:00Z'), inZone('Asia/Tokyo'));
    expect(tokyo.disclosureOn).toBe('2027-06-04');
    const utc = clocksForReceipt(at('2027-03-05T20:00:00Z'), DEFAULT_POLICY);
    expect(utc.disclosureOn).toBe('2027-06-03');
  });

  it('follows a configured disclosure period', () => {
    const clocks = clocksForReceipt(at('2027-03-05T16:00:00Z'), { ...DEFAULT_POLICY, disclosureDays: 45 });
    expect(clocks.disclosureOn).toBe('2027-04-19');
  });
});

describe('parseDisclosureDate: what a triager may type', () => {
  // Received Fri 5 Mar 2027; today is Wed 10 Mar 2027.
  const ctx = { now: at('2027-03-10T12:00:00Z'), receivedAt: at('2027-03-05T16:00:00Z'), timeZone: 'UTC' };

  const refused = (input: string, code: 'disclosure.invalid_date' | 'disclosure.before_receipt') => {
    const result = parseDisclosureDate(input, ctx);
    expect(result.ok, input).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
    return result;
  };

  it.each([
    ['2027-06-03', '2027-06-03'],
    ['2028-02-29', '2028-02-29'],
    ['  2027-07-01  ', '2027-07-01'],
  ])('the calendar date %j is taken as %s', (input, day) => {
    expect(parseDisclosureDate(input, ctx)).toEqual({ ok: true, value: day });
  });

  it.each([
    ['+30d', '2027-04-09'],
    ['+30D', '2027-04-09'],
    ['+30', '2027-04-09'],
    ['+0d', '2027-03-10'],
    ['+1d', '2027-03-11'],
    ['+3650d', '2037-03-07'],
  ])('%j counts days from today, giving %s', (input, day) => {
    expect(parseDisclosureDate(input, ctx)).toEqual({ ok: true, value: day });
  });

  it('"+Nd" counts from today in the policy’s time zone, not in UTC', () => {
    // 23:30 UTC on 10 March is already 11 March in Tokyo.
    const late = { ...ctx, now: at('2027-03-10T23:30:00Z') };
    expect(parseDisclosureDate('+1d', { ...late, timeZone: 'UTC' })).toEqual({
      ok: true,
      value: '2027-03-11',
    });
    expect(parseDisclosureDate('+1d', { ...late, timeZone: 'Asia/Tokyo' })).toEqual({
      ok: true,
      value: '2027-03-12',
    });
  });

  it.each([
    '2027-02-30',
    '2027-02-29',
    '2027-13-01',
    '2027-00-10',
    '27-03-01',
    '2027-3-1',
    '2027/03/01',
    '01-03-2027',
    '2027-03-01T00:00',
    'tomorrow',
    'next week',
    '+d',
    '+',
    '-5d',
    '+1w',
    '+99999d',
    '',
    '   ',
  ])('%j is not a date and is refused', (input) => {
    const result = refused(input, 'disclosure.invalid_date');
    if (!result.ok) expect(result.error.message).toMatch(/YYYY-MM-DD|more than ten years/);
  });

  it('an offset of more than ten years is refused with that reason', () => {
    const result = refused('+3651d', 'disclosure.invalid_date');
    if (!result.ok) expect(result.error.message).toBe('+3651d is more than ten years away.');
  });

  it('a date before the report was received is refused, never adjusted, and the message names the receipt date', () => {
    const result = refused('2027-03-04', 'disclosure.before_receipt');
    if (!result.ok) {
      expect(result.error.message).toBe(
        '2027-03-04 is before the report was received (2027-03-05); choose 2027-03-05 or later.',
      );
    }
    refused('2020-01-01', 'disclosure.before_receipt');
  });

  it('the receipt date itself is accepted (disclosure on the day of receipt is allowed)', () => {
    expect(parseDisclosureDate('2027-03-05', ctx)).toEqual({ ok: true, value: '2027-03-05' });
  });

  it('a date between receipt and today is accepted: only receipt is the floor', () => {
    expect(parseDisclosureDate('2027-03-07', ctx)).toEqual({ ok: true, value: '2027-03-07' });
  });

  it('the receipt date is read in the policy’s time zone', () => {
    // Received 20:00 UTC 5 March = 6 March in Tokyo: 5 March is before receipt there, but not in UTC.
    const tokyo = { ...ctx, timeZone: 'Asia/Tokyo', receivedAt: at('2027-03-05T20:00:00Z') };
    expect(parseDisclosureDate('2027-03-05', tokyo).ok).toBe(false);
    expect(parseDisclosureDate('2027-03-06', tokyo)).toEqual({ ok: true, value: '2027-03-06' });
    expect(parseDisclosureDate('2027-03-05', { ...tokyo, timeZone: 'UTC' }).ok).toBe(true);
  });
});

describe('remediationDueOn: the remediation target by severity (default policy)', () => {
  const triagedAt = at('2027-03-05T16:00:00Z');

  it.each([
    ['critical', '2027-03-12'],
    ['high', '2027-04-04'],
    ['medium', '2027-06-03'],
    ['low', '2027-09-01'],
  ] as const)('a %s report must be fixed by %s (7 / 30 / 90 / 180 calendar days)', (severity, day) => {
    expect(remediationDueOn(severity, triagedAt, DEFAULT_POLICY)).toBe(day);
  });

  it('a report of severity none has no remediation target', () => {
    expect(remediationDueOn('none', triagedAt, DEFAULT_POLICY)).toBeNull();
  });

  it('counts from the local date in the policy’s time zone', () => {
    // 20:00 UTC 5 March is 6 March in Tokyo.
    expect(remediationDueOn('critical', at('2027-03-05T20:00:00Z'), inZone('Asia/Tokyo'))).toBe('2027-03-13');
  });

  it('uses the configured number of days', () => {
    const policy = { ...DEFAULT_POLICY, remediationDays: { critical: 1, high: 2, medium: 3, low: 4 } };
    expect(remediationDueOn('critical', triagedAt, policy)).toBe('2027-03-06');
    expect(remediationDueOn('low', triagedAt, policy)).toBe('2027-03-09');
  });
});

describe('daysUntil and local dates', () => {
  const now = at('2027-03-10T23:30:00Z');

  it('counts whole calendar days from today to a date, negative once it has passed', () => {
    expect(daysUntil('2027-03-10', now, 'UTC')).toBe(0);
    expect(daysUntil('2027-03-11', now, 'UTC')).toBe(1);
    expect(daysUntil('2027-03-24', now, 'UTC')).toBe(14);
    expect(daysUntil('2027-03-09', now, 'UTC')).toBe(-1);
    expect(daysUntil('2027-03-01', now, 'UTC')).toBe(-9);
  });

  it('"today" is the date in the policy’s time zone (Tokyo is already on 11 March)', () => {
    expect(daysUntil('2027-03-12', now, 'Asia/Tokyo')).toBe(1);
    expect(daysUntil('2027-03-12', now, 'UTC')).toBe(2);
    expect(daysUntil('2027-03-12', now, 'America/New_York')).toBe(2);
  });

  it('counts calendar days, not 24-hour periods, across a DST change', () => {
    expect(daysUntil('2027-03-15', at('2027-03-13T12:00:00Z'), 'America/New_York')).toBe(2);
    expect(daysUntil('2027-11-08', at('2027-11-06T12:00:00Z'), 'America/New_York')).toBe(2);
  });

  it('calendarDaysBetween counts dates across month, year and leap-day boundaries', () => {
    expect(calendarDaysBetween('2027-03-10', '2027-03-10')).toBe(0);
    expect(calendarDaysBetween('2027-12-31', '2028-01-01')).toBe(1);
    expect(calendarDaysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(calendarDaysBetween('2027-03-28', '2027-03-27')).toBe(-1);
    expect(calendarDaysBetween('2026-11-26', '2027-02-24')).toBe(90);
  });

  it('localDate gives the calendar date of an instant in a zone', () => {
    expect(localDate(now, 'UTC')).toBe('2027-03-10');
    expect(localDate(now, 'Asia/Tokyo')).toBe('2027-03-11');
    expect(localDate(at('2027-03-11T03:00:00Z'), 'America/New_York')).toBe('2027-03-10');
  });

  it('addLocalDays adds calendar days across month, year and leap-day boundaries', () => {
    expect(addLocalDays('2027-12-31', 1)).toBe('2028-01-01');
    expect(addLocalDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addLocalDays('2027-03-13', 1)).toBe('2027-03-14');
    expect(addLocalDays('2027-03-05', 90)).toBe('2027-06-03');
  });
});
