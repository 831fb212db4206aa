import { describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../fakes/slack/fake-slack-api.ts';
import { messageKey } from '../../integration/delivery/support/faulty-slack.ts';
import { eventually, sleep } from '../../integration/delivery/support/slack-worker.ts';
import { coreDeps } from '../../support/core.ts';
import { fileReport } from '../../support/use-case-harness.ts';
import { botEnv, startBot } from './support/bot-process.ts';
import { slackReporter, useResilienceFixture } from './support/fixture.ts';

const REPORTS = 10;
const KILL_AT_POST = 5;
const reporter = slackReporter;

describe('SIGKILL in the middle of delivery', () => {
  const fx = useResilienceFixture();

  it('delivers the rest after a restart; only messages the platform had accepted but not answered at the kill can go twice', async () => {
    const core = coreDeps(fx.pg.store, { now: () => new Date() });
    for (let i = 0; i < REPORTS; i += 1) await fileReport(core, { by: reporter(i), key: `k${i}` });
    const queued = (await fx.table.all()).length;

    const first = startBot(botEnv(fx.slack.api.url, fx.pg.url ?? ''));
    // Every call takes 300 ms. The process is killed the moment Slack receives its 5th post: Slack
    // accepts that message, but the bot never hears so and never marks it delivered.
    let posts = 0;
    const killed: { call: RecordedCall | null } = { call: null };
    fx.slack.setPlan((call) => {
      if (call.method === 'chat.postMessage' && ++posts === KILL_AT_POST) {
        killed.call = call;
        first.child.kill('SIGKILL');
      }
      return { kind: 'slow', ms: 300 };
    });
    expect(await first.exited).toBeNull();
    await sleep(400); // the killed request is accepted on the platform's side
    const heldByDead = (await fx.table.all()).filter((r) => r.claimedBy !== null);
    expect(heldByDead.length).toBeGreaterThanOrEqual(1);
    const deadWorker = heldByDead[0]?.claimedBy;
    const acceptedBeforeRestart = fx.slack.accepted('chat.postMessage').length;
    expect(acceptedBeforeRestart).toBeGreaterThanOrEqual(KILL_AT_POST);

    // A new process starts at once. The dead process's rows stay untouched while its lease lasts...
    fx.slack.setPlan(() => ({ kind: 'slow', ms: 20 }));
    const second = startBot(botEnv(fx.slack.api.url, fx.pg.url ?? ''));
    await second.port();
    await sleep(2000);
    const stillHeld = (await fx.table.all()).filter((r) => r.claimedBy === deadWorker);
    expect(stillHeld.map((r) => r.id)).toEqual(heldByDead.map((r) => r.id));
    // ...which would run for a minute: the test moves the lease's expiry to now instead of waiting.
    await fx.table
      .sql`update outbox set lease_until = now() - interval '1 second' where claimed_by = ${deadWorker ?? ''}`;
    await eventually(
      async () => (await fx.table.undelivered()) === 0,
      40_000,
      () => second.output.stderr.slice(-1500),
    );

    const rows = await fx.table.all();
    expect(rows).toHaveLength(queued);
    expect(rows.every((r) => r.state === 'delivered' && r.claimedBy === null)).toBe(true);
    const accepted = fx.slack.accepted('chat.postMessage');
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
