import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slashCommand } from '../../fakes/discord/interaction-payloads.ts';
import type { TestStore } from '../../support/databases.ts';
import { cachedPgliteStore } from './cached-pglite.ts';
import {
  CALLBACK,
  CREATE_MESSAGE,
  contentOf,
  type DiscordHarness,
  EDIT_ORIGINAL,
  OPEN_DM,
  REPORTER_ID,
  START_THREAD,
  startDiscordHarness,
  submitReportModal,
  TRIAGE_CHANNEL,
} from './discord-harness.ts';

describe('a reporter on Discord (real discord.js over the fake gateway)', () => {
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
  });

  it('/report-vuln answers with the form as its first response, before any other request', async () => {
    const first = await h.send(slashCommand({ name: 'report-vuln', userId: REPORTER_ID }));
    expect(first.body).toMatchObject({
      type: 9,
      data: { custom_id: 'report_intake', title: 'Report a vulnerability' },
    });
    const components = (first.body as { data: { components: { type: number; content?: string }[] } }).data
      .components;
    expect(components.length).toBeLessThanOrEqual(5);
    expect(components[0]?.type).toBe(10);
    expect(components[0]?.content).toContain('Out of scope');
    expect(components[0]?.content).toContain('Denial of service');
    expect(components[0]?.content).toContain('By submitting this form you confirm');
    expect(h.calls().map((c) => c.route)).toEqual([CALLBACK]);
  });

  it('a submitted form is stored, confirmed privately with its ID, carded in the triage channel and sent by DM', async () => {
    const { payload, first } = await submitReportModal(h);
    expect(first.body).toEqual({ type: 5, data: { flags: 64 } });
    const confirmation = h.calls(EDIT_ORIGINAL).at(-1);
    expect(confirmation?.params.token).toBe(payload.token);
    expect(contentOf(confirmation)).toContain('VULN-0001');

    const stored = await h.core.store.reports.findById('VULN-0001');
    expect(stored).toMatchObject({
      title: 'SQL injection in /api/search',
      impact: 'Read any customer record.',
      severityGuess: 'high',
      reporter: { platform: 'discord', userId: REPORTER_ID },
      submissionKey: payload.id,
    });

    await h.settle();
    const card = h.calls(CREATE_MESSAGE).find((c) => c.params.id === TRIAGE_CHANNEL);
    expect(card?.body).toMatchObject({
      embeds: [{ title: 'VULN-0001: SQL injection in /api/search' }],
      allowed_mentions: { parse: [] },
    });
    const thread = h.calls(START_THREAD)[0];
    expect(thread?.params).toMatchObject({ id: TRIAGE_CHANNEL });
    expect(thread?.body).toMatchObject({ name: 'VULN-0001: SQL injection in /api/search' });
    const ref = await h.core.store.cards.find('VULN-0001', 'discord');
    expect(ref).toMatchObject({ channelId: TRIAGE_CHANNEL, threadId: thread?.params.messageId });

    expect(h.calls(OPEN_DM)[0]?.body).toEqual({ recipient_id: REPORTER_ID });
    const dm = h.calls(CREATE_MESSAGE).find((c) => c.params.id !== TRIAGE_CHANNEL);
    expect(contentOf(dm)).toContain('VULN-0001');
    expect(contentOf(dm)).toContain('Planned public disclosure date');
  });

  it('an invalid submission files nothing and gives the reporter their own text back', async () => {
    const description = 'Steps: <@123> and **bold**\n```\ncode\n```';
    await submitReportModal(h, { title: '   ', description, impact: 'Impact\nSeverity: extreme' });
    expect(await h.core.store.reports.list({})).toEqual([]);
    const echo = h.calls(EDIT_ORIGINAL).at(-1)?.body as {
      content: string;
      embeds: { title: string; description: string }[];
    };
    expect(echo.content).toContain('Your report was not filed');
    expect(echo.content).toContain('The title is required');
    expect(echo.content).toContain('Use one of critical');
    const described = echo.embeds.find((e) => e.title === 'Description and steps to reproduce');
    expect(described?.description.startsWith('```\n')).toBe(true);
    expect(described?.description).toContain('Steps: <@123> and **bold**');
    expect(described?.description).not.toContain('\n```\ncode');
    expect(echo.embeds.find((e) => e.title === 'Impact')?.description).toContain('Severity: extreme');
  });

  it('/report-vuln status lists the reporter’s own reports and nobody else’s', async () => {
    await submitReportModal(h, { title: 'Mine' });
    await submitReportModal(h, { title: 'Someone else’s' }, '1250000000000000777');
    h.clear();
    const first = await h.send(
      slashCommand({
        name: 'report-vuln',
        userId: REPORTER_ID,
        options: [{ name: 'action', type: 3, value: 'status' }],
      }),
    );
    expect(first.body).toEqual({ type: 5, data: { flags: 64 } });
    const listed = contentOf(h.calls(EDIT_ORIGINAL).at(-1));
    expect(listed).toContain('VULN-0001');
    expect(listed).toContain('Mine');
    expect(listed).not.toContain('VULN-0002');
  });

  it('the same submission delivered twice creates one report and one card', async () => {
    const { payload } = await submitReportModal(h);
    h.fake.interaction(payload);
    await submitReportModal(h, { title: 'A later, different report' });
    await h.settle();
    const reports = await h.core.store.reports.list({});
    expect(reports.map((r) => r.title).sort()).toEqual([
      'A later, different report',
      'SQL injection in /api/search',
    ]);
    expect(h.calls(CALLBACK).filter((c) => c.params.id === payload.id)).toHaveLength(1);
    expect(h.calls(CREATE_MESSAGE).filter((c) => c.params.id === TRIAGE_CHANNEL)).toHaveLength(2);
  });
});
