import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxWorker } from '../../../src/delivery/outbox-worker.ts';
import type { ChatDelivery } from '../../../src/ports/chat-delivery.ts';
import { postgresTestStore, type TestStore } from '../../support/databases.ts';
import { type FaultySlack, startFaultySlack } from './support/faulty-slack.ts';
import { type OutboxTable, outboxTable } from './support/outbox-table.ts';
import { eventually, slackDelivery, slackWorker, sleep } from './support/slack-worker.ts';

interface Attempt {
  readonly worker: string;
  readonly outboxId: number;
  readonly title: string;
  readonly at: number;
}

const titleOf = (key: number, n: number) => `message ${n} for key ${key}`;

describe('several outbox workers on one PostgreSQL database', () => {
  let pg: TestStore;
  let slack: FaultySlack;
  let table: OutboxTable;
  let workers: OutboxWorker[] = [];
  let attempts: Attempt[] = [];

  /** The real Slack delivery, noting which worker sent which row. */
  const tracked = (worker: string, inner: ChatDelivery): ChatDelivery => ({
    platform: inner.platform,
    async deliver(item) {
      const payload = item.message.payload;
      attempts.push({
        worker,
        outboxId: item.message.id,
        title: payload.type === 'channel_text' ? payload.title : payload.type,
        at: Date.now(),
      });
      return inner.deliver(item);
    },
  });

  const enqueue = async (keys: number, perKey: number) => {
    for (let n = 0; n < perKey; n += 1) {
      for (let key = 0; key < keys; key += 1) {
        await pg.store.outbox.enqueue({
          platform: 'slack',
          destination: 'triage',
          reportId: `VULN-${String(key + 1).padStart(4, '0')}`,
          payload: { type: 'channel_text', title: titleOf(key, n), lines: ['x'] },
          createdAt: new Date(),
        });
      }
    }
  };

  const accepted = () => slack.accepted('chat.postMessage').map((a) => String(a.call.args.text));

  beforeAll(async () => {
    pg = await postgresTestStore();
    slack = await startFaultySlack();
    table = outboxTable(pg.url ?? '');
  });
  beforeEach(async () => {
    await pg.reset();
    slack.answered.length = 0;
    attempts = [];
  });
  afterEach(async () => {
    for (const worker of workers) await worker.stop();
    workers = [];
  });
  afterAll(async () => {
    await slack?.close();
    await table?.close();
    await pg?.close();
  });

  it('three workers never send the same row twice, and keep each key in order', async () => {
    const KEYS = 60;
    const PER_KEY = 4;
    slack.setPlan(() => ({ kind: 'slow', ms: 4 }));
    await enqueue(KEYS, PER_KEY);
    for (const id of ['w1', 'w2', 'w3']) {
      const worker = slackWorker(pg.store, tracked(id, slackDelivery(slack.api.url, { pacing: null })), {
        workerId: id,
        batchSize: 7,
      });
      workers.push(worker);
    }
    for (const worker of workers) worker.start();
    await eventually(async () => (await table.undelivered()) === 0, 30_000);

    const texts = accepted();
    expect(texts).toHaveLength(KEYS * PER_KEY);
    expect(new Set(texts).size).toBe(KEYS * PER_KEY);
    const perRow = new Map<number, number>();
    for (const a of attempts) perRow.set(a.outboxId, (perRow.get(a.outboxId) ?? 0) + 1);
    expect([...perRow.values()].every((n) => n === 1)).toBe(true);
    // The work was really shared.
    const byWorker = new Set(attempts.map((a) => a.worker));
    expect(byWorker.size).toBe(3);
    // Per key, in the order written.
    for (let key = 0; key < KEYS; key += 1) {
      const mine = texts.filter((t) => t.endsWith(`for key ${key}`));
      expect(mine).toEqual(Array.from({ length: PER_KEY }, (_, n) => titleOf(key, n)));
    }
  }, 40_000);

  it('rows held by a worker that died are reclaimed once its lease expires, and sent once', async () => {
    await enqueue(5, 1);
    const LEASE_MS = 1500;
    // The lease runs from the claim's `now`, so that instant (not the end of the query) is when it died.
    const diedAt = Date.now();
    const dead = await pg.store.outbox.claimDue({
      workerId: 'dead-worker',
      now: new Date(diedAt),
      leaseMs: LEASE_MS,
      limit: 3,
      platforms: ['slack'],
    });
    expect(dead).toHaveLength(3);
    const worker = slackWorker(pg.store, tracked('alive', slackDelivery(slack.api.url, { pacing: null })), {
      workerId: 'alive',
      leaseMs: LEASE_MS,
    });
    workers.push(worker);
    worker.start();

    await eventually(() => attempts.length === 2, 5000);
    // Half the lease after the claim, however long the two deliveries took.
    await sleep(diedAt + LEASE_MS / 2 - Date.now());
    // Still leased to the dead worker: nobody touches those rows.
    expect(attempts.map((a) => a.outboxId).sort()).toEqual([4, 5]);
    await eventually(async () => (await table.undelivered()) === 0, 10_000);
    const reclaimed = attempts.filter((a) => dead.some((d) => d.id === a.outboxId));
    expect(reclaimed.map((a) => a.outboxId).sort()).toEqual(dead.map((d) => d.id).sort());
    expect(reclaimed.every((a) => a.at >= diedAt + LEASE_MS - 50)).toBe(true);
    expect(accepted()).toHaveLength(5);
    expect(new Set(accepted()).size).toBe(5);
  }, 20_000);

  it('a worker slowed down past its lease gives the rest of its batch back instead of racing another worker', async () => {
    // Each post takes 150 ms; a batch of 12 takes 1.8 s, half again the 1.2 s lease (which leaves the
    // post started just before half the lease 600 ms to finish, ample on a loaded machine).
    const LEASE_MS = 1200;
    slack.setPlan(() => ({ kind: 'slow', ms: 150 }));
    await enqueue(12, 1);
    const slow = slackWorker(pg.store, tracked('slow', slackDelivery(slack.api.url, { pacing: null })), {
      workerId: 'slow',
      leaseMs: LEASE_MS,
      batchSize: 12,
    });
    workers.push(slow);
    slow.start();
    await eventually(() => attempts.length > 0, 5000);
    const other = slackWorker(pg.store, tracked('other', slackDelivery(slack.api.url, { pacing: null })), {
      workerId: 'other',
      leaseMs: LEASE_MS,
      batchSize: 12,
    });
    workers.push(other);
    other.start();
    await eventually(async () => (await table.undelivered()) === 0, 15_000);
    await sleep(300); // anything still in flight lands

    const texts = accepted();
    const twice = texts.filter((t, i) => texts.indexOf(t) !== i);
    expect(twice).toEqual([]);
    expect(texts).toHaveLength(12);
    // A row is only sent while its sender still holds the lease.
    const rows = await table.all();
    expect(rows.every((r) => r.state === 'delivered' && r.claimedBy === null)).toBe(true);
  }, 30_000);
});
