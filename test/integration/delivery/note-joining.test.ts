import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/report.ts';
import type { CoreDeps } from '../../../src/use-cases/context.ts';
import { setSeverity } from '../../../src/use-cases/triage-actions.ts';
import { alice, coreDeps } from '../../support/core.ts';
import { postgresTestStore, type TestStore } from '../../support/databases.ts';
import { fileReport } from '../../support/use-case-harness.ts';
import { type FaultySlack, startFaultySlack } from './support/faulty-slack.ts';
import { type OutboxTable, outboxTable } from './support/outbox-table.ts';
import { eventually, slackDelivery, slackWorker, TRIAGE_CHANNEL } from './support/slack-worker.ts';

const rita: Actor = { platform: 'slack', userId: 'URITA', displayName: 'rita' };
/** Each change flips the severity, so every click is a change with its own note. */
const severityOf = (n: number) => (n % 2 === 1 ? 'high' : 'medium');

describe('thread notes under paced posting', () => {
  let pg: TestStore;
  let slack: FaultySlack;
  let table: OutboxTable;
  let core: CoreDeps;

  beforeAll(async () => {
    pg = await postgresTestStore();
    slack = await startFaultySlack();
    table = outboxTable(pg.url ?? '');
  });
  beforeEach(async () => {
    await pg.reset();
    slack.answered.length = 0;
    slack.setPlan(null);
    core = coreDeps(pg.store, { now: () => new Date() });
  });
  afterAll(async () => {
    await slack?.close();
    await table?.close();
    await pg?.close();
  });

  /** The thread posts under each card, by the card's message ts. */
  const threadPosts = () =>
    slack
      .accepted('chat.postMessage')
      .filter((a) => a.call.args.thread_ts !== undefined)
      .map((a) => ({ thread: String(a.call.args.thread_ts), lines: String(a.call.args.text).split('\n') }));

  it('go out joined per card: every change once, in order, in fewer posts than changes', async () => {
    const CHANGES = 8;
    const first = await fileReport(core, { by: rita });
    const second = await fileReport(core, { by: rita });
    // One post a second per channel: the notes of each card queue up behind their first one.
    const worker = slackWorker(
      pg.store,
      slackDelivery(slack.api.url, { pacing: { burst: 2, intervalMs: 700 } }),
      {
        workerId: 'joining',
      },
    );
    worker.start();
    try {
      await eventually(
        () => slack.accepted('chat.postMessage').filter((a) => !a.call.args.thread_ts).length >= 2,
        10_000,
      );
      for (let n = 1; n <= CHANGES; n += 1) {
        for (const report of [first, second]) {
          const changed = await setSeverity(core, alice, report.id, severityOf(n));
          if (!changed.ok) throw new Error(changed.error.message);
        }
        worker.wake();
      }
      await eventually(async () => (await table.undelivered()) === 0, 20_000);
    } finally {
      await worker.stop();
    }

    const posts = threadPosts();
    expect(posts.length).toBeLessThan(2 * CHANGES);
    const cards = [...new Set(posts.map((p) => p.thread))];
    expect(cards).toHaveLength(2);
    for (const thread of cards) {
      const lines = posts.filter((p) => p.thread === thread).flatMap((p) => p.lines);
      // Each change's note exactly once, oldest first: nothing lost, nothing sent twice.
      expect(lines).toHaveLength(CHANGES);
      expect(lines.map((line) => /\b(high|medium)\b/i.exec(line)?.[1]?.toLowerCase())).toEqual(
        Array.from({ length: CHANGES }, (_, i) => severityOf(i + 1)),
      );
    }
    const rows = await table.all();
    expect(rows.every((r) => r.state === 'delivered' && r.claimedBy === null)).toBe(true);
  }, 40_000);

  it('a stopping worker hands back the slots it booked: waiting posts become due at once, unclaimed', async () => {
    for (let i = 0; i < 6; i += 1) {
      await pg.store.outbox.enqueue({
        platform: 'slack',
        destination: 'triage',
        reportId: null,
        payload: { type: 'channel_text', title: `announcement ${i}`, lines: ['x'] },
        createdAt: new Date(),
      });
    }
    // One post every 30 s: after the first, each waits for a slot far ahead.
    const worker = slackWorker(
      pg.store,
      slackDelivery(slack.api.url, { pacing: { burst: 1, intervalMs: 30_000 } }),
      {
        workerId: 'booker',
      },
    );
    await worker.runOnce();
    const deferred = (await table.all()).filter((r) => r.state === 'pending');
    expect(deferred).toHaveLength(5);
    expect(deferred.every((r) => r.nextAttemptAt.getTime() > Date.now() + 20_000)).toBe(true);

    await worker.stop();
    const after = (await table.all()).filter((r) => r.state === 'pending');
    expect(after).toHaveLength(5);
    expect(after.every((r) => r.claimedBy === null && r.nextAttemptAt.getTime() <= Date.now())).toBe(true);

    // Another replica sends them without waiting for the stopped worker's slots.
    const next = slackWorker(pg.store, slackDelivery(slack.api.url, { pacing: null }), { workerId: 'next' });
    await next.drain();
    const titles = slack
      .accepted('chat.postMessage')
      .filter((a) => a.call.args.channel === TRIAGE_CHANNEL)
      .map((a) => String(a.call.args.text));
    expect(titles).toHaveLength(6);
    expect(new Set(titles).size).toBe(6);
  }, 30_000);
});
