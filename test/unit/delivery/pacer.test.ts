import { describe, expect, it } from 'vitest';
import { createPacer } from '../../../src/delivery/pacer.ts';

const clock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('the slot-reserving pacer (burst 3, one a second)', () => {
  it('lets a burst of three go at once, then gives each later post its own slot a second apart', () => {
    const time = clock();
    const pacer = createPacer({ burst: 3, intervalMs: 1000 }, time.now);
    const waits = Array.from({ length: 7 }, () => pacer.reserve('slack|triage'));
    expect(waits).toEqual([0, 0, 0, 1000, 2000, 3000, 4000]);
  });

  it('counts a reserved slot as taken: when its time comes, the next post waits for the slot after the last one', () => {
    const time = clock();
    const pacer = createPacer({ burst: 3, intervalMs: 1000 }, time.now);
    for (let i = 0; i < 5; i += 1) pacer.reserve('k');
    time.advance(1000);
    // Slots at +1 s and +2 s are booked; the next free one is at +3 s, 2 s from now.
    expect(pacer.reserve('k')).toBe(2000);
  });

  it('refills after a quiet period, never beyond the burst', () => {
    const time = clock();
    const pacer = createPacer({ burst: 3, intervalMs: 1000 }, time.now);
    for (let i = 0; i < 3; i += 1) pacer.reserve('k');
    time.advance(10_000);
    expect([pacer.reserve('k'), pacer.reserve('k'), pacer.reserve('k'), pacer.reserve('k')]).toEqual([
      0, 0, 0, 1000,
    ]);
  });

  it('paces each destination on its own', () => {
    const time = clock();
    const pacer = createPacer({ burst: 1, intervalMs: 1000 }, time.now);
    expect([pacer.reserve('a'), pacer.reserve('b'), pacer.reserve('a'), pacer.reserve('b')]).toEqual([
      0, 0, 1000, 1000,
    ]);
  });

  it('after a partial refill, the wait is what is left of the interval', () => {
    const time = clock();
    const pacer = createPacer({ burst: 3, intervalMs: 1000 }, time.now);
    for (let i = 0; i < 3; i += 1) pacer.reserve('k');
    time.advance(400);
    expect(pacer.reserve('k')).toBe(600);
  });
});
