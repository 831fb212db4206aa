import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CALLBACKS } from '../../../adapters/slack/render/modal-views.ts';
import {
  blockActionsPayload,
  postInteraction,
  postSlashCommand,
  slashCommandFields,
  viewSubmissionPayload,
} from '../../fakes/slack/signed-request.ts';
import { pgliteTestStore, type TestStore } from '../../support/databases.ts';
import { intakeValues } from './intake-values.ts';
import {
  OUTSIDER,
  REPORTER,
  SIGNING_SECRET,
  type SlackHarness,
  startSlackHarness,
  TRIAGE_CHANNEL,
  TRIAGER,
} from './slack-harness.ts';

let db: TestStore;
let slack: SlackHarness;

beforeAll(async () => {
  db = await pgliteTestStore();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.reset();
  slack = await startSlackHarness(db);
  return () => slack.close();
});

const submit = (viewId: string, values = intakeValues(), user = REPORTER) =>
  postInteraction(
    slack.baseUrl,
    SIGNING_SECRET,
    viewSubmissionPayload({
      userId: user.id,
      userName: user.name,
      viewId,
      callbackId: CALLBACKS.intake,
      privateMetadata: '',
      values,
    }),
  );

const click = (
  user: { id: string; name: string },
  actionId: string,
  reportId: string,
  extra: Record<string, unknown> = {},
) =>
  postInteraction(
    slack.baseUrl,
    SIGNING_SECRET,
    blockActionsPayload({
      userId: user.id,
      userName: user.name,
      actionId,
      blockId: `vuln_card|${reportId}`,
      value: reportId,
      channelId: TRIAGE_CHANNEL,
      messageTs: '1700000000.000100',
      responseUrl: slack.api.responseUrl(`click-${actionId}-${user.id}`),
      ...extra,
    }),
  );

describe('Slack reporter flow', () => {
  it('/report-vuln opens the intake modal with the trigger ID before anything else', async () => {
    const res = await postSlashCommand(
      slack.baseUrl,
      SIGNING_SECRET,
      slashCommandFields({
        command: '/report-vuln',
        text: '',
        userId: REPORTER.id,
        userName: REPORTER.name,
        channelId: 'C1',
        triggerId: 'trigger-1',
      }),
    );
    expect(res.status).toBe(200);
    const opened = await slack.api.waitFor('views.open');
    expect(opened.args.trigger_id).toBe('trigger-1');
    const view = opened.args.view as { callback_id: string; blocks: { block_id?: string }[] };
    expect(view.callback_id).toBe('report_intake');
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual([
      'title',
      'asset',
      'description',
      'impact',
      'severityGuess',
      'policyAccepted',
    ]);
    // Opening the form writes nothing: its trigger ID was never recorded as a seen request.
    expect(await db.store.replays.firstSeen('slack:command:trigger-1', new Date())).toBe(true);
  });

  it('a valid submission is stored, confirmed in the modal, carded in the triage channel and DMed to the reporter', async () => {
    const res = await submit('V100');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(res.json)).toContain('VULN-0001');
    expect(await db.store.reports.findById('VULN-0001')).not.toBeNull();

    const card = await slack.api.waitFor('chat.postMessage', (c) => c.args.channel === TRIAGE_CHANNEL);
    expect(JSON.stringify(card.args.blocks)).toContain('VULN-0001: SQL injection in /api/search');
    expect(card.args.unfurl_links).toBe('false');

    await slack.api.waitFor('conversations.open', (c) => c.args.users === REPORTER.id);
    const dm = await slack.api.waitFor('chat.postMessage', (c) => String(c.args.channel).startsWith('D'));
    const dmText = JSON.stringify(dm.args.blocks);
    expect(dmText).toContain('VULN-0001');
    expect(dmText).toMatch(/Planned public disclosure date: \d{4}-\d{2}-\d{2}/);
  });

  it('the same view submitted twice files one report', async () => {
    await submit('V200');
    await submit('V200');
    const reports = await db.store.reports.list({});
    expect(reports).toHaveLength(1);
  });

  it('invalid input comes back as errors on the right blocks and stores nothing', async () => {
    const res = await submit(
      'V300',
      intakeValues({ title: '  ', asset: 'not-an-asset', severityGuess: 'CVSS:3.1/AV:N', accepted: false }),
    );
    expect(res.json).toMatchObject({
      response_action: 'errors',
      errors: {
        title: expect.stringContaining('required'),
        asset: expect.stringContaining('asset'),
        severityGuess: expect.stringContaining('missing base metrics'),
        policyAccepted: expect.stringContaining('policy'),
      },
    });
    expect(await db.store.reports.list({})).toHaveLength(0);
  });

  it('when storing fails the modal stays open with an error and the text is kept', async () => {
    const down = async () => Promise.reject(new Error('database down'));
    const broken = { ...db.store, transaction: down, intake: { reserve: down, file: down } };
    Object.assign(slack.core, { store: broken });
    const res = await submit('V400');
    expect(res.json).toMatchObject({
      response_action: 'errors',
      errors: { title: expect.stringContaining('could not save') },
    });
    Object.assign(slack.core, { store: db.store });
  });

  it('/report-vuln status shows the reporter only their own reports', async () => {
    await submit('V500');
    await submit('V501', intakeValues({ title: 'Someone else' }), OUTSIDER);
    await postSlashCommand(
      slack.baseUrl,
      SIGNING_SECRET,
      slashCommandFields({
        command: '/report-vuln',
        text: 'status',
        userId: REPORTER.id,
        userName: REPORTER.name,
        channelId: 'C1',
        responseUrl: slack.api.responseUrl('status'),
      }),
    );
    const reply = await slack.api.waitFor('response_url', (c) => c.responseId === 'status');
    const text = JSON.stringify(reply.args);
    expect(reply.args.response_type).toBe('ephemeral');
    expect(text).toContain('VULN-0001');
    expect(text).not.toContain('VULN-0002');
  });
});

