import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Platform } from '../../src/domain/report.ts';
import type { ClaimRequest, NewOutboxMessage, OutboxMessage, Store } from '../../src/ports/store.ts';
import { STORE_KINDS, type TestStore } from '../support/databases.ts';
import { withFastReset } from '../support/fast-reset.ts';

const T0 = new Date('2026-11-26T09:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const LEASE_MS = 30_000;

const message = (overrides: Partial<NewOutboxMessage> = {}): NewOutboxMessage => ({
  platform: 'slack',
  destination: 'triage',
  reportId: 'VULN-0001',
  payload: { type: 'thread_note', text: 'hello' },
  createdAt: T0,
  ...overrides,
});

const note = (text: string, overrides: Partial<NewOutboxMessage> = {}) =>
  message({ payload: { type: 'thread_note', text }, ...overrides });

const textOf = (m: OutboxMessage) => (m.payload.type === 'thread_note' ? m.payload.text : m.payload.type);

describe.each(STORE_KINDS)('outbox repository on %s', (kind, openStore) => {
  let testStore: TestStore;
  let store: Store;

  beforeAll(async () => {
    testStore = withFastReset(await openStore());
    store = testStore.store;
  });
  beforeEach(async () => {
    await testStore.reset();
  });
  afterAll(async () => {
    await testStore?.close();
  });

  const claim = (workerId: string, now: Date, overrides: Partial<ClaimRequest> = {}) =>
    store.outbox.claimDue({
      workerId,
      now,
      leaseMs: LEASE_MS,
      limit: 100,
      platforms: ['slack', 'discord', 'console'],
      ...overrides,
    });

  const enqueueAll = async (...messages: NewOutboxMessage[]) => {
    for (const m of messages) await store.outbox.enqueue(m);
  };

  describe('enqueue and claimDue', () => {
    it('claims a due message with every field as enqueued, counting the attempt', async () => {
      await store.outbox.enqueue(
        message({
          platform: 'discord',
          destination: 'user:123456',
          payload: {
            type: 'reporter_notice',
            notice: {
              kind: 'received',
              reportId: 'VULN-0001',
              title: 'SQLi "quoted" 🔓',
              lines: ['one', 'two'],
              canReply: false,
            },
          },
        }),
      );

      const [claimed, ...rest] = await claim('w1', T0);

      expect(rest).toEqual([]);
      expect(claimed).toEqual({
        id: expect.any(Number),
        platform: 'discord',
        destination: 'user:123456',
        reportId: 'VULN-0001',
        payload: {
          type: 'reporter_notice',
          notice: {
            kind: 'received',
            reportId: 'VULN-0001',
            title: 'SQLi "quoted" 🔓',
            lines: ['one', 'two'],
            canReply: false,
          },
        },
        state: 'pending',
        attempts: 1,
        lastError: null,
        createdAt: T0,
        nextAttemptAt: T0,
      });
    });

    it('claims nothing from an empty outbox', async () => {
      expect(await claim('w1', T0)).toEqual([]);
    });

    it('does not claim a message before it is due', async () => {
      await store.outbox.enqueue(message({ createdAt: at(1000) }));

      expect(await claim('w1', at(999))).toEqual([]);
      expect(await claim('w1', at(1000))).toHaveLength(1);
    });

    it('claims the oldest messages first and at most `limit` of them', async () => {
      await enqueueAll(...['A', 'B', 'C', 'D'].map((r) => message({ reportId: r })));

      const first = await claim('w1', T0, { limit: 3 });
      const second = await claim('w1', T0, { limit: 3 });

      expect(first.map((m) => m.reportId)).toEqual(['A', 'B', 'C']);
      expect(second.map((m) => m.reportId)).toEqual(['D']);
    });

    it('claims only the platforms asked for, and nothing for an empty platform list', async () => {
      await enqueueAll(
        message({ platform: 'slack' }),
        message({ platform: 'discord' }),
        message({ platform: 'console' }),
      );

      expect(await claim('w1', T0, { platforms: [] })).toEqual([]);
      expect((await claim('w1', T0, { platforms: ['discord'] })).map((m) => m.platform)).toEqual(['discord']);
      expect((await claim('w2', T0)).map((m) => m.platform).sort()).toEqual(['console', 'slack']);
    });
  });

  describe('ordering per platform, destination and report', () => {
    it('holds back a later message for the same report until the earlier one is delivered', async () => {
      await enqueueAll(note('first'), note('second'), note('third'));

      const [first, ...others] = await claim('w1', T0);
      expect(first && textOf(first)).toBe('first');
      expect(others).toEqual([]);
      expect(await claim('w2', at(1))).toEqual([]);
      expect((await claim('w2', at(LEASE_MS * 10))).map(textOf)).toEqual(['first']);

      await store.outbox.markDelivered(first?.id ?? 0, 'w2', T0);
      expect((await claim('w1', T0)).map(textOf)).toEqual(['second']);
    });

    it('keeps the order while the earlier message waits for a retry', async () => {
      await enqueueAll(note('first'), note('second'));
      const [first] = await claim('w1', T0);
      await store.outbox.scheduleRetry(first?.id ?? 0, 'w1', at(60_000), 'HTTP 503');

      expect(await claim('w1', at(59_999))).toEqual([]);
      const retried = await claim('w1', at(60_000));
      expect(retried.map(textOf)).toEqual(['first']);
      expect(retried[0]?.attempts).toBe(2);
      expect(retried[0]?.lastError).toBe('HTTP 503');
    });

    it('delivers other destinations, reports and platforms independently', async () => {
      await enqueueAll(
        note('triage A 1', { reportId: 'A' }),
        note('triage A 2', { reportId: 'A' }),
        note('dm A', { reportId: 'A', destination: 'user:1' }),
        note('discord triage A', { reportId: 'A', platform: 'discord' }),
        note('triage B', { reportId: 'B' }),
      );

      expect((await claim('w1', T0)).map(textOf)).toEqual([
        'triage A 1',
        'dm A',
        'discord triage A',
        'triage B',
      ]);
    });

    it('does not hold messages without a report (digests, reminders) behind one another', async () => {
      await enqueueAll(
        note('digest 1', { reportId: null }),
        note('digest 2', { reportId: null }),
        note('report note'),
        note('later report note'),
      );

      expect((await claim('w1', T0)).map(textOf)).toEqual(['digest 1', 'digest 2', 'report note']);
    });

    it('lets a parked (failed) message block the later ones until it is requeued', async () => {
      await enqueueAll(note('first'), note('second'));
      const [first] = await claim('w1', T0);
      await store.outbox.park(first?.id ?? 0, 'w1', 'HTTP 400 invalid_blocks');

      expect(await claim('w1', at(1))).toEqual([]);

      expect(await store.outbox.requeueFailed(at(5))).toBe(1);
      const again = await claim('w1', at(5));
      expect(again.map(textOf)).toEqual(['first']);
      expect(again[0]).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: at(5) });

      await store.outbox.markDelivered(again[0]?.id ?? 0, 'w1', at(5));
      expect((await claim('w1', at(5))).map(textOf)).toEqual(['second']);
    });
  });

  describe('leases', () => {
    it('does not give a claimed message to another worker until its lease expires', async () => {
      await store.outbox.enqueue(message());
      const [claimed] = await claim('w1', T0);

      expect(await claim('w2', at(1))).toEqual([]);
      expect(await claim('w2', at(LEASE_MS))).toEqual([]);
      const reclaimed = await claim('w2', at(LEASE_MS + 1));

      expect(reclaimed.map((m) => m.id)).toEqual([claimed?.id]);
      expect(reclaimed[0]?.attempts).toBe(2);
    });

    it('ignores markDelivered, scheduleRetry and park from a worker that does not hold the claim', async () => {
      await store.outbox.enqueue(message());
      const [claimed] = await claim('w1', T0);
      const id = claimed?.id ?? 0;

      await store.outbox.markDelivered(id, 'w2', T0);
      await store.outbox.scheduleRetry(id, 'w2', at(1), 'late');
      await store.outbox.park(id, 'w2', 'late');

      expect(await store.outbox.stats()).toEqual({ pending: 1, failed: 0, oldestPendingAt: T0 });
      expect(await claim('w3', at(LEASE_MS + 1))).toMatchObject([{ id, lastError: null, nextAttemptAt: T0 }]);
    });

    it('ignores the first worker once its expired lease went to another worker', async () => {
      await enqueueAll(note('first'), note('second'));
      const [first] = await claim('w1', T0);
      await claim('w2', at(LEASE_MS + 1));

      await store.outbox.markDelivered(first?.id ?? 0, 'w1', at(LEASE_MS + 2));

      expect(await store.outbox.stats()).toMatchObject({ pending: 2 });
      await store.outbox.markDelivered(first?.id ?? 0, 'w2', at(LEASE_MS + 2));
      expect(await store.outbox.stats()).toMatchObject({ pending: 1 });
    });

    it('release hands a worker’s claimed messages back at once, without counting the attempt', async () => {
      await enqueueAll(message({ reportId: 'A' }), message({ reportId: 'B' }), message({ reportId: 'C' }));
      await claim('w1', T0, { limit: 2 });
      await claim('w2', T0);

      await store.outbox.release('w1');

      const reclaimed = await claim('w3', at(1));
      expect(reclaimed.map((m) => [m.reportId, m.attempts])).toEqual([
        ['A', 1],
        ['B', 1],
      ]);
    });

    it('never gives the same message to two workers claiming at the same moment', async () => {
      const keys = 40;
      // PostgreSQL runs the claims truly in parallel (SKIP LOCKED); PGlite serialises them.
      const rounds = kind === 'PostgreSQL' ? 25 : 3;
      for (let round = 0; round < rounds; round++) {
        // Earlier rounds' messages stay leased at T0, so each round competes for its own 40 only.
        await store.transaction(async (repos) => {
          for (let i = 0; i < keys; i++) {
            await repos.outbox.enqueue(message({ reportId: `R${round}-${i}` }));
            await repos.outbox.enqueue(note('later', { reportId: `R${round}-${i}` }));
          }
        });

        const claims = await Promise.all(['a', 'b', 'c', 'd'].map((worker) => claim(worker, T0)));

        const ids = claims.flat().map((m) => m.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toHaveLength(keys);
        expect(claims.flat().every((m) => m.attempts === 1 && textOf(m) === 'hello')).toBe(true);
      }
    });
  });

  describe('failed messages', () => {
    const parkAll = async (count: number) => {
      for (let i = 0; i < count; i++) await store.outbox.enqueue(message({ reportId: `R${i}` }));
      for (const m of await claim('w1', T0)) await store.outbox.park(m.id, 'w1', `error ${m.reportId}`);
    };

    it('listFailed lists parked messages oldest first, with their last error, up to the limit', async () => {
      await parkAll(3);

      const failed = await store.outbox.listFailed(2);

      expect(failed.map((m) => [m.reportId, m.state, m.lastError])).toEqual([
        ['R0', 'failed', 'error R0'],
        ['R1', 'failed', 'error R1'],
      ]);
    });

    it('requeueFailed with an ID requeues only that message; an ID that is not failed requeues nothing', async () => {
      await parkAll(2);
      const [first] = await store.outbox.listFailed(10);
      await store.outbox.enqueue(message({ reportId: 'pending' }));

      expect(await store.outbox.requeueFailed(T0, 999_999)).toBe(0);
      expect(await store.outbox.requeueFailed(T0, first?.id)).toBe(1);
      expect(await store.outbox.requeueFailed(T0, first?.id)).toBe(0);

      expect((await store.outbox.listFailed(10)).map((m) => m.reportId)).toEqual(['R1']);
      expect((await claim('w2', T0)).map((m) => m.reportId)).toEqual(['R0', 'pending']);
    });

    it('a parked message is never claimed, whatever the time', async () => {
      await parkAll(1);

      expect(await claim('w2', new Date('2100-01-01T00:00:00Z'))).toEqual([]);
    });
  });

  describe('stats', () => {
    it('is empty for an empty outbox', async () => {
      expect(await store.outbox.stats()).toEqual({ pending: 0, failed: 0, oldestPendingAt: null });
    });

    it('counts pending and failed messages and dates the oldest pending one; delivered ones drop out', async () => {
      await enqueueAll(
        message({ reportId: 'A', createdAt: at(1000) }),
        message({ reportId: 'B', createdAt: at(2000) }),
        message({ reportId: 'C', createdAt: at(3000) }),
        message({ reportId: 'D', createdAt: at(4000) }),
      );
      const claimed = await claim('w1', at(4000));
      const byReport = (r: string) => claimed.find((m) => m.reportId === r)?.id ?? 0;
      await store.outbox.markDelivered(byReport('A'), 'w1', at(5000));
      await store.outbox.park(byReport('B'), 'w1', 'gone');

      expect(await store.outbox.stats()).toEqual({ pending: 2, failed: 1, oldestPendingAt: at(3000) });
    });
  });

  it('stores each platform’s messages under the platform given', async () => {
    const platforms: Platform[] = ['slack', 'discord', 'console'];
    for (const platform of platforms) await store.outbox.enqueue(message({ platform }));

    for (const platform of platforms) {
      expect((await claim(`w-${platform}`, T0, { platforms: [platform] })).map((m) => m.platform)).toEqual([
        platform,
      ]);
    }
  });
});
