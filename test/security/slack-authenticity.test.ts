import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CALLBACKS } from '../../adapters/slack/render/modal-views.ts';
import { slackConfigFrom } from '../../adapters/slack/slack-config.ts';
import { SlackHttpReceiver } from '../../adapters/slack/slack-http-receiver.ts';
import { envSchema } from '../../src/config/env-schema.ts';
import { CARD_ACTIONS } from '../../src/views/triage-card.ts';
import { intakeValues } from '../e2e/slack/intake-values.ts';
import {
  contentOf,
  isDirectMessage,
  isThreadNote,
  type SlackDriver,
  slackDriver,
  textValues,
} from '../e2e/slack/slack-driver.ts';
import {
  REPORTER,
  SIGNING_SECRET,
  type SlackHarness,
  startSlackHarness,
  TRIAGE_CHANNEL,
  TRIAGER,
} from '../e2e/slack/slack-harness.ts';
import {
  blockActionsPayload,
  postEvent,
  postInteraction,
  postSlashCommand,
  signSlackRequest,
  slashCommandFields,
  viewSubmissionPayload,
} from '../fakes/slack/signed-request.ts';
import { pgliteTestStore, type TestStore } from '../support/databases.ts';
import { metadata } from './support/slack.ts';

let db: TestStore;
let slack: SlackHarness;
let drive: SlackDriver;

