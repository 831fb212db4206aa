import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Repositories, Store } from '../../../src/ports/store.ts';
import { createScheduler, type Scheduler } from '../../../src/scheduling/scheduler.ts';
import { coreDeps, TEST_POLICY } from '../../support/core.ts';
import { postgresTestStore, type TestStore } from '../../support/databases.ts';
import { type OutboxTable, outboxTable } from './support/outbox-table.ts';

const MINUTE = 60_000;

/**
 * Replicas sharing one PostgreSQL database, each with its own clock: the wall clock of the test plus a
 * fixed skew. `at` moves the shared time; `tickAll` ticks every running replica at once.
 */
const replicas = (
  store: Store,
  options: { zone: string; time: string; weekdaysOnly?: boolean; skewsMs: number[] },
) => {
  let base = 0;
  const make = (name: string, skewMs: number) => {
    const core = coreDeps(store, {
      now: () => new Date(base + skewMs),
      policy: { ...TEST_POLICY, timeZone: options.zone },
      triagePlatforms: ['slack', 'discord'],
    });
    return createScheduler({
      core,
      schedule: { time: options.time, weekdaysOnly: options.weekdaysOnly ?? false },
      claimedBy: name,
      wakeOutbox: () => {},
    });
  };
  const running = new Map<string, Scheduler>(
    options.skewsMs.map((skew, i) => [`replica-${i + 1}`, make(`replica-${i + 1}`, skew)]),
  );
  return {
    at(iso: string) {
      base = new Date(iso).getTime();
    },
    advance(ms: number) {
      base += ms;
    },
    async tickAll() {
      const results = await Promise.all([...running.values()].map((s) => s.tick()));
      return results.reduce((sum, r) => sum + r.digests, 0);
    },
    /** A crash: the replica does nothing until restarted (with a new scheduler, as a new process would). */
    down(name: string) {
      running.delete(name);
    },
    up(name: string, skewMs = 0) {
      running.set(name, make(name, skewMs));
    },
  };
};

