import { describe, expect, it } from 'vitest';
import { reportIdOf } from '../../integration/delivery/support/faulty-slack.ts';
import { eventually, slackDelivery, slackWorker } from '../../integration/delivery/support/slack-worker.ts';
import { coreDeps } from '../../support/core.ts';
import { fileReport } from '../../support/use-case-harness.ts';
import { botEnv, startBot, TRIAGE_CHANNEL } from './support/bot-process.ts';
import { slackReporter, useResilienceFixture } from './support/fixture.ts';

const REPORTS = 30;
const reporter = slackReporter;

describe('SIGTERM while deliveries are in flight', () => {
  const fx = useResilienceFixture();

  it('exits with 0 within 10 s, finishing the message in flight and releasing every other claim', async () => {
    const core = coreDeps(fx.pg.store, { now: () => new Date() });
    for (let i = 0; i < REPORTS; i += 1) await fileReport(core, { by: reporter(i), key: `k${i}` });
    // A slow platform: every call takes 700 ms, so one batch of work takes far longer than 10 s.
    fx.slack.setPlan(() => ({ kind: 'slow', ms: 700 }));

    const bot = startBot(botEnv(fx.slack.api.url, fx.pg.url ?? ''));
    const port = await bot.port();
    await eventually(() => fx.slack.accepted('chat.postMessage').length >= 2, 20_000);
    const claimed = await fx.table.sql`select count(*)::int as n from outbox where claimed_by is not null`;
    expect(claimed[0]?.n).toBeGreaterThan(1);

    const signalledAt = Date.now();
    bot.child.kill('SIGTERM');
    // While shutting down it no longer reports itself ready.
    const during = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
    if (during) expect(during.status).toBe(503);
    const code = await bot.exited;
    const tookMs = Date.now() - signalledAt;
    expect({ code, tookMs: tookMs < 10_000 ? 'under 10 s' : `${tookMs} ms` }).toEqual({
      code: 0,
      tookMs: 'under 10 s',
    });
    // It finished the message in flight (at most two 700 ms calls) and gave the rest of its batch back
    // at once, rather than sitting out the worker's 5 s grace period.
    expect(tookMs).toBeLessThan(4500);

    // Nothing is left claimed by the stopped process: every row is claimable at once by anybody.
    const rows = await fx.table.all();
    expect(rows.filter((r) => r.claimedBy !== null)).toEqual([]);
    const pending = rows.filter((r) => r.state === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((r) => r.nextAttemptAt.getTime() <= Date.now())).toBe(true);
    const callsAtExit = fx.slack.api.calls.length;

    // Another worker picks up the rest; nothing went twice (the message in flight was finished, not abandoned).
    fx.slack.setPlan(null);
    const worker = slackWorker(fx.pg.store, slackDelivery(fx.slack.api.url, { pacing: null }), {
      workerId: 'next',
    });
    worker.start();
    await eventually(async () => (await fx.table.undelivered()) === 0, 20_000);
    await worker.stop();
    expect(fx.slack.api.calls.length).toBeGreaterThan(callsAtExit);
    const cards = fx.slack
      .accepted('chat.postMessage')
      .filter((a) => a.call.args.channel === TRIAGE_CHANNEL && a.call.args.thread_ts === undefined)
      .map((a) => reportIdOf(a.call));
    expect(cards).toHaveLength(REPORTS);
    expect(new Set(cards).size).toBe(REPORTS);
    const dms = fx.slack
      .accepted('chat.postMessage')
      .filter((a) => String(a.call.args.channel).startsWith('D'));
    expect(dms).toHaveLength(REPORTS);
    expect(new Set(dms.map((a) => a.call.args.channel)).size).toBe(REPORTS);
  }, 60_000);

  it('exits with 0 within 10 s even when the platform hangs, leaving nothing claimed', async () => {
    await fx.pg.reset();
    fx.slack.answered.length = 0;
    const core = coreDeps(fx.pg.store, { now: () => new Date() });
    for (let i = 0; i < 5; i += 1) await fileReport(core, { by: reporter(i), key: `h${i}` });
    // Nothing answers for a minute: longer than the bot's own 10 s request timeout.
    fx.slack.setPlan(() => ({ kind: 'hang', ms: 60_000 }));

    const bot = startBot(botEnv(fx.slack.api.url, fx.pg.url ?? ''));
    await bot.port();
    await eventually(() => fx.slack.answered.some((a) => a.outcome === 'hang'), 20_000);
    const signalledAt = Date.now();
    bot.child.kill('SIGTERM');
    const code = await bot.exited;
    const tookMs = Date.now() - signalledAt;
    expect({ code, tookMs: tookMs < 10_000 ? 'under 10 s' : `${tookMs} ms` }).toEqual({
      code: 0,
      tookMs: 'under 10 s',
    });
    expect((await fx.table.all()).filter((r) => r.claimedBy !== null)).toEqual([]);

    fx.slack.setPlan(null);
    const worker = slackWorker(fx.pg.store, slackDelivery(fx.slack.api.url, { pacing: null }), {
      workerId: 'after-hang',
    });
    await worker.drain();
    expect(await fx.table.undelivered()).toBe(0);
    const cards = fx.slack
      .accepted('chat.postMessage')
      .filter((a) => a.call.args.channel === TRIAGE_CHANNEL && a.call.args.thread_ts === undefined);
    expect(cards).toHaveLength(5);
  }, 60_000);
});