describe('Slack triage flow', () => {
  it("a triager's Acknowledge click updates the card in place, notes it in the thread and tells the reporter", async () => {
    await submit('V600');
    await slack.api.waitFor('chat.postMessage', (c) => c.args.channel === TRIAGE_CHANNEL);
    const res = await click(TRIAGER, 'vuln_ack', 'VULN-0001');
    expect(res.status).toBe(200);
    const update = await slack.api.waitFor('chat.update');
    expect(update.args.channel).toBe(TRIAGE_CHANNEL);
    expect(JSON.stringify(update.args.blocks)).toContain('Acknowledged');
    const note = await slack.api.waitFor('chat.postMessage', (c) => c.args.thread_ts !== undefined);
    const card = await db.store.cards.find('VULN-0001', 'slack');
    expect(card?.messageId).toBeTruthy();
    expect(note.args.thread_ts).toBe(card?.messageId);
    expect(update.args.ts).toBe(card?.messageId);
    expect(JSON.stringify(note.args.blocks)).toContain('alice acknowledged VULN-0001');
    const dm = await slack.api.waitFor('chat.postMessage', (c) =>
      JSON.stringify(c.args.blocks ?? '').includes('has acknowledged'),
    );
    expect(String(dm.args.channel)).toMatch(/^D/);
  });

  it("a non-triager's click is refused privately and changes nothing", async () => {
    await submit('V700');
    await slack.api.waitFor('chat.postMessage', (c) => c.args.channel === TRIAGE_CHANNEL);
    await click(OUTSIDER, 'vuln_ack', 'VULN-0001');
    const refusal = await slack.api.waitFor(
      'response_url',
      (c) => c.responseId === `click-vuln_ack-${OUTSIDER.id}`,
    );
    expect(refusal.args.response_type).toBe('ephemeral');
    expect(JSON.stringify(refusal.args)).toContain('Only the security triage team');
    expect((await db.store.reports.findById('VULN-0001'))?.status).toBe('new');
    expect(slack.api.callsOf('chat.update')).toHaveLength(0);
  });

  it('the severity select sets severity and the card shows it', async () => {
    await submit('V800');
    await slack.api.waitFor('chat.postMessage', (c) => c.args.channel === TRIAGE_CHANNEL);
    await click(TRIAGER, 'vuln_severity', 'VULN-0001', {
      value: undefined,
      selectedOption: { text: 'High', value: 'high' },
    });
    const update = await slack.api.waitFor('chat.update');
    expect(JSON.stringify(update.args.blocks)).toContain('High');
    expect((await db.store.reports.findById('VULN-0001'))?.severity).toBe('high');
  });

  it('/vuln commands answer privately, and malformed input gets usage help', async () => {
    await submit('V900');
    const send = (text: string, id: string, user = TRIAGER) =>
      postSlashCommand(
        slack.baseUrl,
        SIGNING_SECRET,
        slashCommandFields({
          command: '/vuln',
          text,
          userId: user.id,
          userName: user.name,
          channelId: TRIAGE_CHANNEL,
          responseUrl: slack.api.responseUrl(id),
        }),
      );
    await send('severity vuln-1 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'sev');
    const sev = await slack.api.waitFor('response_url', (c) => c.responseId === 'sev');
    expect(JSON.stringify(sev.args)).toContain('Critical (CVSS 3.1 9.8)');
    await send('frobnicate', 'bad');
    const bad = await slack.api.waitFor('response_url', (c) => c.responseId === 'bad');
    expect(JSON.stringify(bad.args)).toContain('Unknown command');
    await send('show VULN-0042', 'missing');
    const missing = await slack.api.waitFor('response_url', (c) => c.responseId === 'missing');
    expect(JSON.stringify(missing.args)).toContain('No report VULN-0042');
  });
});

describe('Slack request authenticity', () => {
  it('a bad signature gets 401 and stores nothing', async () => {
    const res = await postInteraction(
      slack.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId: REPORTER.id,
        viewId: 'V1',
        callbackId: CALLBACKS.intake,
        privateMetadata: '',
        values: intakeValues(),
      }),
      { signatureOverride: 'v0=deadbeef' },
    );
    expect(res.status).toBe(401);
    expect(await db.store.reports.list({})).toHaveLength(0);
  });

  it('a stale or future timestamp gets 401', async () => {
    const fields = slashCommandFields({
      command: '/report-vuln',
      text: '',
      userId: REPORTER.id,
      userName: REPORTER.name,
      channelId: 'C1',
    });
    const now = Math.floor(Date.now() / 1000);
    expect(
      (await postSlashCommand(slack.baseUrl, SIGNING_SECRET, fields, { timestamp: now - 301 })).status,
    ).toBe(401);
    expect(
      // Ten seconds past the future edge: the server reads its clock after `now` was taken.
      (await postSlashCommand(slack.baseUrl, SIGNING_SECRET, fields, { timestamp: now + 310 })).status,
    ).toBe(401);
    expect(slack.api.callsOf('views.open')).toHaveLength(0);
  });
});
