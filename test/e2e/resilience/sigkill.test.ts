import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/report.ts';
import type { RecordedCall } from '../../fakes/slack/fake-slack-api.ts';
import {
  type FaultySlack,
  messageKey,
  startFaultySlack,
} from '../../integration/delivery/support/faulty-slack.ts';
import { type OutboxTable, outboxTable } from '../../integration/delivery/support/outbox-table.ts';
import { eventually, sleep } from '../../integration/delivery/support/slack-worker.ts';
import { coreDeps } from '../../support/core.ts';
import { postgresTestStore, type TestStore } from '../../support/databases.ts';
import { fileReport } from '../../support/use-case-harness.ts';
import { botEnv, killAll, startBot } from './support/bot-process.ts';

const REPORTS = 10;
const KILL_AT_POST = 5;
const reporter = (i: number): Actor => ({ platform: 'slack', userId: `UREP${i}`, displayName: `r${i}` });

describe('SIGKILL in the middle of delivery', () => {
  let pg: TestStore;
  let slack: FaultySlack;
  let table: OutboxTable;

  beforeAll(async () => {
    pg = await postgresTestStore();
    slack = await startFaultySlack();
    table = outboxTable(pg.url ?? '');
  });
  afterEach(killAll);
  afterAll(async () => {
    await slack?.close();
    await table?.close();
    await pg?.close();
  });

  it('delivers the rest after a restart; only messages the platform had accepted but not answered at the kill can go twice', async () => {
    const core = coreDeps(pg.store, { now: () => new Date() });
    for (let i = 0; i < REPORTS; i += 1) await fileReport(core, { by: reporter(i), key: `k${i}` });
    const queued = (await table.all()).length;

    const first = startBot(botEnv(slack.api.url, pg.url ?? ''));
    // Every call takes 300 ms. The process is killed the moment Slack receives its 5th post: Slack
    // accepts that message, but the bot never hears so and never marks it delivered.
    let posts = 0;
    const killed: { call: RecordedCall | null } = { call: null };
    slack.setPlan((call) => {
      if (call.method === 'chat.postMessage' && ++posts === KILL_AT_POST) {
        killed.call = call;
        first.child.kill('SIGKILL');
      }
      return { kind: 'slow', ms: 300 };
    });
    expect(await first.exited).toBeNull();
    await sleep(400); // the killed request is accepted on the platform's side
    const heldByDead = (await table.all()).filter((r) => r.claimedBy !== null);
    expect(heldByDead.length).toBeGreaterThanOrEqual(1);
    const deadWorker = heldByDead[0]?.claimedBy;
    const acceptedBeforeRestart = slack.accepted('chat.postMessage').length;
    expect(acceptedBeforeRestart).toBeGreaterThanOrEqual(KILL_AT_POST);

    // A new process starts at once. The dead process's rows stay untouched while its lease lasts...
    slack.setPlan(() => ({ kind: 'slow', ms: 20 }));
    const second = startBot(botEnv(slack.api.url, pg.url ?? ''));
    await second.port();
    await sleep(2000);
    const stillHeld = (await table.all()).filter((r) => r.claimedBy === deadWorker);
    expect(stillHeld.map((r) => r.id)).toEqual(heldByDead.map((r) => r.id));
    // ...which would run for a minute: the test moves the lease's expiry to now instead of waiting.
    await table.sql`update outbox set lease_until = now() - interval '1 second' where claimed_by = ${deadWorker ?? ''}`;
    await eventually(
      async () => (await table.undelivered()) === 0,
      40_000,
      () => second.output.stderr.slice(-1500),
    );

    const rows = await table.all();
    expect(rows).toHaveLength(queued);
    expect(rows.every((r) => r.state === 'delivered' && r.claimedBy === null)).toBe(true);
    const accepted = slack.accepted('chat.postMessage');
    const counts = new Map<string, number>();
    for (const a of accepted) counts.set(messageKey(a.call), (counts.get(messageKey(a.call)) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1).map(([key]) => key);
    // Only messages in flight at the kill (sent side by side, at most the worker's concurrency) went
    // twice; everything else went exactly once.
    expect(killed.call).not.toBeNull();
    expect(twice).toContain(killed.call ? messageKey(killed.call) : 'none');
    // Each repeat is a row the dead worker held (sent, not yet marked delivered) when it died.
    expect(twice.length).toBeLessThanOrEqual(heldByDead.length);
    expect(counts.size).toBe(queued);
    const cards = [...counts.keys()].filter((k) => k.startsWith('card|'));
    expect(cards).toHaveLength(REPORTS);
  }, 90_000);
});
