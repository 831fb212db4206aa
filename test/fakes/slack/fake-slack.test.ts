import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlackApi, rateLimited, startFakeSlackApi } from './fake-slack-api.ts';
import { attachSocketMode, type FakeSocketMode } from './fake-socket-mode.ts';
import {
  blockActionsPayload,
  eventCallbackBody,
  loadSlackFixture,
  postEvent,
  postInteraction,
  postSlashCommand,
  slashCommandFields,
  viewSubmissionPayload,
} from './signed-request.ts';

const SECRET = 's';

function baseOptions(api: FakeSlackApi) {
  return {
    token: 'xoxb-test',
    convoStore: false as const,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: api.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true },
  };
}

function registerReportVuln(app: App): void {
  app.command('/report-vuln', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        callback_id: 'report_vuln',
        title: { type: 'plain_text', text: 'Report vulnerability' },
        blocks: [],
      },
    });
  });
}

describe('fake Slack API + HTTP receiver', () => {
  let api: FakeSlackApi;
  let app: App;
  let baseUrl: string;

  beforeEach(async () => {
    api = await startFakeSlackApi();
    app = new App({ ...baseOptions(api), signingSecret: SECRET });
    registerReportVuln(app);
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await app.stop();
    await api.close();
  });

  it('runs a signed slash command through Bolt and records views.open', async () => {
    const fields = slashCommandFields({
      command: '/report-vuln',
      text: 'sqli in login',
      userId: 'U123',
      userName: 'alice',
      channelId: 'G42',
    });
    const res = await postSlashCommand(baseUrl, SECRET, fields);
    expect(res.status).toBe(200);
    const call = await api.waitFor('views.open');
    expect(call.args.trigger_id).toBe(fields.trigger_id);
    expect(call.token).toBe('xoxb-test');
    expect(call.args.view).toMatchObject({ type: 'modal', callback_id: 'report_vuln' });
    expect(api.callsOf('auth.test')).toHaveLength(1);
  });

  it('rejects a bad signature with 401 and an old timestamp with 401', async () => {
    const fields = slashCommandFields({
      command: '/report-vuln',
      text: '',
      userId: 'U1',
      userName: 'a',
      channelId: 'C1',
    });
    const bad = await postSlashCommand(baseUrl, SECRET, fields, { signatureOverride: 'v0=deadbeef' });
    expect(bad.status).toBe(401);
    const old = await postSlashCommand(baseUrl, SECRET, fields, {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(old.status).toBe(401);
    expect(api.callsOf('views.open')).toHaveLength(0);
  });

  it('returns view_submission validation errors in the HTTP response', async () => {
    app.view('report_vuln', async ({ ack, view }) => {
      const title = view.state.values.title_block?.title?.value ?? '';
      if (title.length < 5) {
        await ack({ response_action: 'errors', errors: { title_block: 'Title is too short' } });
        return;
      }
      await ack();
    });
    const payload = viewSubmissionPayload({
      userId: 'U123',
      viewId: 'V0001',
      callbackId: 'report_vuln',
      privateMetadata: '{"channel":"G42"}',
      values: { title_block: { title: { type: 'plain_text_input', value: 'x' } } },
    });
    const res = await postInteraction(baseUrl, SECRET, payload);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_action: 'errors', errors: { title_block: 'Title is too short' } });
  });

  it('accepts the saved fixture payloads', async () => {
    const seen: unknown[] = [];
    app.view('report_vuln', async ({ ack, view }) => {
      await ack();
      seen.push(view.state.values.severity_block?.severity?.selected_option?.value);
    });
    app.action('triage_accept', async ({ ack, action }) => {
      await ack();
      seen.push(action.type === 'button' ? action.value : undefined);
    });
    const view = await postInteraction(baseUrl, SECRET, loadSlackFixture('view-submission-report-vuln'));
    const button = await postInteraction(baseUrl, SECRET, loadSlackFixture('block-actions-triage-button'));
    expect([view.status, button.status]).toEqual([200, 200]);
    expect(seen).toEqual(['high', 'VULN-42']);
  });

  it('records respond() posts to a response_url and Web API calls from block actions', async () => {
    app.action('triage_severity', async ({ ack, action, respond, client, body }) => {
      await ack();
      const selected = action.type === 'static_select' ? action.selected_option.value : 'none';
      await respond({ replace_original: false, text: `severity ${selected}` });
      await client.chat.postMessage({
        channel: body.channel?.id ?? '',
        text: 'triaged',
        blocks: [{ type: 'divider' }],
      });
    });
    const payload = blockActionsPayload({
      userId: 'U9',
      actionId: 'triage_severity',
      blockId: 'triage',
      selectedOption: { text: 'High', value: 'high' },
      channelId: 'G42',
      messageTs: '1700000000.000100',
      responseUrl: api.responseUrl('r1'),
    });
    expect((await postInteraction(baseUrl, SECRET, payload)).status).toBe(200);
    const responded = await api.waitFor('response_url');
    expect(responded.responseId).toBe('r1');
    expect(responded.args).toMatchObject({ text: 'severity high', replace_original: false });
    const posted = await api.waitFor('chat.postMessage');
    expect(posted.args).toMatchObject({ channel: 'G42', text: 'triaged', blocks: [{ type: 'divider' }] });
  });

  it('delivers a signed Events API body', async () => {
    app.event('app_mention', async ({ event, client }) => {
      await client.chat.postMessage({ channel: event.channel, text: 'hi' });
    });
    const event = {
      type: 'app_mention',
      user: 'U1',
      text: '<@UBOT> hi',
      ts: '1700000001.000100',
      channel: 'C7',
    };
    const res = await postEvent(baseUrl, SECRET, eventCallbackBody(event));
    expect(res.status).toBe(200);
    expect((await api.waitFor('chat.postMessage', (c) => c.args.channel === 'C7')).args.text).toBe('hi');
  });

  it('serves queued one-shot failures before falling back to defaults', async () => {
    api.respondOnce('chat.postMessage', rateLimited(7));
    api.respondOnce('chat.postMessage', { status: 500, body: 'upstream exploded' });
    api.respondOnce('chat.postMessage', { ok: false, error: 'channel_not_found' });
    await expect(app.client.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 7,
    });
    await expect(app.client.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 500,
    });
    await expect(app.client.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { error: 'channel_not_found' },
    });
    const ok = await app.client.chat.postMessage({ channel: 'C1', text: 'x' });
    const ok2 = await app.client.chat.postMessage({ channel: 'C1', text: 'y' });
    expect(ok.ok).toBe(true);
    expect(Number(ok2.ts)).toBeGreaterThan(Number(ok.ts));
    expect(api.callsOf('chat.postMessage')).toHaveLength(5);
  });

  it('answers the lookup methods with overridable defaults', async () => {
    api.respondWith('conversations.info', (args) => ({
      ok: true,
      channel: { id: args.channel, is_private: false },
    }));
    api.respondWith('usergroups.users.list', () => ({ ok: true, users: ['U1', 'U2'] }));
    const info = await app.client.conversations.info({ channel: 'C1' });
    expect(info.channel).toEqual({ id: 'C1', is_private: false });
    expect((await app.client.usergroups.users.list({ usergroup: 'S1' })).users).toEqual(['U1', 'U2']);
    const user = await app.client.users.info({ user: 'U5' });
    expect(user.user?.profile?.display_name).toBe('u5');
    const dm = await app.client.conversations.open({ users: 'U5' });
    expect(dm.channel?.id).toBe('DU5');
  });
});