beforeAll(async () => {
  db = await pgliteTestStore();
});
afterAll(async () => {
  await db.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

const helpCommand = (responseId: string) =>
  slashCommandFields({
    command: '/vuln',
    text: 'help',
    userId: TRIAGER.id,
    userName: TRIAGER.name,
    channelId: TRIAGE_CHANNEL,
    responseUrl: slack.api.responseUrl(responseId),
  });

const repliesTo = (responseId: string) =>
  slack.api.callsOf('response_url').filter((c) => c.responseId === responseId);

const auditActions = async (id: string) => (await db.store.audit.listForReport(id)).map((e) => e.action);

// The bot serves HTTP from a thread of its own (adapters/http/threaded-http-server.ts); every check
// below holds there and on the harnesses' in-thread server alike.
describe.each([
  ['on the bot thread', false],
  ['from the HTTP thread', true],
])('Slack HTTP door, served %s', (_, httpThread) => {
  beforeEach(async () => {
    await db.reset();
    slack = await startSlackHarness(db, { pacing: false, httpThread });
    drive = slackDriver(slack);
    return () => slack.close();
  });

  describe('Slack request signatures: a replay window of five minutes in both directions', () => {
    // Stamps sit ten seconds outside the window: the server reads its clock after the test
    // does, so a stamp just past the future edge would drift inside it under load.
    it.each([
      ['310 s in the future', 310],
      ['301 s in the past', -301],
      ['an hour in the past', -3600],
    ])('refuses a correctly signed request stamped %s with 401, and runs nothing', async (_, offset) => {
      const res = await postSlashCommand(slack.baseUrl, SIGNING_SECRET, helpCommand('stale'), {
        timestamp: nowSeconds() + offset,
      });
      expect(res.status).toBe(401);
      await drive.settle();
      expect(repliesTo('stale')).toEqual([]);
    });

    it.each([
      ['290 s in the future', 290],
      ['280 s in the past', -280],
    ])('accepts a request stamped %s (inside the window)', async (_, offset) => {
      const res = await postSlashCommand(slack.baseUrl, SIGNING_SECRET, helpCommand('fresh'), {
        timestamp: nowSeconds() + offset,
      });
      expect(res.status).toBe(200);
      await slack.api.waitFor('response_url', (c) => c.responseId === 'fresh');
    });

    it('refuses a wrong signature, a signature over another body, and missing headers', async () => {
      const fields = helpCommand('forged');
      const body = new URLSearchParams(fields).toString();
      const otherBody = new URLSearchParams({ ...fields, text: 'list' }).toString();
      const signedOther = signSlackRequest(SIGNING_SECRET, otherBody, nowSeconds());
      const post = (headers: Record<string, string>) =>
        fetch(`${slack.baseUrl}/slack/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body,
        });
      expect((await postSlashCommand(slack.baseUrl, 'not-the-secret', fields)).status).toBe(401);
      expect((await post(signedOther)).status).toBe(401);
      expect((await post({})).status).toBe(401);
      expect((await post({ 'X-Slack-Request-Timestamp': String(nowSeconds()) })).status).toBe(401);
      expect(
        (
          await post({
            'X-Slack-Signature': signedOther['X-Slack-Signature'] ?? '',
            'X-Slack-Request-Timestamp': 'soon',
          })
        ).status,
      ).toBe(401);
      await drive.settle();
      expect(repliesTo('forged')).toEqual([]);
    });

    it('verifies every path: unsigned ssl_check and url_verification are refused with 401', async () => {
      const unsigned = (body: string, type: string) =>
        fetch(`${slack.baseUrl}/slack/events`, { method: 'POST', headers: { 'content-type': type }, body });
      expect((await unsigned('ssl_check=1&token=x', 'application/x-www-form-urlencoded')).status).toBe(401);
      expect((await unsigned('{"type":"url_verification","challenge":"c"}', 'application/json')).status).toBe(
        401,
      );
      // Signed, both are answered.
      const ssl = await postSlashCommand(slack.baseUrl, SIGNING_SECRET, { ssl_check: '1', token: 'x' });
      expect(ssl.status).toBe(200);
      const challenge = await postEvent(slack.baseUrl, SIGNING_SECRET, {
        type: 'url_verification',
        challenge: 'c1',
      });
      expect(challenge.json).toEqual({ challenge: 'c1' });
    });

    it('refuses to start with an empty or blank signing secret in HTTP mode', () => {
      expect(() => new SlackHttpReceiver({ signingSecret: '  ' })).toThrow(/SLACK_SIGNING_SECRET/);
      const env = envSchema.parse({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_TRIAGE_CHANNEL: 'C1',
        SLACK_SIGNING_SECRET: '   ',
      });
      const config = slackConfigFrom(env);
      expect(config.ok).toBe(false);
      if (!config.ok) expect(config.error.message).toMatch(/SLACK_SIGNING_SECRET/);
    });
  });

  describe('request size', () => {
    it('refuses a body over 256 KB with 413 before parsing or verifying it, and stores nothing', async () => {
      const huge = intakeValues({ description: 'A'.repeat(300 * 1024) });
      const res = await postInteraction(slack.baseUrl, SIGNING_SECRET, {
        type: 'view_submission',
        user: { id: REPORTER.id, username: REPORTER.name },
        view: { id: 'V-HUGE', callback_id: 'report_intake', state: { values: huge }, private_metadata: '' },
      });
      expect(res.status).toBe(413);
      // Unsigned and oversized: still 413 (the size check comes first), never a 5xx.
      const unsigned = await fetch(`${slack.baseUrl}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ filler: 'x'.repeat(257 * 1024) }),
      });
      expect(unsigned.status).toBe(413);
      await drive.settle();
      expect(await db.store.reports.list({})).toEqual([]);
      expect(slack.logger.lines.filter((l) => l.message.includes('report received'))).toEqual([]);
      expect(slack.logger.lines.filter((l) => l.message.includes('bad signature'))).toEqual([]);
    });

    it("still accepts a report that fills the form's own limits", async () => {
      const res = await drive.submitIntake(
        'V-BIG',
        intakeValues({ title: 'T'.repeat(150), description: '🔓'.repeat(1500), impact: 'I'.repeat(3000) }),
      );
      expect(res.status).toBe(200);
      expect(await db.store.reports.list({})).toHaveLength(1);
    });
  });

  describe('replayed Slack requests inside the window are processed once', () => {
    const clickPayload = (reportId: string, actionId: string, responseId: string, selected?: string) =>
      blockActionsPayload({
        userId: TRIAGER.id,
        userName: TRIAGER.name,
        actionId,
        blockId: `vuln_card|${reportId}`,
        ...(selected ? { selectedOption: { text: selected, value: selected } } : { value: reportId }),
        channelId: TRIAGE_CHANNEL,
        messageTs: '1700000000.000100',
        responseUrl: slack.api.responseUrl(responseId),
      });

    it('the same click (same action_ts and user) sent twice changes the report once, with one audit row and one card update', async () => {
      const { id } = await drive.fileReport('V-REPLAY-1');
      await drive.settle();
      const updatesBefore = slack.api.callsOf('chat.update').length;
      const click = clickPayload(id, CARD_ACTIONS.severity, 'sev-click', 'high');
      expect((await postInteraction(slack.baseUrl, SIGNING_SECRET, click)).status).toBe(200);
      expect((await postInteraction(slack.baseUrl, SIGNING_SECRET, click)).status).toBe(200);
      await slack.api.waitFor('response_url', (c) => c.responseId === 'sev-click');
      await drive.settle();
      expect(await auditActions(id)).toEqual(['report.submitted', 'report.severity_set']);
      expect(slack.api.callsOf('chat.update').length - updatesBefore).toBe(1);
      // Had the replay run, it would have been answered ("already has that severity").
      expect(repliesTo('sev-click')).toHaveLength(1);
    });

    it('a replayed Reveal is audited once (each reveal that runs is audited)', async () => {
      const { id } = await drive.fileReport('V-REPLAY-2');
      const click = clickPayload(id, CARD_ACTIONS.reveal, 'reveal-click');
      await postInteraction(slack.baseUrl, SIGNING_SECRET, click);
      await postInteraction(slack.baseUrl, SIGNING_SECRET, click);
      await postInteraction(slack.baseUrl, SIGNING_SECRET, click);
      await slack.api.waitFor('response_url', (c) => c.responseId === 'reveal-click');
      await drive.settle();
      expect(await auditActions(id)).toEqual(['report.submitted', 'report.revealed']);
      expect(repliesTo('reveal-click')).toHaveLength(1);
      // A new click by the same person (a new action_ts) is a new request and runs.
      await drive.click(TRIAGER, CARD_ACTIONS.reveal, id, { awaitReply: true });
      expect(await auditActions(id)).toEqual(['report.submitted', 'report.revealed', 'report.revealed']);
    });

    it('the same slash command (same trigger_id) sent twice runs once', async () => {
      const { id } = await drive.fileReport('V-REPLAY-3');
      const fields = slashCommandFields({
        command: '/vuln',
        text: `note ${id} checked the logs`,
        userId: TRIAGER.id,
        userName: TRIAGER.name,
        channelId: TRIAGE_CHANNEL,
        responseUrl: slack.api.responseUrl('note-command'),
      });
      expect((await postSlashCommand(slack.baseUrl, SIGNING_SECRET, fields)).status).toBe(200);
      expect((await postSlashCommand(slack.baseUrl, SIGNING_SECRET, fields)).status).toBe(200);
      await slack.api.waitFor('response_url', (c) => c.responseId === 'note-command');
      await drive.settle();
      expect(await auditActions(id)).toEqual(['report.submitted', 'report.note_added']);
      const notes = slack.api
        .callsOf('chat.postMessage')
        .filter((c) => isThreadNote(c) && contentOf(c).includes('checked the logs'));
      expect(notes).toHaveLength(1);
      expect(repliesTo('note-command')).toHaveLength(1);
    });

    it('the same intake form (same view ID) submitted twice files one report', async () => {
      const first = await drive.submitIntake('V-SAME-VIEW');
      const second = await drive.submitIntake('V-SAME-VIEW');
      expect(JSON.stringify(first.json)).toContain('VULN-0001');
      expect(JSON.stringify(second.json)).toContain('VULN-0001');
      expect(await db.store.reports.list({})).toHaveLength(1);
    });

    it('a replayed "Reply to reporter" form (same view ID) sends one message, yet a corrected resubmission goes through', async () => {
      const { id } = await drive.fileReport('V-REPLAY-5');
      // First submission refused on the form (empty message): a resubmission of the same view must still work.
      const empty = await drive.submitModal(
        TRIAGER,
        CALLBACKS.reply,
        metadata(id),
        textValues('  '),
        'V-REPLY-FORM',
      );
      expect(empty.json).toMatchObject({ response_action: 'errors' });
      const form = viewSubmissionPayload({
        userId: TRIAGER.id,
        userName: TRIAGER.name,
        viewId: 'V-REPLY-FORM',
        callbackId: CALLBACKS.reply,
        privateMetadata: metadata(id),
        values: textValues('We fixed it, thanks (reply-marker-3b7d).'),
      });
      expect((await postInteraction(slack.baseUrl, SIGNING_SECRET, form)).status).toBe(200);
      expect((await postInteraction(slack.baseUrl, SIGNING_SECRET, form)).status).toBe(200);
      await drive.settle();
      expect(await auditActions(id)).toEqual(['report.submitted', 'report.reporter_messaged']);
      const dms = slack.api
        .callsOf('chat.postMessage')
        .filter((c) => isDirectMessage(c, REPORTER) && contentOf(c).includes('reply-marker-3b7d'));
      expect(dms).toHaveLength(1);
    });

    it("a replayed reporter's answer (same view ID) reaches the thread once", async () => {
      const { id } = await drive.fileReport('V-REPLAY-6');
      const answer = viewSubmissionPayload({
        userId: REPORTER.id,
        userName: REPORTER.name,
        viewId: 'V-ANSWER-FORM',
        callbackId: CALLBACKS.reporterAnswer,
        privateMetadata: metadata(id),
        values: textValues('Tenant 42 (answer-marker-5c0a)'),
      });
      await postInteraction(slack.baseUrl, SIGNING_SECRET, answer);
      await postInteraction(slack.baseUrl, SIGNING_SECRET, answer);
      await drive.settle();
      expect(await auditActions(id)).toEqual(['report.submitted', 'report.reporter_answered']);
      const notes = slack.api
        .callsOf('chat.postMessage')
        .filter((c) => isThreadNote(c) && contentOf(c).includes('answer-marker-5c0a'));
      expect(notes).toHaveLength(1);
    });

    it('a replay reaching another replica (same database) is refused there too', async () => {
      const { id } = await drive.fileReport('V-REPLAY-4');
      const click = clickPayload(id, CARD_ACTIONS.reveal, 'two-replicas');
      await postInteraction(slack.baseUrl, SIGNING_SECRET, click);
      const other = await startSlackHarness(db, { pacing: false });
      try {
        expect((await postInteraction(other.baseUrl, SIGNING_SECRET, click)).status).toBe(200);
        await slack.api.waitFor('response_url', (c) => c.responseId === 'two-replicas');
        await drive.settle();
        await other.worker.drain();
        expect(await auditActions(id)).toEqual(['report.submitted', 'report.revealed']);
        expect(repliesTo('two-replicas')).toHaveLength(1);
      } finally {
        await other.close();
      }
    });
  });
});
