import { describe, expect, it } from 'vitest';
import { messageKey } from '../../integration/delivery/support/faulty-slack.ts';
import { eventually, sleep } from '../../integration/delivery/support/slack-worker.ts';
import { coreDeps } from '../../support/core.ts';
import { fileReport } from '../../support/use-case-harness.ts';
import { type BotProcess, botEnv, startBot } from './support/bot-process.ts';
import { slackReporter, useResilienceFixture } from './support/fixture.ts';

const reporter = slackReporter;

/** A time zone where it is not late in the evening now, so the local day cannot change during the test. */
const zoneAwayFromMidnight = (): string => {
  for (const zone of ['UTC', 'Asia/Tokyo', 'America/New_York', 'Asia/Kolkata', 'Pacific/Honolulu']) {
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(
        new Date(),
      ),
    );
    if (hour >= 1 && hour <= 22) return zone;
  }
  return 'UTC';
};

describe('three bot processes on one PostgreSQL database', () => {
  const fx = useResilienceFixture();

  it('send no message twice, post one digest for the day, and a restart changes neither', async () => {
    const core = coreDeps(fx.pg.store, { now: () => new Date() });
    for (let i = 0; i < 12; i += 1) await fileReport(core, { by: reporter(i), key: `before-${i}` });
    // Slack is a little slow and sometimes fails, so the processes overlap and retry.
    let calls = 0;
    fx.slack.setPlan(() => (++calls % 9 === 0 ? { kind: 'error500' } : { kind: 'slow', ms: 15 }));

    const env = (n: number) =>
      botEnv(fx.slack.api.url, fx.pg.url ?? '', {
        // Each process has its own token, so the fake can tell who sent what.
        SLACK_BOT_TOKEN: `xoxb-process-${n}`,
        DIGEST_TIME: '00:00',
        DIGEST_WEEKDAYS_ONLY: 'false',
        TIMEZONE: zoneAwayFromMidnight(),
      });
    const bots: BotProcess[] = [1, 2, 3].map((n) => startBot(env(n)));
    await Promise.all(bots.map((b) => b.port()));
    // More reports arrive while all three are running.
    for (let i = 12; i < 24; i += 1) await fileReport(core, { by: reporter(i), key: `during-${i}` });
    await eventually(async () => (await fx.table.undelivered()) === 0, 60_000);

    const digestCount = () =>
      fx.slack
        .accepted('chat.postMessage')
        .filter((a) => String(a.call.args.text).startsWith('Security digest')).length;
    expect(digestCount()).toBe(1);

    // One process is replaced (as in a rolling deploy), and every scheduler ticks again.
    bots[0]?.child.kill('SIGTERM');
    expect(await bots[0]?.exited).toBe(0);
    const replacement = startBot(env(4));
    const port = await replacement.port();
    await sleep(1500);
    expect(digestCount()).toBe(1);
    const claims = await fx.table.sql`select destination, day::text as day from digest_claims`;
    expect(claims).toHaveLength(1);
    expect(claims[0]?.destination).toBe('slack:triage');

    const rows = await fx.table.all();
    expect(rows.every((r) => r.state === 'delivered')).toBe(true);
    const accepted = fx.slack.accepted('chat.postMessage');
    const counts = new Map<string, number>();
    for (const a of accepted) counts.set(messageKey(a.call), (counts.get(messageKey(a.call)) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    expect(counts.size).toBe(rows.length);
    expect([...counts.keys()].filter((k) => k.startsWith('card|'))).toHaveLength(24);
    // /healthz reports the backlog and parked failures (without turning unhealthy over them).
    const health = async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    expect(await health()).toMatchObject({
      ok: true,
      details: { database: true, outbox: { pending: 0, failed: 0 } },
    });
    await fx.table
      .sql`update outbox set state = 'failed', last_error = 'channel_not_found' where id = ${rows[0]?.id ?? 0}`;
    expect(await health()).toMatchObject({ ok: true, details: { outbox: { pending: 0, failed: 1 } } });
    // The work was really shared between the processes.
    const senders = new Set(accepted.map((a) => a.call.token));
    expect(senders.size).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