describe('fake Socket Mode', () => {
  let api: FakeSlackApi;
  let socket: FakeSocketMode;
  let app: App;

  beforeEach(async () => {
    api = await startFakeSlackApi();
    socket = await attachSocketMode(api);
    app = new App({ ...baseOptions(api), socketMode: true, appToken: 'xapp-1-test' });
    registerReportVuln(app);
    await app.start();
  });

  afterEach(async () => {
    await app.stop();
    await socket.close();
    await api.close();
  });

  it('acks a slash command envelope, including a redelivery of the same envelope', async () => {
    expect(socket.connections).toBe(1);
    expect((await api.waitFor('apps.connections.open')).token).toBe('xapp-1-test');
    const fields = slashCommandFields({
      command: '/report-vuln',
      text: '',
      userId: 'U1',
      userName: 'a',
      channelId: 'G1',
    });
    const ack = await socket.send('slash_commands', fields, { envelopeId: 'env-1' });
    expect(ack).toEqual({ envelope_id: 'env-1', payload: {} });
    const again = await socket.send('slash_commands', fields, { envelopeId: 'env-1' });
    expect(again.envelope_id).toBe('env-1');
    const opened = await api.waitForCount('views.open', 2);
    expect(opened.map((c) => c.args.trigger_id)).toEqual([fields.trigger_id, fields.trigger_id]);
  });

  it('closes the WebSocket on app.stop()', async () => {
    await app.stop();
    await socket.waitForNoConnections();
    // afterEach stops again; restart so that it has something to stop.
    await app.start();
  });

  it('reconnects after a disconnect message', async () => {
    socket.disconnect();
    await socket.waitForNoConnections();
    await socket.waitForConnection(10_000);
    expect(api.callsOf('apps.connections.open')).toHaveLength(2);
    const ack = await socket.send(
      'events_api',
      eventCallbackBody({ type: 'app_mention', user: 'U1', text: 'x', ts: '1.2', channel: 'C1' }),
    );
    expect(ack.envelope_id).toMatch(/^env-/);
  });
});
