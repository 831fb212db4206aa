import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PERMANENT_SLACK_ERRORS } from '../../../adapters/slack/slack-delivery.ts';
import { runVulnCommand } from '../../../src/commands/run-vuln-command.ts';
import type { OutboxWorker } from '../../../src/delivery/outbox-worker.ts';
import type { Actor } from '../../../src/domain/report.ts';
import type { CoreDeps } from '../../../src/use-cases/context.ts';
import { deliveryHealth } from '../../../src/use-cases/delivery-health.ts';
import { acknowledge } from '../../../src/use-cases/triage-actions.ts';
import { alice, coreDeps, mallory } from '../../support/core.ts';
import { postgresTestStore, type TestStore } from '../../support/databases.ts';
import { fileReport } from '../../support/use-case-harness.ts';
import { type FaultySlack, reportIdOf, startFaultySlack } from './support/faulty-slack.ts';
import { type OutboxTable, outboxTable } from './support/outbox-table.ts';
import {
  eventually,
  memoryLogger,
  slackDelivery,
  slackWorker,
  sleep,
  TRIAGE_CHANNEL,
} from './support/slack-worker.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const rita: Actor = { platform: 'slack', userId: 'URITA', displayName: 'rita' };

const runScript = (script: string, args: string[], databaseUrl: string) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: databaseUrl },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

const replyText = (reply: Awaited<ReturnType<typeof runVulnCommand>>) =>
  reply.kind === 'text' ? [reply.title ?? '', ...reply.lines].join('\n') : JSON.stringify(reply);

