import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_PACING } from '../../../adapters/slack/slack-delivery.ts';
import { postgresTestStore, type TestStore } from '../../support/databases.ts';
import { type FaultySlack, startFaultySlack } from './support/faulty-slack.ts';
import { type OutboxTable, outboxTable } from './support/outbox-table.ts';
import { eventually, slackDelivery, slackWorker, TRIAGE_CHANNEL } from './support/slack-worker.ts';

describe('pacing posts per destination', () => {
  let pg: TestStore;
  let slack: FaultySlack;
  let table: OutboxTable;

  beforeAll(async () => {
    pg = await postgresTestStore();
    slack = await startFaultySlack();
    table = outboxTable(pg.url ?? '');
  });
  afterAll(async () => {
    await slack?.close();
    await table?.close();
    await pg?.close();
  });

  it('Slack: a burst of three to the triage channel, then one a second; other destinations are not held back', async () => {
    expect(SLACK_PACING).toEqual({ burst: 3, intervalMs: 1000 });
    const text = (destination: string, title: string) =>
      pg.store.outbox.enqueue({
        platform: 'slack',
        destination,
        reportId: null,
        payload: { type: 'channel_text', title, lines: ['x'] },
        createdAt: new Date(),
      });
    for (let i = 0; i < 6; i += 1) await text('triage', `channel ${i}`);
    for (let i = 0; i < 3; i += 1) await text(`user:U${i}`, `dm ${i}`);

    const worker = slackWorker(pg.store, slackDelivery(slack.api.url), { workerId: 'paced' });
    const startedAt = Date.now();
    worker.start();
    await eventually(async () => (await table.undelivered()) === 0, 15_000);
    await worker.stop();

    const posts = slack.accepted('chat.postMessage');
    const channel = posts.filter((a) => a.call.args.channel === TRIAGE_CHANNEL).map((a) => a.call.at);
    const dms = posts.filter((a) => String(a.call.args.channel).startsWith('D')).map((a) => a.call.at);
    expect(channel).toHaveLength(6);
    expect((channel[2] ?? 0) - (channel[0] ?? 0)).toBeLessThan(500);
    // A token bucket: never more than 3 + (seconds since the first post) posts so far. The bucket starts
    // when the first post is sent: after `startedAt`, and before the fake receives it by however long
    // that first (cold) request takes on a loaded machine, so `startedAt` is the anchor that always holds.
    for (const k of [3, 4, 5]) {
      expect((channel[k] ?? 0) - startedAt).toBeGreaterThanOrEqual((k - 2) * 1000);
    }
    expect(dms).toHaveLength(3);
    // Held back behind the channel's paced posts, the DMs would come 3 s or more after the start.
    expect(Math.max(...dms) - startedAt).toBeLessThan(2000);
  }, 30_000);
});
