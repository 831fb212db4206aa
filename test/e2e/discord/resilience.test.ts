import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDiscordAdapter } from '../../../adapters/discord/discord-adapter.ts';
import { installUnhandledRejectionLogging } from '../../../adapters/discord/process-guards.ts';
import { buttonClick, modalSubmit, slashCommand } from '../../fakes/discord/interaction-payloads.ts';
import type { TestStore } from '../../support/databases.ts';
import { cachedPgliteStore } from './cached-pglite.ts';
import {
  CALLBACK,
  type DiscordHarness,
  EDIT_ORIGINAL,
  FOLLOW_UP,
  REPORTER_ID,
  startDiscordHarness,
  submitReportModal,
  TRIAGE_CHANNEL,
  TRIAGER_ID,
} from './discord-harness.ts';

const contentOf = (body: unknown): string =>
  String(((body as { data?: { content?: string } }).data ?? (body as { content?: string })).content ?? '');

describe('the Discord adapter under malformed events, failing handlers and repeats', () => {
  let db: TestStore;
  let h: DiscordHarness;

  beforeAll(async () => {
    db = await cachedPgliteStore();
    h = await startDiscordHarness(db);
  });
  afterAll(async () => {
    await h.close();
    await db.close();
  });
  beforeEach(async () => {
    await db.reset();
    h.clear();
    h.logger.lines.length = 0;
    vi.restoreAllMocks();
  });

  it('survives malformed INTERACTION_CREATE events: discord.js’s rejections are logged, the events answered', async () => {
    // Vitest fails the run on unhandled rejections, so its listeners step aside while the guard works.
    const vitestListeners = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    const uninstall = installUnhandledRejectionLogging(h.logger);
    try {
      const noEntitlements = slashCommand({ name: 'report-vuln', overrides: { entitlements: undefined } });
      const noMessage = buttonClick({
        customId: 'vuln_ack:VULN-0001',
        userId: TRIAGER_ID,
        overrides: { message: undefined },
      });
      const noData = slashCommand({ name: 'vuln', overrides: { data: undefined } });
      const noToken = slashCommand({ name: 'vuln', overrides: { token: undefined } });
      for (const payload of [noEntitlements, noMessage, noData, noToken]) h.fake.interaction(payload);
      // A valid interaction afterwards is answered: the connection and the process survived.
      await h.send(slashCommand({ name: 'report-vuln' }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await h.adapter.router.idle();

      const answer = (id: string) => h.calls(CALLBACK).find((c) => c.params.id === id)?.body;
      expect(answer(noEntitlements.id)).toMatchObject({ type: 9 });
      expect(answer(noMessage.id)).toMatchObject({ type: 6 });
      expect(contentOf(answer(noData.id))).toContain('could not be read');
      expect(answer(noToken.id)).toBeUndefined();
    } finally {
      uninstall();
      process.removeAllListeners('unhandledRejection');
      for (const listener of vitestListeners) process.on('unhandledRejection', listener);
    }
    const rejections = h.logger.lines.filter((l) => l.message.startsWith('unhandled promise rejection'));
    expect(rejections.length).toBeGreaterThanOrEqual(2);
    expect(rejections[0]?.fields).toMatchObject({ code: 'error.TypeError' });
    expect(h.logger.lines.filter((l) => l.fields.code === 'interaction.missing_data')).toHaveLength(1);
  });

  it('answers a handler that throws with a short private message and logs only ids and a code', async () => {
    vi.spyOn(db.store.reports, 'list').mockRejectedValueOnce(
      new Error('connection reset: SELECT title FROM reports'),
    );
    await h.send(
      slashCommand({
        name: 'report-vuln',
        userId: REPORTER_ID,
        options: [{ name: 'action', type: 3, value: 'status' }],
      }),
    );
    expect(contentOf(h.calls(EDIT_ORIGINAL).at(-1)?.body)).toContain('Something went wrong on our side');
    const failure = h.logger.lines.find((l) => l.message === 'discord interaction failed');
    expect(failure?.fields).toEqual({
      interactionId: expect.any(String),
      kind: 'command',
      code: 'error.Error',
    });
  });

  it('keeps the reporter’s text when the database cannot store the report', async () => {
    vi.spyOn(db.store.intake, 'reserve').mockRejectedValueOnce(new Error('connect ECONNREFUSED'));
    await submitReportModal(h, { description: 'My careful steps, typed once' });
    const echo = h.calls(EDIT_ORIGINAL).at(-1)?.body as {
      content: string;
      embeds: { description: string }[];
    };
    expect(echo.content).toContain('could not store your report');
    expect(echo.embeds.map((e) => e.description).join('\n')).toContain('My careful steps, typed once');
    expect(await db.store.reports.list({})).toEqual([]);
    const text = JSON.stringify(h.logger.lines);
    expect(text).not.toContain('My careful steps');
  });

  it('files one report when two replicas receive the same submission: the second sees a repeat', async () => {
    const replica = createDiscordAdapter(
      { core: h.core, logger: h.logger, wakeOutbox: () => {} },
      { ...h.config, gateway: false },
    );
    const { payload } = await submitReportModal(h, { title: 'Seen by two replicas' });
    const answers: unknown[] = [];
    const result = await replica.router.handle(payload, async (_i, body) => {
      answers.push(body);
    });
    expect(result).toBe('duplicate');
    expect(answers).toEqual([]);
    const reports = await db.store.reports.list({});
    expect(reports.map((r) => r.title)).toEqual(['Seen by two replicas']);
    const confirmations = h.fake.rest.calls.filter(
      (c) => c.route === EDIT_ORIGINAL && c.params.token === payload.token,
    );
    expect(confirmations.map((c) => contentOf(c.body).includes('VULN-0001'))).toEqual([true]);
  });

  it('ignores the same interaction delivered twice over the gateway', async () => {
    const click = buttonClick({
      customId: 'vuln_ack:VULN-0001',
      userId: TRIAGER_ID,
      channelId: TRIAGE_CHANNEL,
    });
    await submitReportModal(h);
    h.clear();
    h.fake.interaction(click);
    await h.send(click);
    await h.send(slashCommand({ name: 'report-vuln' }));
    expect(h.calls(CALLBACK).filter((c) => c.params.id === click.id)).toHaveLength(1);
    expect(h.calls(FOLLOW_UP)).toHaveLength(1);
    const audit = await db.store.audit.listForReport('VULN-0001');
    expect(audit.filter((e) => e.action === 'report.acknowledged')).toHaveLength(1);
  });

  it('never logs report text, tokens or interaction tokens', async () => {
    const secret = 'UNIQUE-REPORT-TEXT-4711';
    const { payload } = await submitReportModal(h, { title: secret, description: secret, impact: secret });
    await h.send(modalSubmit({ customId: 'report_intake', userId: REPORTER_ID, fields: { title: secret } }));
    await h.settle();
    const text = JSON.stringify(h.logger.lines);
    expect(h.logger.lines.length).toBeGreaterThan(0);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(payload.token);
    expect(text).not.toContain(h.config.botToken);
  });

  it('reports its health, and stops by closing the gateway cleanly (last: it ends the session)', async () => {
    expect(h.adapter.health()).toMatchObject({ connected: true, gateway: true, http: false });
    await h.adapter.stop();
    expect(h.adapter.health().connected).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.fake.gateway.closeCodes).toContain(1000);
  });
});