describe('the daily digest on several replicas', () => {
  let pg: TestStore;
  let table: OutboxTable;

  /** Digest rows, as `platform day`. */
  const digests = async () =>
    (await table.all())
      .filter((r) => r.payload.type === 'digest')
      .map((r) => `${r.platform} ${r.payload.type === 'digest' ? r.payload.digest.day : ''}`);
  const claims = async () =>
    (
      await table.sql`select destination, day::text as day, claimed_by, claimed_at from digest_claims order by day, destination`
    ).map((r) => ({
      destination: r.destination,
      day: r.day,
      by: r.claimed_by,
      at: new Date(r.claimed_at).toISOString(),
    }));

  beforeAll(async () => {
    pg = await postgresTestStore();
    table = outboxTable(pg.url ?? '');
  });
  beforeEach(async () => {
    await pg.reset();
    await table.sql`truncate digest_claims, reminders`;
  });
  afterAll(async () => {
    await table?.close();
    await pg?.close();
  });

  it('three replicas with skewed clocks, ticking together all day long, post one digest per destination per day', async () => {
    const cluster = replicas(pg.store, {
      zone: 'America/New_York',
      time: '09:00',
      skewsMs: [0, 90_000, -150_000],
    });
    // Thursday 26 November 2026 from 08:57 EST, every minute around 09:00 and every 7 minutes after that,
    // for two days; each tick runs on all three replicas at once.
    cluster.at('2026-11-26T13:57:00Z');
    const posted: number[] = [];
    for (let minute = 0; minute < 2 * 24 * 60; ) {
      posted.push(await cluster.tickAll());
      const step = minute < 10 ? 1 : 7;
      cluster.advance(step * MINUTE);
      minute += step;
    }
    expect(posted.reduce((a, b) => a + b, 0)).toBe(4);
    expect((await digests()).sort()).toEqual([
      'discord 2026-11-26',
      'discord 2026-11-27',
      'slack 2026-11-26',
      'slack 2026-11-27',
    ]);
    // The replica whose clock runs 90 s ahead reached 09:00 first, and its claim is the one that counts.
    const day1 = (await claims()).filter((c) => c.day === '2026-11-26');
    expect(day1.map((c) => c.by)).toEqual(['replica-2', 'replica-2']);
    expect(day1[0]?.at).toBe('2026-11-26T14:00:30.000Z'); // the tick at 13:59Z base, 14:00:30 on its clock
  });

  it('a restart does not post again, and when every replica was down at 09:00 the first one back posts it once', async () => {
    const cluster = replicas(pg.store, { zone: 'Europe/Berlin', time: '09:00', skewsMs: [0, 0, 0] });
    cluster.at('2026-11-26T08:05:00Z'); // 09:05 CET
    expect(await cluster.tickAll()).toBe(2);
    // Every replica restarts (new processes, new identities) later that day: nothing more.
    for (const name of ['replica-1', 'replica-2', 'replica-3']) {
      cluster.down(name);
      cluster.up(name);
    }
    cluster.advance(3 * 60 * MINUTE);
    expect(await cluster.tickAll()).toBe(0);

    // Friday: all three are down from 08:00 until 15:40; the first one back posts the day's digest.
    for (const name of ['replica-1', 'replica-2', 'replica-3']) cluster.down(name);
    cluster.at('2026-11-27T14:40:00Z');
    cluster.up('replica-3');
    expect(await cluster.tickAll()).toBe(2);
    cluster.up('replica-1');
    cluster.up('replica-2');
    for (let i = 0; i < 10; i += 1) {
      expect(await cluster.tickAll()).toBe(0);
      cluster.advance(30 * MINUTE);
    }
    expect((await digests()).sort()).toEqual([
      'discord 2026-11-26',
      'discord 2026-11-27',
      'slack 2026-11-26',
      'slack 2026-11-27',
    ]);
  });

  it('a digest whose outbox row could not be written is not lost: the claim rolls back with it', async () => {
    // The first transaction fails after the claim, while queueing the message (e.g. the database
    // connection drops): the claim must not survive without its message.
    let failNext = true;
    const store: Store = {
      ...pg.store,
      transaction: (work) =>
        pg.store.transaction((repos) => {
          if (!failNext) return work(repos);
          failNext = false;
          const failing: Repositories = {
            ...repos,
            outbox: {
              ...repos.outbox,
              enqueue: async () => {
                throw new Error('connection terminated');
              },
            },
          };
          return work(failing);
        }),
    };
    const cluster = replicas(store, { zone: 'UTC', time: '09:00', skewsMs: [0] });
    cluster.at('2026-11-26T09:30:00Z');
    await expect(cluster.tickAll()).rejects.toThrow('connection terminated');
    expect(await claims()).toEqual([]);
    cluster.advance(MINUTE);
    expect(await cluster.tickAll()).toBe(2);
    expect((await digests()).sort()).toEqual(['discord 2026-11-26', 'slack 2026-11-26']);
  });

  it('weekdays only: Friday and Monday get a digest, Saturday and Sunday none (local days)', async () => {
    const cluster = replicas(pg.store, {
      zone: 'Asia/Tokyo',
      time: '09:00',
      weekdaysOnly: true,
      skewsMs: [0, 30_000, -30_000],
    });
    cluster.at('2026-11-26T15:05:00Z'); // Friday 27 November, 00:05 in Tokyo
    for (let hour = 0; hour < 4 * 24; hour += 1) {
      await cluster.tickAll();
      cluster.advance(60 * MINUTE);
    }
    expect((await digests()).filter((d) => d.startsWith('slack'))).toEqual([
      'slack 2026-11-27',
      'slack 2026-11-30',
    ]);
  });

  it.each([
    // zone, DIGEST_TIME, from, to (UTC), expected day, when it is first due (UTC)
    [
      'America/New_York',
      '02:30',
      '2026-03-08T05:00:00Z',
      '2026-03-08T16:00:00Z',
      '2026-03-08',
      '2026-03-08T07:00:00.000Z',
    ],
    [
      'America/New_York',
      '01:30',
      '2026-11-01T04:00:00Z',
      '2026-11-01T10:00:00Z',
      '2026-11-01',
      '2026-11-01T05:30:00.000Z',
    ],
    [
      'Europe/Berlin',
      '02:30',
      '2026-03-28T23:00:00Z',
      '2026-03-29T12:00:00Z',
      '2026-03-29',
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'Europe/Berlin',
      '02:30',
      '2026-10-24T22:00:00Z',
      '2026-10-25T12:00:00Z',
      '2026-10-25',
      '2026-10-25T00:30:00.000Z',
    ],
  ])(
    'daylight saving: %s at %s, ticking every 10 minutes from %s to %s, posts once for %s (first due %s)',
    async (zone, time, from, to, day, firstDue) => {
      const cluster = replicas(pg.store, { zone, time, skewsMs: [0, 0, 0] });
      cluster.at(from);
      while (Date.parse(from) <= Date.parse(to)) {
        await cluster.tickAll();
        cluster.advance(10 * MINUTE);
        from = new Date(Date.parse(from) + 10 * MINUTE).toISOString();
      }
      expect(await digests()).toEqual(expect.arrayContaining([`slack ${day}`, `discord ${day}`]));
      expect(await digests()).toHaveLength(2);
      expect((await claims()).map((c) => c.at)).toEqual([firstDue, firstDue]);
    },
  );
});