describe('permanent delivery errors are parked, not looped', () => {
  let pg: TestStore;
  let slack: FaultySlack;
  let table: OutboxTable;
  let core: CoreDeps;
  let worker: OutboxWorker;
  const logger = memoryLogger();
  let channelBroken = true;

  beforeAll(async () => {
    pg = await postgresTestStore();
    slack = await startFaultySlack();
    table = outboxTable(pg.url ?? '');
    core = coreDeps(pg.store, { now: () => new Date() });
  });
  beforeEach(async () => {
    await worker?.stop();
    await pg.reset();
    await table.sql`truncate digest_claims, reminders`;
    slack.answered.length = 0;
    logger.lines.length = 0;
  });
  afterAll(async () => {
    await worker?.stop();
    await slack?.close();
    await table?.close();
    await pg?.close();
  });

  it('parks channel_not_found after one attempt, shows it in health, and delivers it once re-queued', async () => {
    slack.setPlan((call) =>
      channelBroken && call.args.channel === TRIAGE_CHANNEL
        ? { kind: 'platform', error: 'channel_not_found' }
        : null,
    );
    worker = slackWorker(pg.store, slackDelivery(slack.api.url, { pacing: null }), {
      workerId: 'w-park',
      logger,
    });
    worker.start();

    const report = await fileReport(core, { by: rita });
    await eventually(async () => (await table.all()).some((r) => r.state === 'failed'), 5000);
    // A thread note written while the card is parked waits behind it instead of failing on its own.
    expect((await acknowledge(core, alice, report.id)).ok).toBe(true);
    worker.wake();
    await sleep(800); // many poll intervals: a looping worker would try again meanwhile

    const rows = await table.all();
    const card = rows.find((r) => r.payload.type === 'triage_card');
    expect(card).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: 'channel_not_found',
      claimedBy: null,
    });
    const cardCalls = slack.answered.filter((a) => a.call.args.channel === TRIAGE_CHANNEL);
    expect(cardCalls.map((a) => a.outcome)).toEqual(['channel_not_found']);
    // The reporter is not held back by the team's broken channel.
    expect(
      rows.filter((r) => r.payload.type === 'reporter_notice').every((r) => r.state === 'delivered'),
    ).toBe(true);
    const warnings = logger.lines.filter((l) => l.level === 'warn');
    expect(warnings).toEqual([
      expect.objectContaining({
        fields: expect.objectContaining({
          outboxId: card?.id,
          error: 'channel_not_found',
          reportId: report.id,
        }),
      }),
    ]);

    const health = await deliveryHealth(core);
    expect(health).toMatchObject({
      database: true,
      failed: 1,
      failures: [
        {
          id: card?.id,
          platform: 'slack',
          type: 'triage_card',
          reportId: report.id,
          error: 'channel_not_found',
        },
      ],
    });
    const shown = replyText(await runVulnCommand(core, alice, 'health'));
    expect(shown).toContain('1 undeliverable');
    expect(shown).toContain(`#${card?.id} slack triage_card for ${report.id}: channel_not_found`);
    expect(replyText(await runVulnCommand(core, mallory, 'health'))).not.toContain('channel_not_found');
    expect(replyText(await runVulnCommand(core, mallory, 'retry all'))).not.toContain('Re-queued');
    expect((await table.all()).find((r) => r.id === card?.id)?.state).toBe('failed');

    // Someone invites the bot back and re-queues: the card goes once, then its thread note.
    channelBroken = false;
    expect(replyText(await runVulnCommand(core, alice, 'retry all'))).toContain('Re-queued 1 message.');
    worker.wake();
    await eventually(async () => (await table.undelivered()) === 0, 5000);
    const posts = slack.accepted('chat.postMessage').filter((a) => a.call.args.channel === TRIAGE_CHANNEL);
    expect(
      posts.map((a) => (a.call.args.thread_ts === undefined ? `card ${reportIdOf(a.call)}` : 'note')),
    ).toEqual([`card ${report.id}`, 'note']);
    expect(posts[1]?.call.args.thread_ts).toBe(posts[0]?.ts);
    expect((await deliveryHealth(core)).failed).toBe(0);
  });

  it.each(
    [...PERMANENT_SLACK_ERRORS].filter((e) => !['cant_update_message', 'message_not_found'].includes(e)),
  )('%s parks the message after exactly one attempt', async (error) => {
    slack.setPlan(() => ({ kind: 'platform', error }));
    worker = slackWorker(pg.store, slackDelivery(slack.api.url, { pacing: null }), {
      workerId: 'w-each',
      logger,
    });
    await pg.store.outbox.enqueue({
      platform: 'slack',
      destination: 'triage',
      reportId: null,
      payload: { type: 'channel_text', title: 'Reminder', lines: ['x'] },
      createdAt: new Date(),
    });
    await worker.drain();
    await worker.drain();
    expect(slack.answered.map((a) => a.outcome)).toEqual([error]);
    expect((await table.all()).map((r) => [r.state, r.attempts, r.lastError])).toEqual([
      ['failed', 1, error],
    ]);
  });

  it('a transient platform error is retried, not parked', async () => {
    let failures = 2;
    slack.setPlan(() => (failures-- > 0 ? { kind: 'platform', error: 'internal_error' } : null));
    worker = slackWorker(pg.store, slackDelivery(slack.api.url, { pacing: null }), {
      workerId: 'w-transient',
      logger,
    });
    worker.start();
    await pg.store.outbox.enqueue({
      platform: 'slack',
      destination: 'triage',
      reportId: null,
      payload: { type: 'channel_text', title: 'Reminder', lines: ['x'] },
      createdAt: new Date(),
    });
    worker.wake();
    await eventually(async () => (await table.undelivered()) === 0, 5000);
    expect(slack.answered.map((a) => a.outcome)).toEqual(['internal_error', 'internal_error', 'ok']);
  });

  it('`npm run outbox` lists a parked message and re-queues it by ID', async () => {
    slack.setPlan((call) =>
      call.args.channel === TRIAGE_CHANNEL ? { kind: 'platform', error: 'is_archived' } : null,
    );
    worker = slackWorker(pg.store, slackDelivery(slack.api.url, { pacing: null }), {
      workerId: 'w-cli',
      logger,
    });
    await fileReport(core, { by: rita });
    await worker.drain();
    const card = (await table.all()).find((r) => r.payload.type === 'triage_card');
    expect(card?.state).toBe('failed');

    const status = await runScript('scripts/outbox.ts', [], pg.url ?? '');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`#${card?.id} slack triage_card for VULN-0001: is_archived`);
    const retried = await runScript('scripts/outbox.ts', ['retry', String(card?.id)], pg.url ?? '');
    expect(retried.stdout).toContain('Re-queued 1 message.');

    slack.setPlan(null);
    await worker.drain();
    expect((await table.all()).map((r) => r.state)).toEqual(['delivered', 'delivered']);
    expect(
      slack.accepted('chat.postMessage').filter((a) => a.call.args.channel === TRIAGE_CHANNEL),
    ).toHaveLength(1);
  }, 30_000);
});
