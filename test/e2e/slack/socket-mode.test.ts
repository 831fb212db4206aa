import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CALLBACKS } from '../../../adapters/slack/render/modal-views.ts';
import { CARD_ACTIONS } from '../../../src/views/triage-card.ts';
import type { FakeSocketMode } from '../../fakes/slack/fake-socket-mode.ts';
import {
  blockActionsPayload,
  slashCommandFields,
  viewSubmissionPayload,
} from '../../fakes/slack/signed-request.ts';
import { pgliteTestStore, type TestStore } from '../../support/databases.ts';
import { intakeValues } from './intake-values.ts';
import { contentOf, isTriageCardPost } from './slack-driver.ts';
import {
  APP_TOKEN,
  REPORTER,
  type SlackHarness,
  startSlackHarness,
  TRIAGE_CHANNEL,
  TRIAGER,
} from './slack-harness.ts';

let db: TestStore;
let slack: SlackHarness;
let socket: FakeSocketMode;

beforeAll(async () => {
  db = await pgliteTestStore();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.reset();
  slack = await startSlackHarness(db, { socketMode: true, pacing: false });
  if (!slack.socket) throw new Error('harness started without Socket Mode');
  socket = slack.socket;
  return () => slack.close();
});

const intakeSubmission = (viewId: string) =>
  viewSubmissionPayload({
    userId: REPORTER.id,
    userName: REPORTER.name,
    viewId,
    callbackId: CALLBACKS.intake,
    privateMetadata: '',
    values: intakeValues(),
  });

describe('the Slack adapter in Socket Mode', () => {
  it('connects with the app token over the URL apps.connections.open returns, with no HTTP route', async () => {
    const open = await slack.api.waitFor('apps.connections.open');
    expect(open.token).toBe(APP_TOKEN);
    expect(socket.connections).toBe(1);
    expect(slack.adapter.routes.size).toBe(0);
    expect(slack.adapter.health()).toMatchObject({ connected: true, mode: 'socket' });
  });

  it('a /report-vuln envelope is acked and opens the intake modal with its trigger ID', async () => {
    const fields = slashCommandFields({
      command: '/report-vuln',
      text: '',
      userId: REPORTER.id,
      userName: REPORTER.name,
      channelId: 'C1',
    });
    const ack = await socket.send('slash_commands', fields, { envelopeId: 'env-cmd' });
    expect(ack.envelope_id).toBe('env-cmd');
    const opened = await slack.api.waitFor('views.open');
    expect(opened.args.trigger_id).toBe(fields.trigger_id);
    expect(opened.token).toBe('xoxb-test-token');
    expect((opened.args.view as { callback_id: string }).callback_id).toBe(CALLBACKS.intake);
  });

  it('a view_submission envelope stores the report before acking with response_action update', async () => {
    const ack = await socket.send('interactive', intakeSubmission('V-SOCK-1'), { envelopeId: 'env-view' });
    expect(ack).toMatchObject({ envelope_id: 'env-view', payload: { response_action: 'update' } });
    expect(JSON.stringify(ack.payload)).toContain('VULN-0001');
    // Stored by the time the ack went out.
    expect(await db.store.reports.findById('VULN-0001')).toMatchObject({ reporter: { userId: REPORTER.id } });
    const card = await slack.api.waitFor('chat.postMessage', isTriageCardPost);
    expect(contentOf(card)).toContain('VULN-0001: SQL injection in /api/search');
  });

  it('an invalid submission comes back in the ack as errors, and nothing is stored', async () => {
    const invalid = viewSubmissionPayload({
      userId: REPORTER.id,
      viewId: 'V-SOCK-BAD',
      callbackId: CALLBACKS.intake,
      privateMetadata: '',
      values: intakeValues({ title: ' ', accepted: false }),
    });
    const ack = await socket.send('interactive', invalid);
    expect(ack.payload).toMatchObject({
      response_action: 'errors',
      errors: { title: expect.any(String), policyAccepted: expect.any(String) },
    });
    expect(await db.store.reports.list({})).toHaveLength(0);
  });

  it('the same envelope redelivered files one report and acks both deliveries alike', async () => {
    const payload = intakeSubmission('V-SOCK-2');
    const first = await socket.send('interactive', payload, { envelopeId: 'env-dup' });
    const second = await socket.send('interactive', payload, { envelopeId: 'env-dup' });
    expect(second.payload).toEqual(first.payload);
    expect(await db.store.reports.list({})).toHaveLength(1);
    expect((await db.store.audit.listForReport('VULN-0001')).map((e) => e.action)).toEqual([
      'report.submitted',
    ]);
    await slack.worker.drain();
    expect(slack.api.callsOf('chat.postMessage').filter(isTriageCardPost)).toHaveLength(1);
  });

  it("a triager's click arrives as an interactive envelope and acknowledges the report", async () => {
    await socket.send('interactive', intakeSubmission('V-SOCK-3'));
    await slack.api.waitFor('chat.postMessage', isTriageCardPost);
    const ack = await socket.send(
      'interactive',
      blockActionsPayload({
        userId: TRIAGER.id,
        userName: TRIAGER.name,
        actionId: CARD_ACTIONS.acknowledge,
        blockId: 'vuln_card|VULN-0001',
        value: 'VULN-0001',
        channelId: TRIAGE_CHANNEL,
        messageTs: '1700000000.000100',
        responseUrl: slack.api.responseUrl('sock-ack'),
      }),
    );
    expect(ack.envelope_id).toBeTruthy();
    await slack.api.waitFor('response_url', (c) => c.responseId === 'sock-ack');
    expect((await db.store.reports.findById('VULN-0001'))?.status).toBe('acknowledged');
    await slack.api.waitFor('chat.update');
  });

  it('stops cleanly: the WebSocket closes, health turns false, and no error is logged', async () => {
    await slack.api.waitFor('apps.connections.open');
    await slack.adapter.stop();
    await socket.waitForNoConnections(3000);
    expect(slack.adapter.health()).toMatchObject({ connected: false });
    expect(slack.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    // No reconnect attempt after a deliberate stop.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.api.callsOf('apps.connections.open')).toHaveLength(1);
    expect(socket.connections).toBe(0);
  });
});
